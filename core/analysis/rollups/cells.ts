/**
 * The cells (core/analysis/cells/opener-cells.ts, snat-cells.ts) a fan-out or SNAT-port answer is
 * reduced from: built from the flows of the window itself, or read from the minute rollups the
 * index phase stored. On a case of more than EXACT_MAX_FLOWS flows, windows are answered from the
 * rollups and so cover whole minutes (windowStepUs); on a smaller one, exactly.
 */
import type { Destination, OpenerCell, OpenerCellHead } from '../cells/opener-cells.js';
import type { CaseDb } from '../../db/open-case.js';
import { prepared } from '../../db/statements.js';
import { EMPTY_F64, EMPTY_U16, view } from '../../db/typed-blobs.js';
import { buildOpenerCells, openerRows, publicTest, snatGroups, snatRows, type SnatGroupCells } from './cell-sources.js';
import { bound, minuteBound, type WindowPlan } from './window-plan.js';

/** Fan-out cells of a window, heads first (ranking needs no blob), with their destinations. */
export interface OpenerCells {
  heads: OpenerCellHead[];
  /** The full cells of one opener. */
  of(who: string): OpenerCell[];
  dest(id: number): Destination;
  /** Connections per destination id, over every opener. */
  destTotals(): Map<number, number>;
}

export function sumDests(into: Map<number, number>, pairs: Uint32Array): void {
  for (let i = 0; i < pairs.length; i += 2) into.set(pairs[i], (into.get(pairs[i]) ?? 0) + pairs[i + 1]);
}

function destinations(db: CaseDb): (ip: string, port: number) => Destination {
  const isPublic = publicTest(db);
  return (ip, port) => ({ ip, port, public: isPublic(ip) });
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

export interface SnatCellSet {
  groups: SnatGroupCells[];
  pod(id: number): string | null;
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
