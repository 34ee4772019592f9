import type { RstVerdict } from '../../analysis/rst/verdict.js';
import type { CaseDb } from '../../db/open-case.js';
import type { RstEventRow } from '../../db/schema.js';
import { nodeOfSql, podAtSql } from '../../db/identity-sql.js';
import { rstWhere } from '../../analysis/rst/summary.js';
import type { FlowTuple, RstOut } from '../contract.js';

export interface RstQuery {
  senderIp?: string;
  verdict?: RstVerdict;
  fromUs?: number;
  toUs?: number;
  limit?: number;
}

type Joined = RstEventRow & FlowTuple & { state: string; sightings: string | null; sender_pod: string | null; sender_node: string | null; receiver_pod: string | null };

/** The interface a sighting was made on: pcapng if_name, else the SLL2 ifindex resolved through the node's `ip link`. */
const INTERFACE_NAME_SQL = `coalesce(
  (SELECT i.veth FROM identities i WHERE i.ifindex = rs.ifindex AND rs.ifindex >= 0 AND (i.node IS s.node OR s.node IS NULL) LIMIT 1),
  nullif(ci.name, 'any'), CASE WHEN rs.ifindex >= 0 THEN 'ifindex ' || rs.ifindex END, ci.name)`;

export function* iterateRst(db: CaseDb, q: RstQuery = {}): Generator<RstOut> {
  const { sql, params } = rstWhere(q);
  const stmt = db.prepare(`SELECT r.*, f.proto, f.orig_ip, f.orig_port, f.resp_ip, f.resp_port, f.state,
      (SELECT json_group_array(json_object('source', s.path, 'interface', ${INTERFACE_NAME_SQL}))
         FROM rst_sightings rs JOIN sources s ON s.id = rs.source_id
         LEFT JOIN capture_interfaces ci ON ci.source_id = rs.source_id AND ci.iface = rs.iface
        WHERE rs.rst_id = r.id) AS sightings,
      ${podAtSql('r.sender_ip', 'r.ts_us')} AS sender_pod, ${nodeOfSql('r.sender_ip')} AS sender_node,
      ${podAtSql('r.receiver_ip', 'r.ts_us')} AS receiver_pod
    FROM rst_events r JOIN flows f ON f.id = r.flow_id
    ${sql} ORDER BY r.ts_us, r.id LIMIT ?`);
  for (const r of stmt.iterate(...params, q.limit ?? -1) as Iterable<Joined>) {
    yield {
      id: r.id,
      ts: r.ts_us / 1e6,
      sender_ip: r.sender_ip,
      sender_port: r.sender_port,
      receiver_ip: r.receiver_ip,
      receiver_port: r.receiver_port,
      sender_role: r.sender_role as RstOut['sender_role'],
      ttl: r.ttl,
      ttl_baseline: r.ttl_baseline,
      ip_id: r.ip_id >= 0 ? r.ip_id : null,
      idle_before_s: r.idle_before_us >= 0 ? r.idle_before_us / 1e6 : null,
      answers_syn: r.answers_syn === 1,
      verdict: (r.verdict ?? 'unknown') as RstVerdict,
      reason: r.reason ?? '',
      rule: r.rule,
      evidence: r.evidence ? (JSON.parse(r.evidence) as string[]) : [],
      sender_pod: r.sender_pod,
      sender_node: r.sender_node,
      receiver_pod: r.receiver_pod,
      seen_at: r.sightings ? (JSON.parse(r.sightings) as RstOut['seen_at']) : [],
      flow: { id: r.flow_id, proto: r.proto, orig_ip: r.orig_ip, orig_port: r.orig_port, resp_ip: r.resp_ip, resp_port: r.resp_port, state: r.state },
    };
  }
}
