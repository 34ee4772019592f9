import { rstVerdict, type RstVerdict } from '../analysis/rst-verdict.js';
import type { CaseDb } from '../db/open-case.js';
import type { RstEventRow } from '../db/schema.js';
import { nodeOfSql, podAtSql } from './correlate.js';
import type { FlowTuple } from './flows.js';

export interface RstQuery {
  senderIp?: string;
  fromUs?: number;
  toUs?: number;
  limit?: number;
}

/** `podcap rst` row (DESIGN.md CLI contract). */
export interface RstOut {
  id: number;
  ts: number;
  sender_ip: string;
  sender_port: number;
  receiver_ip: string;
  receiver_port: number;
  sender_role: 'orig' | 'resp' | 'unknown';
  ttl: number;
  ttl_baseline: number | null;
  idle_before_s: number | null;
  verdict: RstVerdict;
  reason: string;
  sender_pod: string | null;
  sender_node: string | null;
  seen_at: { source: string; interface: string | null }[];
  flow: FlowTuple & { state: string; id: number };
}

type Joined = RstEventRow & FlowTuple & { state: string; other_ttl: number | null; sightings: string | null; sender_pod: string | null; sender_node: string | null };

export function* iterateRst(db: CaseDb, q: RstQuery = {}): Generator<RstOut> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.senderIp !== undefined) { where.push('r.sender_ip = ?'); params.push(q.senderIp); }
  if (q.fromUs !== undefined) { where.push('r.ts_us >= ?'); params.push(q.fromUs); }
  if (q.toUs !== undefined) { where.push('r.ts_us <= ?'); params.push(q.toUs); }
  // Without an earlier packet on the same flow, the sender's TTL on its other flows is the baseline.
  const stmt = db.prepare(`SELECT r.*, f.proto, f.orig_ip, f.orig_port, f.resp_ip, f.resp_port, f.state,
      (SELECT CASE WHEN o.orig_ip = r.sender_ip THEN o.orig_ttl ELSE o.resp_ttl END FROM flows o
        WHERE o.id <> r.flow_id AND ((o.orig_ip = r.sender_ip AND o.orig_ttl >= 0) OR (o.resp_ip = r.sender_ip AND o.resp_ttl >= 0)) LIMIT 1) AS other_ttl,
      (SELECT json_group_array(json_object('source', s.path, 'interface', coalesce(ci.name, CASE WHEN rs.ifindex >= 0 THEN 'ifindex ' || rs.ifindex END)))
         FROM rst_sightings rs JOIN sources s ON s.id = rs.source_id
         LEFT JOIN capture_interfaces ci ON ci.source_id = rs.source_id AND ci.iface = rs.iface
        WHERE rs.rst_id = r.id) AS sightings,
      ${podAtSql('r.sender_ip', 'r.ts_us')} AS sender_pod, ${nodeOfSql('r.sender_ip')} AS sender_node
    FROM rst_events r JOIN flows f ON f.id = r.flow_id
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.ts_us, r.id LIMIT ?`);
  for (const r of stmt.iterate(...params, q.limit ?? -1) as Iterable<Joined>) {
    const baseline = r.sender_prev_ttl >= 0 ? r.sender_prev_ttl : r.other_ttl ?? -1;
    const v = rstVerdict({
      ttl: r.ttl, ttlBaseline: baseline, ipId: r.ip_id, senderPrevIpId: r.sender_prev_ip_id,
      idleBeforeUs: r.idle_before_us, answersSyn: r.answers_syn === 1,
    });
    yield {
      id: r.id,
      ts: r.ts_us / 1e6,
      sender_ip: r.sender_ip,
      sender_port: r.sender_port,
      receiver_ip: r.receiver_ip,
      receiver_port: r.receiver_port,
      sender_role: r.sender_role as RstOut['sender_role'],
      ttl: r.ttl,
      ttl_baseline: baseline >= 0 ? baseline : null,
      idle_before_s: r.idle_before_us >= 0 ? r.idle_before_us / 1e6 : null,
      verdict: v.verdict,
      reason: v.reason,
      sender_pod: r.sender_pod,
      sender_node: r.sender_node,
      seen_at: r.sightings ? (JSON.parse(r.sightings) as RstOut['seen_at']) : [],
      flow: { id: r.flow_id, proto: r.proto, orig_ip: r.orig_ip, orig_port: r.orig_port, resp_ip: r.resp_ip, resp_port: r.resp_port, state: r.state },
    };
  }
}
