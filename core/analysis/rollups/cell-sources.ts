/**
 * Flows into cells: the SQL that selects what fan-out and SNAT ports count, and the passes that
 * turn those rows into opener and SNAT cells. Used for an exact window and to build the rollups.
 */
import { addressClass } from '../../net/address-class.js';
import { OpenerCellBuilder, minuteOf, type OpenerCell } from '../cells/opener-cells.js';
import { snatCells, type SnatCell, type SnatUse, type Window } from '../cells/snat-cells.js';
import { SNAT } from '../cells/snat.js';
import { isStaleAckReset } from '../stale-ack.js';
import type { CaseDb } from '../../db/open-case.js';
import { prepared } from '../../db/statements.js';
import { clusterRanges } from '../sql-functions.js';
import { bound } from './window-plan.js';

/** Pre-NAT TCP connections whose originator is known: what fan-out counts. */
const OPENER_FLOWS = `FROM flows f WHERE f.proto = 'tcp' AND f.origin_guessed = 0 AND coalesce(+f.nat_side, 'pre') = 'pre'`;

/**
 * The translated side of each connection: the post-NAT half of a linked pair, or a flow whose
 * originator is a node address (captured only on the uplink). Only public destinations use SNAT
 * (filtered in JS: ip_public per row in SQL costs a call into JS anyway).
 */
export const SNAT_FLOWS = `FROM flows f WHERE f.proto = 'tcp' AND f.origin_guessed = 0
    AND (f.nat_side = 'post' OR (f.nat_peer IS NULL AND f.orig_ip IN (SELECT ip FROM identities WHERE kind = 'node')))`;

/** The pod a SNAT port is charged to: the pre-NAT half's, the flow's own, or conntrack's reply tuple. */
const SNAT_POD = `coalesce((SELECT p.orig_pod FROM flows p WHERE p.id = f.nat_peer), f.orig_pod,
    (SELECT i.namespace || '/' || i.pod FROM conntrack_entries c JOIN identities i ON i.ip = c.orig_src AND i.kind = 'pod'
      WHERE c.reply_dst = f.orig_ip AND c.reply_dport = f.orig_port AND c.orig_dst = f.resp_ip AND c.orig_dport = f.resp_port LIMIT 1))`;

export type OpenerRow = [number, number, string | null, string, string, number, number | null];

export function buildOpenerCells(db: CaseDb, rows: Iterable<OpenerRow>, onCells: (c: OpenerCell[]) => void): Map<string, number> {
  const builder = new OpenerCellBuilder();
  const ids = new Map<string, number>();
  let minute = -Infinity;
  for (const [s, e, pod, ip, rip, rport, rq] of rows) {
    const key = `${rip}|${rport}`;
    let destId = ids.get(key);
    if (destId === undefined) ids.set(key, (destId = ids.size + 1));
    const m = minuteOf(s);
    // Rows come in start order: every cell of an earlier minute is complete.
    if (m > minute) { onCells(builder.drain(m)); minute = m; }
    builder.add({ startUs: s, endUs: e, who: pod ?? ip, isPod: pod !== null, destId, requests: rq });
  }
  onCells(builder.drain());
  return ids;
}

/**
 * Requests a connection carried, as evidence of (no) reuse: none for one the responder refused or
 * reset (REJ, RSTR, RSTRH), whose single request says nothing about the opener's choice to reuse.
 */
const OPENER_REQUESTS = `CASE WHEN f.state IN ('REJ', 'RSTR', 'RSTRH') THEN NULL ELSE f.requests END`;

export function openerRows(db: CaseDb, fromUs: number, toUs: number): Iterable<OpenerRow> {
  return prepared(db, `SELECT f.start_us, f.end_us, f.orig_pod, f.orig_ip, f.resp_ip, f.resp_port, ${OPENER_REQUESTS} ${OPENER_FLOWS}
    AND f.start_us >= ? AND f.start_us <= ? ORDER BY f.start_us`).raw().iterate(bound(fromUs), bound(toUs)) as Iterable<OpenerRow>;
}

/** One SNAT group's cells in a window. */
export interface SnatGroupCells {
  snatIp: string;
  dstIp: string;
  dstPort: number;
  cells: SnatCell[];
}

export type SnatRow = [string, string, number, number, number, number, string | null, string, string, string | null];

export function* snatGroups(rows: Iterable<SnatRow>, isPublic: (ip: string) => boolean, podId: (pod: string | null) => number, clamp?: Window): Generator<SnatGroupCells> {
  let key = '';
  let cur: { snatIp: string; dstIp: string; dstPort: number; uses: SnatUse[] } | null = null;
  const flush = function* () {
    if (cur && cur.uses.length) yield { snatIp: cur.snatIp, dstIp: cur.dstIp, dstPort: cur.dstPort, cells: snatCells(cur.uses, clamp) };
  };
  for (const [ip, dst, dport, port, s, e, rst, state, history, pod] of rows) {
    if (!isPublic(dst)) continue;
    const k = `${ip}|${dst}|${dport}`;
    if (k !== key) {
      yield* flush();
      key = k;
      cur = { snatIp: ip, dstIp: dst, dstPort: dport, uses: [] };
    }
    cur!.uses.push({
      port, startUs: s, endUs: e, ended: rst ? 'rst' : state === 'SF' || state === 'S2' || state === 'S3' ? 'fin' : 'open', podId: podId(pod), staleAck: isStaleAckReset(state, history),
    });
  }
  yield* flush();
}

export function snatRows(db: CaseDb, fromUs: number, toUs: number): Iterable<SnatRow> {
  // A connection that ended up to the longest hold before the window still holds its port inside it.
  return prepared(db, `SELECT f.orig_ip, f.resp_ip, f.resp_port, f.orig_port, f.start_us, f.end_us, f.rst_by, f.state, f.history, ${SNAT_POD}
    ${SNAT_FLOWS} AND f.end_us >= ? AND f.start_us <= ? ORDER BY f.orig_ip, f.resp_ip, f.resp_port, f.start_us`)
    .raw().iterate(bound(fromUs - SNAT.holdAfterFinUs), bound(toUs)) as Iterable<SnatRow>;
}

export function publicTest(db: CaseDb): (ip: string) => boolean {
  const ranges = clusterRanges(db);
  const memo = new Map<string, boolean>();
  return (ip) => {
    let p = memo.get(ip);
    if (p === undefined) memo.set(ip, (p = addressClass(ip, ranges) === 'public'));
    return p;
  };
}
