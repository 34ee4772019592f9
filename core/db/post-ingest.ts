import { rstVerdict } from '../analysis/rst/verdict.js';
import { CaseWriter } from './case-writer.js';
import { podAtSql } from './identity-sql.js';
import { rebuildIdentities } from './identity-store.js';
import type { CaseDb } from './open-case.js';

/**
 * The case-wide steps after files are ingested (the "index" and "correlate" phases): they join
 * what single files cannot see alone, so they run over the whole case each time.
 */
export function afterIngest(db: CaseDb, newSourceIds: number[]): void {
  // Whole-case answers stored for the old state are wrong now (core/api/materialize.ts recomputes them).
  db.exec('DELETE FROM answers');
  // Halves within one source were paired as they were written; only a case with several
  // capture sources can hold halves that met no partner yet.
  const sources = (db.prepare(`SELECT count(*) AS n FROM sources WHERE kind IN ('pcap', 'pcapng')`).get() as { n: number }).n;
  if (sources > 1) db.transaction(() => new CaseWriter(db).linkNatPeersAcross(newSourceIds))();
  rebuildIdentities(db);
  db.transaction(() => {
    assignFlowPods(db);
    assignNatSides(db);
    mergeNatRsts(db);
    classifyRsts(db);
    labelRsts(db);
  })();
}

/**
 * Stores each flow's endpoint pods (resolved at the flow's start, so a reused IP names the pod
 * that held it then). Only flows touching a pod address are visited.
 */
export function assignFlowPods(db: CaseDb): void {
  db.exec('UPDATE flows SET orig_pod = NULL, resp_pod = NULL WHERE orig_pod IS NOT NULL OR resp_pod IS NOT NULL');
  db.exec(`UPDATE flows SET orig_pod = ${podAtSql('flows.orig_ip', 'flows.start_us')} WHERE orig_ip IN (SELECT ip FROM identities WHERE kind = 'pod')`);
  db.exec(`UPDATE flows SET resp_pod = ${podAtSql('flows.resp_ip', 'flows.start_us')} WHERE resp_ip IN (SELECT ip FROM identities WHERE kind = 'pod')`);
}

/**
 * Which NAT half is which: forwarding decrements the TTL, so the half with the higher originator
 * TTL was seen before translation; on a tie, the half whose originator is a node address is post.
 */
export function assignNatSides(db: CaseDb): void {
  db.exec(`UPDATE flows SET nat_side = NULL WHERE nat_peer IS NULL`);
  db.exec(`UPDATE flows SET nat_side = CASE
      WHEN orig_ttl > (SELECT p.orig_ttl FROM flows p WHERE p.id = flows.nat_peer) THEN 'pre'
      WHEN orig_ttl < (SELECT p.orig_ttl FROM flows p WHERE p.id = flows.nat_peer) THEN 'post'
      WHEN EXISTS (SELECT 1 FROM identities i WHERE i.ip = flows.orig_ip AND i.kind = 'node') THEN 'post'
      ELSE 'pre' END
    WHERE nat_peer IS NOT NULL`);
}

/** One RST seen before and after NAT is one event: keep it on the pre-NAT (pod-side) flow. */
export function mergeNatRsts(db: CaseDb): number {
  const twins = db.prepare(`SELECT r.id AS keep, r2.id AS drop_id FROM rst_events r
      JOIN flows f ON f.id = r.flow_id AND f.nat_side = 'pre'
      JOIN rst_events r2 ON r2.flow_id = f.nat_peer AND r2.seq = r.seq AND r2.flags = r.flags AND abs(r2.ts_us - r.ts_us) <= 1000000`).all() as { keep: number; drop_id: number }[];
  const move = db.prepare('INSERT OR IGNORE INTO rst_sightings (rst_id, source_id, iface, ifindex) SELECT ?, source_id, iface, ifindex FROM rst_sightings WHERE rst_id = ?');
  const delS = db.prepare('DELETE FROM rst_sightings WHERE rst_id = ?');
  const delR = db.prepare('DELETE FROM rst_events WHERE id = ?');
  const done = new Set<number>();
  for (const t of twins) {
    // When both halves look pre-NAT (equal TTLs, no node identity) each pair is listed twice.
    if (done.has(t.drop_id) || done.has(t.keep)) continue;
    move.run(t.keep, t.drop_id);
    delS.run(t.drop_id);
    delR.run(t.drop_id);
    done.add(t.drop_id);
  }
  return done.size;
}

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
  ttl: number;
  ip_id: number;
  sender_prev_ttl: number;
  sender_prev_ip_id: number;
  idle_before_us: number;
  quiet_before_us: number;
  answers_syn: number;
  sender_is_node: number;
  flow_has_pod: number;
  flow_points: string | null;
  rst_points: string | null;
}

/** Stores each RST's baseline TTL and verdict so the RST views aggregate in SQL. */
export function classifyRsts(db: CaseDb): void {
  const rows = db.prepare(`SELECT r.id, r.sender_ip, r.ttl, r.ip_id, r.sender_prev_ttl, r.sender_prev_ip_id, r.idle_before_us, coalesce(r.quiet_before_us, -1) AS quiet_before_us, r.answers_syn,
      CASE WHEN f.orig_ip = r.sender_ip THEN f.orig_ttl ELSE -1 END AS own_orig_ttl, CASE WHEN f.resp_ip = r.sender_ip THEN f.resp_ttl ELSE -1 END AS own_resp_ttl,
      EXISTS (SELECT 1 FROM identities i WHERE i.ip = r.sender_ip AND i.kind = 'node') AS sender_is_node,
      EXISTS (SELECT 1 FROM identities i WHERE i.kind = 'pod' AND i.ip IN (f.orig_ip, f.resp_ip) AND i.ip <> r.sender_ip) AS flow_has_pod,
      (SELECT group_concat(DISTINCT fs.source_id || ':' || fs.iface || ':' || fs.ifindex) FROM flow_sightings fs WHERE fs.flow_id = r.flow_id) AS flow_points,
      (SELECT group_concat(DISTINCT rs.source_id || ':' || rs.iface || ':' || rs.ifindex) FROM rst_sightings rs WHERE rs.rst_id = r.id) AS rst_points
    FROM rst_events r JOIN flows f ON f.id = r.flow_id`).all() as (RstCtx & { sender_ip: string; own_orig_ttl: number; own_resp_ttl: number })[];
  const ttls = senderTtlCounts(db);
  const upd = db.prepare('UPDATE rst_events SET ttl_baseline = ?, verdict = ?, reason = ? WHERE id = ?');
  for (const r of rows) {
    const baseline = r.sender_prev_ttl >= 0 ? r.sender_prev_ttl : usualTtl(ttls.get(r.sender_ip), r.own_orig_ttl, r.own_resp_ttl) ?? -1;
    const flowPoints = new Set((r.flow_points ?? '').split(',').filter(Boolean));
    const rstPoints = new Set((r.rst_points ?? '').split(',').filter(Boolean));
    const v = rstVerdict({
      ttl: r.ttl, ttlBaseline: baseline, ipId: r.ip_id, senderPrevIpId: r.sender_prev_ip_id, idleBeforeUs: r.idle_before_us, quietBeforeUs: r.quiet_before_us,
      answersSyn: r.answers_syn === 1,
      senderIsNodeForPodFlow: r.sender_is_node === 1 && r.flow_has_pod === 1,
      missingAtOtherCapture: rstPoints.size > 0 && [...flowPoints].some((p) => !rstPoints.has(p)),
    });
    upd.run(baseline >= 0 ? baseline : null, v.verdict, v.reason, r.id);
  }
}

/**
 * How often each RST sender used each TTL on the case's flows (first packet of its side), in one
 * pass over the flows of RST senders only; a per-RST subquery here was quadratic on busy servers.
 */
function senderTtlCounts(db: CaseDb): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  const rows = db.prepare(`SELECT ip, ttl, count(*) AS n FROM (
      SELECT o.orig_ip AS ip, o.orig_ttl AS ttl FROM flows o WHERE o.orig_ttl >= 0 AND o.orig_ip IN (SELECT DISTINCT sender_ip FROM rst_events)
      UNION ALL SELECT o.resp_ip, o.resp_ttl FROM flows o WHERE o.resp_ttl >= 0 AND o.resp_ip IN (SELECT DISTINCT sender_ip FROM rst_events))
    GROUP BY ip, ttl`).iterate() as Iterable<{ ip: string; ttl: number; n: number }>;
  for (const r of rows) {
    let m = out.get(r.ip);
    if (!m) out.set(r.ip, (m = new Map()));
    m.set(r.ttl, r.n);
  }
  return out;
}

/** The sender's most used TTL on its other flows (the RST's own flow left out); ties go to the higher TTL. */
function usualTtl(counts: Map<number, number> | undefined, ownOrig: number, ownResp: number): number | null {
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
