/**
 * RST classification over the whole case (run by the correlate phase, after identities and NAT
 * links): who sent and received each RST, its baseline TTL and its verdict, stored so the RST
 * views aggregate in SQL.
 */
import type { CaseDb } from '../../db/open-case.js';
import type { IptablesRule } from '../../formats/iptables/types.js';
import type { NftRule, NftSet } from '../../formats/nft/types.js';
import { nftRejectRuleFor, nftRuleText, rejectRuleFor, type AnsweredPacket } from './reject-rule.js';
import { rstVerdict, type RstEvidence } from './verdict.js';

/**
 * Who sent and received each RST as the RST views group them (the flow's pod on that side, else
 * the address) and the service port, stored so the summaries need no join to a million flows.
 */
export function labelRsts(db: CaseDb): void {
  db.exec(`UPDATE rst_events SET
      sender_who = coalesce((SELECT CASE WHEN rst_events.sender_ip = f.orig_ip THEN f.orig_pod WHEN rst_events.sender_ip = f.resp_ip THEN f.resp_pod END
        FROM flows f WHERE f.id = rst_events.flow_id), sender_ip),
      receiver_who = coalesce((SELECT CASE WHEN rst_events.receiver_ip = f.orig_ip THEN f.orig_pod WHEN rst_events.receiver_ip = f.resp_ip THEN f.resp_pod END
        FROM flows f WHERE f.id = rst_events.flow_id), receiver_ip),
      dst_port = (SELECT f.resp_port FROM flows f WHERE f.id = rst_events.flow_id)`);
}

interface RstCtx {
  id: number;
  flow_id: number;
  nat_peer: number | null;
  ts_us: number;
  proto: string;
  sender_ip: string;
  sender_port: number;
  receiver_ip: string;
  receiver_port: number;
  ttl: number;
  ip_id: number;
  sender_prev_ttl: number;
  sender_prev_ip_id: number;
  idle_before_us: number;
  quiet_before_us: number;
  answers_syn: number;
  sender_is_node: number;
  sender_is_local: number;
  flow_has_pod: number;
  own_orig_ttl: number;
  own_resp_ttl: number;
  own_points: string | null;
  flow_points: string | null;
  rst_points: string | null;
}

/** Stores each RST's baseline TTL, verdict, evidence and the node rule that made it, so the RST views aggregate in SQL. */
export function classifyRsts(db: CaseDb): void {
  const rows = db.prepare(`SELECT r.id, r.flow_id, f.nat_peer, r.ts_us, f.proto, r.sender_ip, r.sender_port, r.receiver_ip, r.receiver_port, r.ttl, r.ip_id, r.sender_prev_ttl, r.sender_prev_ip_id,
      r.idle_before_us, coalesce(r.quiet_before_us, -1) AS quiet_before_us, r.answers_syn,
      CASE WHEN f.orig_ip = r.sender_ip THEN f.orig_ttl ELSE -1 END AS own_orig_ttl, CASE WHEN f.resp_ip = r.sender_ip AND f.state <> 'REJ' THEN f.resp_ttl ELSE -1 END AS own_resp_ttl,
      EXISTS (SELECT 1 FROM identities i WHERE i.ip = r.sender_ip AND i.kind = 'node') AS sender_is_node,
      (SELECT group_concat(DISTINCT fs.source_id || ':' || fs.iface || ':' || fs.ifindex) FROM flow_sightings fs WHERE fs.flow_id = r.flow_id) AS own_points,
      EXISTS (SELECT 1 FROM identities i WHERE i.ip = r.sender_ip AND i.kind IN ('node', 'pod')) AS sender_is_local,
      EXISTS (SELECT 1 FROM identities i WHERE i.kind = 'pod' AND i.ip IN (f.orig_ip, f.resp_ip) AND i.ip <> r.sender_ip) AS flow_has_pod,
      (SELECT group_concat(DISTINCT fs.source_id || ':' || fs.iface || ':' || fs.ifindex) FROM flow_sightings fs WHERE fs.flow_id IN (r.flow_id, f.nat_peer)) AS flow_points,
      (SELECT group_concat(DISTINCT rs.source_id || ':' || rs.iface || ':' || rs.ifindex) FROM rst_sightings rs WHERE rs.rst_id = r.id) AS rst_points
    FROM rst_events r JOIN flows f ON f.id = r.flow_id`).all() as RstCtx[];
  if (rows.length === 0) return;
  const ttls = senderTtlCounts(db);
  const points = capturePoints(db);
  const upd = db.prepare('UPDATE rst_events SET ttl_baseline = ?, verdict = ?, reason = ?, rule = ?, evidence = ? WHERE id = ?');
  for (const r of rows) {
    const flowPoints = new Set((r.flow_points ?? '').split(',').filter(Boolean));
    const rstPoints = (r.rst_points ?? '').split(',').filter(Boolean);
    const seen = new Set(rstPoints);
    const ownPoints = new Set((r.own_points ?? '').split(',').filter(Boolean));
    const own = (p: string) => (ownPoints.has(p) ? [r.own_orig_ttl, r.own_resp_ttl] : []);
    // The sender's usual TTL at each capture point that saw its packets (the RST's own flow left out).
    const at = new Map<string, number>();
    for (const [p, counts] of points.senderTtls.get(r.sender_ip) ?? []) {
      const u = usualTtl(counts, ...(own(p) as [number?, number?]));
      if (u !== null) at.set(p, u);
    }
    // Compared where the RST was seen: the first point whose baseline matches, else the first with one.
    const seenWithBase = rstPoints.filter((p) => at.has(p));
    const basePoint = seenWithBase.find((p) => at.get(p) === r.ttl) ?? seenWithBase[0];
    const baseline = basePoint !== undefined ? at.get(basePoint)!
      : r.sender_prev_ttl >= 0 ? r.sender_prev_ttl : usualTtl(ttls.get(r.sender_ip), r.own_orig_ttl, r.own_resp_ttl) ?? -1;
    // Made between two points: seen at P, not at U where the sender's packets arrive with a higher
    // TTL (nearer the sender), U being on this RST's path: it carried the connection (or its NAT
    // half), or it is another interface of P's own node. A higher TTL on another host's capture
    // alone says nothing: that host may sit on another path from the same sender.
    let madeBetween: RstEvidence['madeBetween'];
    let seenUpstream = false;
    for (const p of seenWithBase) {
      const nodeP = points.nodeOf(p);
      for (const [u, ttlU] of at) {
        if (u === p || ttlU <= at.get(p)!) continue;
        const sameNode = points.sameSourceAs(u, [p]) || (nodeP !== null && nodeP === points.nodeOf(u));
        if (!sameNode && !flowPoints.has(u)) continue;
        if (seen.has(u)) { seenUpstream = true; continue; }
        if (!points.covers(u, r.ts_us) || madeBetween) continue;
        madeBetween = { seenAt: points.name(p), missingAt: points.name(u), sameNode };
      }
    }
    // A SYN to a remote address that no uplink of the capture carried was answered on the node.
    let synNeverLeft: RstEvidence['synNeverLeft'];
    if (r.answers_syn === 1 && r.sender_is_local === 0) {
      for (const p of rstPoints) {
        const ups = points.uplinks(p).filter((u) => u !== p && !flowPoints.has(u) && points.covers(u, r.ts_us));
        if (ups.length > 0 && !points.uplinks(p).some((u) => flowPoints.has(u))) { synNeverLeft = { seenAt: points.name(p), uplink: points.name(ups[0]) }; break; }
      }
    }
    const rule = r.proto === 'tcp' ? points.rejectRule(rstPoints, {
      proto: r.proto, srcIp: r.receiver_ip, srcPort: r.receiver_port, dstIp: r.sender_ip, dstPort: r.sender_port, syn: r.answers_syn === 1,
    }) : null;
    const v = rstVerdict({
      ttl: r.ttl, ttlBaseline: baseline, ttlBaselineAtPoint: basePoint !== undefined, ttlBaselinePoint: basePoint !== undefined ? points.name(basePoint) : undefined,
      ipId: r.ip_id, senderPrevIpId: r.sender_prev_ip_id, idleBeforeUs: r.idle_before_us, quietBeforeUs: r.quiet_before_us,
      answersSyn: r.answers_syn === 1,
      senderIsNodeForPodFlow: r.sender_is_node === 1 && r.flow_has_pod === 1,
      missingAtOtherCapture: rstPoints.length > 0 && [...flowPoints].some((p) => !seen.has(p) && points.sameSourceAs(p, rstPoints)),
      madeBetween, synNeverLeft, seenUpstream, rejectRule: rule ?? undefined,
    });
    upd.run(baseline >= 0 ? baseline : null, v.verdict, v.reason, v.rule, JSON.stringify(v.evidence), r.id);
  }
}

/**
 * What the RST classifier needs to know about capture points ("source:iface:ifindex"): the TTLs
 * each RST sender's packets had there, their names, nodes and time spans, which points of a
 * capture are uplinks (they carried translated connections), and each node's REJECT rules.
 */
function capturePoints(db: CaseDb) {
  const senderTtls = senderTtlsAtPoints(db);
  const sources = new Map((db.prepare(`SELECT id, path, node, first_ts, last_ts FROM sources`).all() as { id: number; path: string; node: string | null; first_ts: number | null; last_ts: number | null }[]).map((s) => [s.id, s]));
  const ifaceNames = new Map((db.prepare(`SELECT source_id || ':' || iface AS k, name FROM capture_interfaces WHERE name IS NOT NULL AND name <> 'any'`).all() as { k: string; name: string }[]).map((r) => [r.k, r.name]));
  const links = db.prepare(`SELECT s.node, json_extract(r.data, '$.index') AS idx, json_extract(r.data, '$.name') AS name FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'iplink' AND json_extract(r.data, '$.type') = 'interface'`).all() as { node: string | null; idx: number; name: string }[];
  const linkName = new Map(links.map((l) => [`${l.node ?? ''}:${l.idx}`, l.name]));
  const upl = new Map<number, string[]>();
  for (const u of db.prepare(`SELECT DISTINCT fs.source_id AS s, fs.source_id || ':' || fs.iface || ':' || fs.ifindex AS p FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id WHERE f.nat_side = 'post'`).all() as { s: number; p: string }[]) {
    upl.set(u.s, [...(upl.get(u.s) ?? []), u.p]);
  }
  const rulesByNode = new Map<string, IptablesRule[]>();
  for (const r of db.prepare(`SELECT s.node, r.data FROM records r JOIN sources s ON s.id = r.source_id
      WHERE r.kind = 'iptables' AND json_extract(r.data, '$.type') = 'rule' AND json_extract(r.data, '$.target') = 'REJECT' ORDER BY r.source_id, r.line`).all() as { node: string | null; data: string }[]) {
    const k = r.node ?? '';
    rulesByNode.set(k, [...(rulesByNode.get(k) ?? []), JSON.parse(r.data) as IptablesRule]);
  }
  const nftByNode = new Map<string, { rules: NftRule[]; sets: NftSet[] }>();
  for (const r of db.prepare(`SELECT s.node, r.data FROM records r JOIN sources s ON s.id = r.source_id
      WHERE r.kind = 'nft' AND (json_extract(r.data, '$.type') = 'set' OR json_extract(r.data, '$.verdict') = 'reject') ORDER BY r.source_id, r.line`).all() as { node: string | null; data: string }[]) {
    const k = r.node ?? '';
    let e = nftByNode.get(k);
    if (!e) nftByNode.set(k, (e = { rules: [], sets: [] }));
    const rec = JSON.parse(r.data) as NftRule | NftSet;
    if (rec.type === 'set') e.sets.push(rec);
    else e.rules.push(rec);
  }
  const ruleNodes = new Set([...rulesByNode.keys(), ...nftByNode.keys()]);
  const split = (p: string) => { const [s, i, x] = p.split(':').map(Number); return { s, i, x }; };
  const nodeOf = (p: string) => sources.get(split(p).s)?.node ?? null;
  return {
    senderTtls,
    nodeOf,
    name(p: string): string {
      const { s, i, x } = split(p);
      const src = sources.get(s);
      const named = ifaceNames.get(`${s}:${i}`) ?? (x >= 0 ? linkName.get(`${src?.node ?? ''}:${x}`) ?? `ifindex ${x}` : undefined);
      return named ?? `the capture ${src?.path.split(/[/!]/).pop() ?? s}`;
    },
    covers(p: string, tsUs: number): boolean {
      const src = sources.get(split(p).s);
      return !src || src.first_ts === null || src.last_ts === null || (src.first_ts <= tsUs && tsUs <= src.last_ts);
    },
    uplinks: (p: string) => upl.get(split(p).s) ?? [],
    sameSourceAs: (p: string, others: string[]) => others.some((o) => split(o).s === split(p).s),
    /** The matching rule of the node whose capture saw the RST. */
    rejectRule(seenAt: string[], pkt: AnsweredPacket): string | null {
      const nodes = new Set(seenAt.map((p) => nodeOf(p) ?? ''));
      // Rules and captures whose node is unknown on one side only: one rule set of the case stands for the node
      // (rules known to be another node's never do).
      const only = ruleNodes.size === 1 ? [...ruleNodes][0]! : null;
      if (only !== null && !nodes.has(only) && (only === '' || [...nodes].every((n) => n === ''))) nodes.add(only);
      for (const n of nodes) {
        const hit = rejectRuleFor(rulesByNode.get(n) ?? [], pkt);
        if (hit) return hit.form === 'save' ? `-A ${hit.chain} ${hit.text}` : `${hit.chain}: REJECT ${hit.text}`;
        const nft = nftByNode.get(n);
        const nhit = nft ? nftRejectRuleFor(nft.rules, nft.sets, pkt) : null;
        if (nhit) return nftRuleText(nhit);
      }
      return null;
    },
  };
}

/**
 * Per RST sender, capture point (`source:iface:ifindex`) and TTL, how many of its flows showed it.
 * A refused connection's only responder packet is the RST itself (forged ones included): the
 * responder's TTLs come from SYN-ACKs and later packets. Only flows seen at one point of a capture:
 * a flow forwarded between two interfaces of one `-i any` capture keeps the TTL of the first, which
 * would blur the two points. Sightings are streamed once in flow order and counted in a map (one
 * SQL aggregation over flows and sightings with a NOT EXISTS per sighting was a tenth of a busy
 * capture's correlate phase); the maps are filled in (address, point, TTL) order, as that
 * statement's GROUP BY gave them, since verdicts take the first matching point.
 */
export function senderTtlsAtPoints(db: CaseDb): Map<string, Map<string, Map<number, number>>> {
  const senders = new Set(db.prepare('SELECT DISTINCT sender_ip FROM rst_events').pluck().all() as string[]);
  const counts = new Map<string, [string, string, number, number]>();
  const add = (ip: string, p: string, ttl: number) => {
    const k = `${ip}\0${p}\0${ttl}`;
    const c = counts.get(k);
    if (c) c[3]++;
    else counts.set(k, [ip, p, ttl, 1]);
  };
  type Row = [number, number, number, number, string, number | null, string, number | null, string];
  let flow: Row[] = [];
  const perSource = new Map<number, number>();
  const settle = () => {
    if (flow.length === 0) return;
    const [, , , , origIp, origTtl, respIp, respTtl, state] = flow[0];
    const orig = senders.has(origIp) && origTtl !== null && origTtl >= 0;
    const resp = senders.has(respIp) && respTtl !== null && respTtl >= 0 && state !== 'REJ';
    if (orig || resp) {
      perSource.clear();
      for (const r of flow) perSource.set(r[1], (perSource.get(r[1]) ?? 0) + 1);
      for (const [, src, iface, ifindex] of flow) {
        if (perSource.get(src) !== 1) continue;
        const p = `${src}:${iface}:${ifindex}`;
        if (orig) add(origIp, p, origTtl!);
        if (resp) add(respIp, p, respTtl!);
      }
    }
    flow = [];
  };
  if (senders.size > 0) {
    const rows = db.prepare(`SELECT fs.flow_id, fs.source_id, fs.iface, fs.ifindex, f.orig_ip, f.orig_ttl, f.resp_ip, f.resp_ttl, f.state
      FROM flow_sightings fs INDEXED BY flow_sightings_pk JOIN flows f ON f.id = fs.flow_id ORDER BY fs.flow_id`).raw().iterate() as Iterable<Row>;
    for (const r of rows) {
      if (flow.length > 0 && flow[0][0] !== r[0]) settle();
      flow.push(r);
    }
    settle();
  }
  const txt = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const senderTtls = new Map<string, Map<string, Map<number, number>>>();
  for (const [ip, p, ttl, n] of [...counts.values()].sort((a, b) => txt(a[0], b[0]) || txt(a[1], b[1]) || a[2] - b[2])) {
    let byPoint = senderTtls.get(ip);
    if (!byPoint) senderTtls.set(ip, (byPoint = new Map()));
    let m = byPoint.get(p);
    if (!m) byPoint.set(p, (m = new Map()));
    m.set(ttl, n);
  }
  return senderTtls;
}

/**
 * How often each RST sender used each TTL on the case's flows (first packet of its side; not the
 * responder of a refused connection, whose first packet is the RST under test), in one
 * pass over the flows of RST senders only; a per-RST subquery here was quadratic on busy servers.
 */
function senderTtlCounts(db: CaseDb): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  const rows = db.prepare(`SELECT ip, ttl, count(*) AS n FROM (
      SELECT o.orig_ip AS ip, o.orig_ttl AS ttl FROM flows o WHERE o.orig_ttl >= 0 AND o.orig_ip IN (SELECT DISTINCT sender_ip FROM rst_events)
      UNION ALL SELECT o.resp_ip, o.resp_ttl FROM flows o WHERE o.resp_ttl >= 0 AND o.state <> 'REJ' AND o.resp_ip IN (SELECT DISTINCT sender_ip FROM rst_events))
    GROUP BY ip, ttl`).iterate() as Iterable<{ ip: string; ttl: number; n: number }>;
  for (const r of rows) {
    let m = out.get(r.ip);
    if (!m) out.set(r.ip, (m = new Map()));
    m.set(r.ttl, r.n);
  }
  return out;
}

/** The sender's most used TTL on its other flows (the RST's own flow left out); ties go to the higher TTL. */
function usualTtl(counts: Map<number, number> | undefined, ownOrig = -1, ownResp = -1): number | null {
  if (!counts) return null;
  let best: number | null = null;
  let bestN = 0;
  for (const [ttl, total] of counts) {
    const n = total - (ttl === ownOrig ? 1 : 0) - (ttl === ownResp ? 1 : 0);
    if (n > bestN || (n === bestN && n > 0 && best !== null && ttl > best)) {
      best = ttl;
      bestN = n;
    }
  }
  return best;
}
