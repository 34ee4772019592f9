/**
 * The cells (core/analysis/opener-cells.ts, snat-cells.ts) a fan-out or SNAT-port answer is
 * reduced from: built from the flows of the window itself, or read from the minute rollups the
 * index phase stored. On a case of more than EXACT_MAX_FLOWS flows, windows are answered from the
 * rollups and so cover whole minutes (windowStepUs); on a smaller one, exactly.
 */
import { prepared } from '../db/statements.js';
import { addressClass } from '../analysis/address-class.js';
import { OpenerCellBuilder, MINUTE_US, minuteOf, type Destination, type OpenerCell, type OpenerCellHead } from '../analysis/opener-cells.js';
import { snatCells, type SnatCell, type SnatUse, type Window } from '../analysis/snat-cells.js';
import { SNAT } from '../analysis/snat.js';
import { isStaleAckReset } from '../analysis/stale-ack.js';
import type { CaseDb } from '../db/open-case.js';
import { clusterRanges } from './analysis-functions.js';
import type { TimeWindow } from './contract.js';

/** Beyond this many flows in a case, windowed answers come from the minute rollups (see planWindow). */
export const EXACT_MAX_FLOWS = 10_000;

/** How a window is answered: `exact` over its own flows, or `minutes` from the rollups. */
export interface WindowPlan {
  mode: 'exact' | 'minutes';
  /** The window the answer covers (µs, inclusive); ±Infinity where open. */
  fromUs: number;
  toUs: number;
}

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

/** What the index phase stored with the rollups: the flows they were built from. */
function rollupsOf(db: CaseDb): { flows: number } | null {
  const r = prepared(db, `SELECT json FROM answers WHERE name = 'rollups'`).get() as { json: string } | undefined;
  return r ? (JSON.parse(r.json) as { flows: number }) : null;
}

/**
 * A case of more than `exactMaxFlows` flows answers every window from the rollups, widened to
 * whole minutes; a smaller one (or one without rollups) from the window's own flows. Decided per
 * case rather than per window: a connection open for an hour belongs to every window it
 * overlaps, so no index bounds the flows an exact SNAT answer must read in a large case.
 * `exactMaxFlows` is for tests that take one path or the other on purpose.
 */
export function planWindow(db: CaseDb, w: TimeWindow, exactMaxFlows = EXACT_MAX_FLOWS): WindowPlan {
  const fromUs = w.fromUs ?? -Infinity;
  const toUs = w.toUs ?? Infinity;
  const rollups = rollupsOf(db);
  // The whole case reads the same either way, and the rollups are smaller.
  const whole = w.fromUs === undefined && w.toUs === undefined;
  if (!rollups || (rollups.flows <= exactMaxFlows && !(whole && exactMaxFlows !== Infinity))) return { mode: 'exact', fromUs, toUs };
  return {
    mode: 'minutes',
    fromUs: Number.isFinite(fromUs) ? minuteOf(fromUs) * MINUTE_US : fromUs,
    toUs: Number.isFinite(toUs) ? (minuteOf(toUs) + 1) * MINUTE_US - 1 : toUs,
  };
}

/** The step analysis windows are widened to on this case (null: answered exactly). */
export function windowStepUs(db: CaseDb): number | null {
  return planWindow(db, { fromUs: 0, toUs: 0 }).mode === 'minutes' ? MINUTE_US : null;
}

/** SQLite takes no infinities; these bounds lie beyond any capture. */
const bound = (us: number) => (us === Infinity ? Number.MAX_SAFE_INTEGER : us === -Infinity ? -Number.MAX_SAFE_INTEGER : us);
const minuteBound = (us: number) => (Number.isFinite(us) ? minuteOf(us) : us > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER);

/** Fan-out cells of a window, heads first (ranking needs no blob), with their destinations. */
export interface OpenerCells {
  heads: OpenerCellHead[];
  /** The full cells of one opener. */
  of(who: string): OpenerCell[];
  dest(id: number): Destination;
  /** Connections per destination id, over every opener. */
  destTotals(): Map<number, number>;
}

function sumDests(into: Map<number, number>, pairs: Uint32Array): void {
  for (let i = 0; i < pairs.length; i += 2) into.set(pairs[i], (into.get(pairs[i]) ?? 0) + pairs[i + 1]);
}

type OpenerRow = [number, number, string | null, string, string, number, number | null];

function buildOpenerCells(db: CaseDb, rows: Iterable<OpenerRow>, onCells: (c: OpenerCell[]) => void): Map<string, number> {
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

function openerRows(db: CaseDb, fromUs: number, toUs: number): Iterable<OpenerRow> {
  return prepared(db, `SELECT f.start_us, f.end_us, f.orig_pod, f.orig_ip, f.resp_ip, f.resp_port, f.requests ${OPENER_FLOWS}
    AND f.start_us >= ? AND f.start_us <= ? ORDER BY f.start_us`).raw().iterate(bound(fromUs), bound(toUs)) as Iterable<OpenerRow>;
}

function destinations(db: CaseDb): (ip: string, port: number) => Destination {
  const ranges = clusterRanges(db);
  return (ip, port) => ({ ip, port, public: addressClass(ip, ranges) === 'public' });
}

export function openerCells(db: CaseDb, plan: WindowPlan): OpenerCells {
  const toDest = destinations(db);
  if (plan.mode === 'exact') {
    const cells: OpenerCell[] = [];
    const ids = buildOpenerCells(db, openerRows(db, plan.fromUs, plan.toUs), (c) => cells.push(...c));
    const byId = new Map([...ids].map(([k, id]) => { const [ip, port] = k.split('|'); return [id, toDest(ip, Number(port))]; }));
    const byWho = groupBy(cells, (c) => c.who);
    const destTotals = () => {
      const m = new Map<number, number>();
      for (const c of cells) sumDests(m, c.dests);
      return m;
    };
    return { heads: cells, of: (who) => byWho.get(who) ?? [], dest: (id) => byId.get(id)!, destTotals };
  }
  const heads = prepared(db, `SELECT id, minute, who, is_pod AS isPod, connections, one_request AS oneRequest FROM opener_minutes WHERE minute >= ? AND minute <= ?`)
    .all(minuteBound(plan.fromUs), minuteBound(plan.toUs)) as (OpenerCellHead & { id: number })[];
  // SQLite hands back 0/1.
  for (const h of heads) h.isPod = (h.isPod as unknown) === 1;
  const byWho = groupBy(heads, (h) => h.who);
  // One statement per opener, not per cell: the top openers' cells are hundreds of rows.
  const blobs = prepared(db, `SELECT id, dests, lifetimes FROM opener_minutes WHERE id IN (SELECT value FROM json_each(?))`).raw();
  const destRow = prepared(db, `SELECT ip, port FROM rollup_dests WHERE id = ?`);
  const seen = new Map<number, Destination>();
  return {
    heads,
    of: (who) => {
      const mine = byWho.get(who) ?? [];
      const b = new Map((blobs.all(JSON.stringify(mine.map((h) => h.id))) as [number, Buffer, Buffer][]).map(([id, d, l]) => [id, [d, l] as const]));
      return mine.map(({ id, ...h }) => {
        const [d, l] = b.get(id)!;
        return { ...h, dests: view(Uint32Array, d), lifetimesUs: view(Float64Array, l) };
      });
    },
    destTotals: () => new Map((prepared(db, `SELECT dest_id, sum(connections) FROM dest_minutes WHERE minute >= ? AND minute <= ? GROUP BY dest_id`).raw()
      .all(minuteBound(plan.fromUs), minuteBound(plan.toUs)) as [number, number][])),
    dest: (id) => {
      let d = seen.get(id);
      if (!d) {
        const r = destRow.get(id) as { ip: string; port: number };
        seen.set(id, (d = toDest(r.ip, r.port)));
      }
      return d;
    },
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** RSTs per verdict and sender in a window ('verdict from sender' → count). */
export function rstCounts(db: CaseDb, plan: WindowPlan): Map<string, number> {
  const key = `coalesce(verdict, 'unknown') || ' from ' || sender_who`;
  const rows = plan.mode === 'minutes'
    ? prepared(db, `SELECT ${key} AS k, sum(rsts) AS n FROM rst_minutes WHERE minute >= ? AND minute <= ? GROUP BY k`).raw().all(minuteBound(plan.fromUs), minuteBound(plan.toUs))
    : prepared(db, `SELECT ${key} AS k, count(*) AS n FROM rst_events WHERE ts_us >= ? AND ts_us <= ? GROUP BY k`).raw().all(bound(plan.fromUs), bound(plan.toUs));
  return new Map(rows as [string, number][]);
}

/** One SNAT group's cells in a window. */
export interface SnatGroupCells {
  snatIp: string;
  dstIp: string;
  dstPort: number;
  cells: SnatCell[];
}

export interface SnatCellSet {
  groups: SnatGroupCells[];
  pod(id: number): string | null;
}

type SnatRow = [string, string, number, number, number, number, string | null, string, string, string | null];

function* snatGroups(rows: Iterable<SnatRow>, isPublic: (ip: string) => boolean, podId: (pod: string | null) => number, clamp?: Window): Generator<SnatGroupCells> {
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

function snatRows(db: CaseDb, fromUs: number, toUs: number): Iterable<SnatRow> {
  // A connection that ended up to the longest hold before the window still holds its port inside it.
  return prepared(db, `SELECT f.orig_ip, f.resp_ip, f.resp_port, f.orig_port, f.start_us, f.end_us, f.rst_by, f.state, f.history, ${SNAT_POD}
    ${SNAT_FLOWS} AND f.end_us >= ? AND f.start_us <= ? ORDER BY f.orig_ip, f.resp_ip, f.resp_port, f.start_us`)
    .raw().iterate(bound(fromUs - SNAT.holdAfterFinUs), bound(toUs)) as Iterable<SnatRow>;
}

function publicTest(db: CaseDb): (ip: string) => boolean {
  const ranges = clusterRanges(db);
  const memo = new Map<string, boolean>();
  return (ip) => {
    let p = memo.get(ip);
    if (p === undefined) memo.set(ip, (p = addressClass(ip, ranges) === 'public'));
    return p;
  };
}

export function snatCellSet(db: CaseDb, plan: WindowPlan): SnatCellSet {
  if (plan.mode === 'exact') {
    const pods = new Map<string, number>();
    const podId = (p: string | null) => (p === null ? 0 : pods.get(p) ?? (pods.set(p, pods.size + 1), pods.size));
    const groups = [...snatGroups(snatRows(db, plan.fromUs, plan.toUs), publicTest(db), podId, { fromUs: plan.fromUs, toUs: plan.toUs })];
    const names = new Map([...pods].map(([p, id]) => [id, p]));
    return { groups, pod: (id) => names.get(id) ?? null };
  }
  const lo = minuteBound(plan.fromUs);
  const hi = minuteBound(plan.toUs);
  const active = new Map((prepared(db, `SELECT minute, ports FROM snat_active WHERE minute >= ? AND minute <= ?`).raw().all(lo, hi) as [number, Buffer][])
    .map(([m, b]) => [m, view(Uint16Array, b)]));
  // Grouped here rather than by ORDER BY: the sort cost more than the whole read.
  const rows = prepared(db, `SELECT snat_ip, dst_ip, dst_port, minute, first_us, last_us, peak_concurrent, peak_held, held_after_close, reuse, active_at, active_len, stale_acks
    FROM snat_minutes WHERE minute >= ? AND minute <= ?`).raw()
    .iterate(lo, hi) as Iterable<[string, string, number, number, number | null, number | null, number, number, number, Buffer | null, number, number, number]>;
  const byGroup = new Map<string, SnatGroupCells>();
  for (const [ip, dst, dport, minute, first, last, pc, ph, hac, reuse, at, len, staleAcks] of rows) {
    const k = `${ip}|${dst}|${dport}`;
    let g = byGroup.get(k);
    if (!g) byGroup.set(k, (g = { snatIp: ip, dstIp: dst, dstPort: dport, cells: [] }));
    g.cells.push({
      minute, firstUs: first ?? Infinity, lastUs: last ?? -Infinity, peakConcurrent: pc, peakHeld: ph, heldAfterClose: hac,
      active: len ? active.get(minute)!.subarray(at, at + len) : EMPTY_U16, reuse: reuse ? view(Float64Array, reuse) : EMPTY_F64, staleAcks,
    });
  }
  const groups = [...byGroup.values()];
  for (const g of groups) g.cells.sort((a, b) => a.minute - b.minute);
  const names = new Map<number, string>();
  const podName = prepared(db, 'SELECT pod FROM rollup_pods WHERE id = ?').pluck();
  const pod = (id: number): string | null => {
    if (id === 0) return null;
    let p = names.get(id);
    if (p === undefined) names.set(id, (p = (podName.get(id) as string | undefined) ?? ''));
    return p || null;
  };
  return { groups, pod };
}

/** A blob as typed values: in place when aligned (SQLite's buffers usually are), else copied. */
function view<T extends Uint16Array | Uint32Array | Float64Array>(Type: { new (b: ArrayBufferLike, o: number, n: number): T; new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, b: Buffer): T {
  const n = Math.floor(b.byteLength / Type.BYTES_PER_ELEMENT);
  return b.byteOffset % Type.BYTES_PER_ELEMENT === 0 ? new Type(b.buffer, b.byteOffset, n) : new Type(new Uint8Array(b).buffer);
}

const blob = (a: Uint16Array | Uint32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
// Empty lists are stored as NULL: a zero-length blob still costs a Buffer per row when read.
const blobOrNull = (a: Uint16Array | Float64Array) => (a.length ? blob(a) : null);
const EMPTY_U16 = new Uint16Array(0);
const EMPTY_F64 = new Float64Array(0);

/**
 * Rebuilds the minute rollups from the case's flows (the index phase; inside the caller's
 * transaction), and marks them current in `answers` (dropped by afterIngest with the rest).
 */
export function storeRollups(db: CaseDb): void {
  // Unsafe mode lets the rollup rows be written while the flows are still being read (other
  // tables only), instead of holding a whole case's flows in memory between the two.
  db.unsafeMode(true);
  try {
    writeRollups(db);
  } finally {
    db.unsafeMode(false);
  }
}

function writeRollups(db: CaseDb): void {
  db.exec('DELETE FROM opener_minutes; DELETE FROM snat_minutes; DELETE FROM snat_active; DELETE FROM dest_minutes; DELETE FROM rst_minutes; DELETE FROM rollup_dests; DELETE FROM rollup_pods;');
  db.exec(`INSERT INTO rst_minutes (minute, verdict, sender_who, rsts)
    SELECT ts_us / ${MINUTE_US}, verdict, sender_who, count(*) FROM rst_events GROUP BY 1, 2, 3`);
  const putOpener = prepared(db, 'INSERT INTO opener_minutes (minute, who, is_pod, connections, one_request, dests, lifetimes) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const putDestMinute = prepared(db, 'INSERT INTO dest_minutes (minute, dest_id, connections) VALUES (?, ?, ?)');
  const ids = buildOpenerCells(db, openerRows(db, -Infinity, Infinity), (cells) => {
    const perDest = new Map<number, Map<number, number>>();
    for (const c of cells) {
      putOpener.run(c.minute, c.who, c.isPod ? 1 : 0, c.connections, c.oneRequest, blob(c.dests), blob(c.lifetimesUs));
      let m = perDest.get(c.minute);
      if (!m) perDest.set(c.minute, (m = new Map()));
      sumDests(m, c.dests);
    }
    for (const [minute, m] of perDest) for (const [id, n] of m) putDestMinute.run(minute, id, n);
  });
  const putDest = prepared(db, 'INSERT INTO rollup_dests (id, ip, port) VALUES (?, ?, ?)');
  for (const [k, id] of ids) {
    const [ip, port] = k.split('|');
    putDest.run(id, ip, Number(port));
  }

  const pods = new Map<string, number>();
  const putPod = prepared(db, 'INSERT INTO rollup_pods (id, pod) VALUES (?, ?)');
  const podId = (p: string | null) => {
    if (p === null) return 0;
    let id = pods.get(p);
    if (id === undefined) { pods.set(p, (id = pods.size + 1)); putPod.run(id, p); }
    return id;
  };
  const putSnat = prepared(db, `INSERT INTO snat_minutes (snat_ip, dst_ip, dst_port, minute, first_us, last_us, peak_concurrent, peak_held, held_after_close, reuse, active_at, active_len, stale_acks)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const putActive = prepared(db, 'INSERT INTO snat_active (minute, ports) VALUES (?, ?)');
  const rows = prepared(db, `SELECT f.orig_ip, f.resp_ip, f.resp_port, f.orig_port, f.start_us, f.end_us, f.rst_by, f.state, f.history, ${SNAT_POD}
    ${SNAT_FLOWS} ORDER BY f.orig_ip, f.resp_ip, f.resp_port, f.start_us`).raw().iterate() as Iterable<SnatRow>;
  // Written in minute order, so a window's rows sit together in the file (read in one sweep).
  const cells: [SnatGroupCells, SnatCell][] = [];
  for (const g of snatGroups(rows, publicTest(db), podId)) for (const c of g.cells) cells.push([g, c]);
  cells.sort((a, b) => a[1].minute - b[1].minute);
  for (let i = 0; i < cells.length; ) {
    const minute = cells[i][1].minute;
    let j = i;
    let size = 0;
    for (; j < cells.length && cells[j][1].minute === minute; j++) size += cells[j][1].active.length;
    const ports = new Uint16Array(size);
    let at = 0;
    for (; i < j; i++) {
      const [g, c] = cells[i];
      ports.set(c.active, at);
      putSnat.run(g.snatIp, g.dstIp, g.dstPort, c.minute, Number.isFinite(c.firstUs) ? c.firstUs : null, Number.isFinite(c.lastUs) ? c.lastUs : null,
        c.peakConcurrent, c.peakHeld, c.heldAfterClose, blobOrNull(c.reuse), at, c.active.length, c.staleAcks);
      at += c.active.length;
    }
    putActive.run(minute, blob(ports));
  }
  const flows = (prepared(db, 'SELECT count(*) AS n FROM flows').get() as { n: number }).n;
  prepared(db, `INSERT OR REPLACE INTO answers (name, json, computed_at) VALUES ('rollups', ?, ?)`).run(JSON.stringify({ minuteUs: MINUTE_US, flows }), Date.now() * 1000);
}
