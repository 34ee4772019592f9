/**
 * How a time window is answered: from the window's own flows (exact) or from the minute rollups
 * the index phase stored (whole minutes). Decided per case by its size (planWindow).
 */
import { MINUTE_US, minuteOf } from '../cells/opener-cells.js';
import type { CaseDb } from '../../db/open-case.js';
import { prepared } from '../../db/statements.js';

/** A time window in epoch microseconds (the shared time brush). */
export interface TimeWindow {
  fromUs?: number;
  toUs?: number;
}

/** Beyond this many flows in a case, windowed answers come from the minute rollups (see planWindow). */
export const EXACT_MAX_FLOWS = 10_000;

/** How a window is answered: `exact` over its own flows, or `minutes` from the rollups. */
export interface WindowPlan {
  mode: 'exact' | 'minutes';
  /** The window the answer covers (µs, inclusive); ±Infinity where open. */
  fromUs: number;
  toUs: number;
}

/** ` AND col >= ? AND col <= ?` for the window's closed sides, with their values pushed to `params`. */
export function windowSql(col: string, w: TimeWindow, params: unknown[]): string {
  let s = '';
  if (w.fromUs !== undefined) { s += ` AND ${col} >= ?`; params.push(w.fromUs); }
  if (w.toUs !== undefined) { s += ` AND ${col} <= ?`; params.push(w.toUs); }
  return s;
}

/** Whether the index phase's rollups are current (afterIngest drops the marker with the answers). */
export function hasCurrentRollups(db: CaseDb): boolean {
  return rollupsOf(db) !== null;
}

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

/** The window a plan answers, as a request window (open sides stay open). */
export function answeredWindow(plan: WindowPlan): TimeWindow {
  return { fromUs: Number.isFinite(plan.fromUs) ? plan.fromUs : undefined, toUs: Number.isFinite(plan.toUs) ? plan.toUs : undefined };
}

/** The step analysis windows are widened to on this case (null: answered exactly). */
export function windowStepUs(db: CaseDb): number | null {
  return planWindow(db, { fromUs: 0, toUs: 0 }).mode === 'minutes' ? MINUTE_US : null;
}

/** SQLite takes no infinities; these bounds lie beyond any capture. */
export const bound = (us: number) => (us === Infinity ? Number.MAX_SAFE_INTEGER : us === -Infinity ? -Number.MAX_SAFE_INTEGER : us);
export const minuteBound = (us: number) => (Number.isFinite(us) ? minuteOf(us) : us > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER);
