import type { CaseDb } from '../../db/open-case.js';
import type { FlowRow } from '../../db/schema.js';
import type { FlowOut } from '../contract.js';
import { usToSeconds } from '../time.js';

export interface FlowQuery {
  /** Only flows with one of these Zeek states. */
  states?: string[];
  /** Flows where either endpoint is this address. */
  ip?: string;
  /** Flows where either endpoint uses this port. */
  port?: number;
  proto?: 'tcp' | 'udp' | 'icmp';
  /** Time window (µs): flows overlapping it. */
  fromUs?: number;
  toUs?: number;
  limit?: number;
  offset?: number;
}

export type FlowJoined = FlowRow & { source_path: string; p_proto: string | null; p_orig_ip: string | null; p_orig_port: number | null; p_resp_ip: string | null; p_resp_port: number | null };

export function flowWhere(q: FlowQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.states && q.states.length > 0) {
    where.push(`f.state IN (${q.states.map(() => '?').join(', ')})`);
    params.push(...q.states);
  }
  if (q.ip !== undefined) {
    where.push('(f.orig_ip = ? OR f.resp_ip = ?)');
    params.push(q.ip, q.ip);
  }
  if (q.port !== undefined) {
    where.push('(f.orig_port = ? OR f.resp_port = ?)');
    params.push(q.port, q.port);
  }
  if (q.proto !== undefined) {
    where.push('f.proto = ?');
    params.push(q.proto);
  }
  if (q.fromUs !== undefined) {
    where.push('f.end_us >= ?');
    params.push(q.fromUs);
  }
  if (q.toUs !== undefined) {
    where.push('f.start_us <= ?');
    params.push(q.toUs);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * The columns every flow listing selects (alias f, sources s, NAT peer p), with the pods the
 * identity graph gave each endpoint at the flow's start (stored by the correlate phase).
 */
export const FLOW_SELECT = `SELECT f.*, s.path AS source_path, p.proto AS p_proto, p.orig_ip AS p_orig_ip, p.orig_port AS p_orig_port,
      p.resp_ip AS p_resp_ip, p.resp_port AS p_resp_port
    FROM flows f JOIN sources s ON s.id = f.source_id LEFT JOIN flows p ON p.id = f.nat_peer`;

/** Flows in start order, streamed (a case may hold millions). */
export function* iterateFlows(db: CaseDb, q: FlowQuery = {}): Generator<FlowOut> {
  const { sql, params } = flowWhere(q);
  const stmt = db.prepare(`${FLOW_SELECT}
    ${sql} ORDER BY f.start_us, f.id LIMIT ? OFFSET ?`);
  for (const r of stmt.iterate(...params, q.limit ?? -1, q.offset ?? 0) as Iterable<FlowJoined>) yield toFlowOut(r);
}

export function toFlowOut(r: FlowJoined): FlowOut {
  return {
    id: r.id,
    proto: r.proto,
    orig_ip: r.orig_ip,
    orig_port: r.orig_port,
    resp_ip: r.resp_ip,
    resp_port: r.resp_port,
    start: usToSeconds(r.start_us)!,
    end: usToSeconds(r.end_us)!,
    duration: (r.end_us - r.start_us) / 1e6,
    state: r.state,
    history: r.history,
    orig_pkts: r.orig_pkts,
    resp_pkts: r.resp_pkts,
    orig_bytes: r.orig_bytes,
    resp_bytes: r.resp_bytes,
    rst_by: r.rst_by as FlowOut['rst_by'],
    source: r.source_path,
    orig_pod: r.orig_pod,
    resp_pod: r.resp_pod,
    nat_peer: r.p_orig_ip === null ? null : { proto: r.p_proto!, orig_ip: r.p_orig_ip, orig_port: r.p_orig_port!, resp_ip: r.p_resp_ip!, resp_port: r.p_resp_port! },
    origin_guessed: r.origin_guessed === 1,
  };
}
