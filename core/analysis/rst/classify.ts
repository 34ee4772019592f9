/**
 * RST classification over the whole case (run by the correlate phase, after identities and NAT
 * links): who sent and received each RST, its baseline TTL and its verdict, stored so the RST
 * views aggregate in SQL.
 */
import type { CaseDb } from '../../db/open-case.js';
import { rstVerdict } from './verdict.js';

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
