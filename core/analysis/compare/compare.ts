import { endpointText } from '../../net/ip-text.js';
import { prepared } from '../../db/statements.js';
import type { CaseDb } from '../../db/open-case.js';
import type { FindingOut } from '../findings/findings.js';
import type { TimeWindow } from '../rollups/window-plan.js';
import { THRESHOLDS } from '../thresholds.js';
import { rankOpeners } from '../cells/opener-cells.js';
import { SNAT } from '../cells/snat.js';
import { openerCells, rstCounts, snatCellSet } from '../rollups/cells.js';
import { planWindow, type WindowPlan } from '../rollups/window-plan.js';
import { computeFanout } from '../fanout/fanout.js';
import { computeFindings, listFindings } from '../findings/findings.js';
import { listPorts, portsRows, rankSnatGroups } from '../snat/ports.js';

/**
 * One measure before and after (a fix, or between two windows): `after - before` in `delta`,
 * `change` read the same way ("new" appeared after, "gone" was there only before).
 */
export interface CompareRow {
  section: 'connection_rate' | 'rst_rate' | 'destinations' | 'snat_ports' | 'findings';
  key: string;
  before: number | string | null;
  after: number | string | null;
  delta: number | null;
  change: 'new' | 'gone' | 'up' | 'down' | 'same';
  /** What the numbers count: `conn/min`, `RST/min`, `connections`, `ports`; null for findings (severities). */
  unit: string | null;
}

/** The unit of each section's numbers (rates are per minute of each side's own span). */
export const COMPARE_UNITS: Record<CompareRow['section'], string | null> = {
  connection_rate: 'conn/min',
  rst_rate: 'RST/min',
  destinations: 'connections',
  snat_ports: 'ports',
  findings: null,
};

const portKey = (snat: string, dst: string, port: number) => `${snat} → ${endpointText(dst, port)}`;

/** One side of a comparison: a case, optionally narrowed to a time window. */
export interface Side {
  db: CaseDb;
  window: TimeWindow;
}

/** Minutes the side covers: its window (as answered), else the span of the case's captures. */
function spanMinutes(s: Side, plan: WindowPlan): number {
  const r = prepared(s.db, `SELECT min(first_ts) AS a, max(last_ts) AS b FROM sources WHERE kind IN ('pcap', 'pcapng')`).get() as { a: number | null; b: number | null };
  const a = Number.isFinite(plan.fromUs) ? plan.fromUs : r.a;
  const b = Number.isFinite(plan.toUs) ? plan.toUs : r.b;
  return a === null || b === null ? 1 : Math.max(1 / 60, (b - a) / 60e6);
}

function change(before: number | null, after: number | null): CompareRow['change'] {
  if (before === null || before === 0) return after === null || after === 0 ? 'same' : 'new';
  if (after === null || after === 0) return 'gone';
  const r = after / before;
  return r > 1.1 ? 'up' : r < 0.9 ? 'down' : 'same';
}

function row(section: CompareRow['section'], key: string, before: number | null, after: number | null): CompareRow {
  return { section, key, before, after, delta: before === null || after === null ? null : round(after - before), change: change(before, after), unit: COMPARE_UNITS[section] };
}

/**
 * Before/after: per-pod connection rate, RST rate by verdict and sender, destinations that
 * appeared or went away, SNAT ports per destination, findings raised or cleared. Rates are per
 * minute of each side's own span so captures of different lengths compare fairly.
 */
export function compareSides(before: Side, after: Side): CompareRow[] {
  const out: CompareRow[] = [];
  const a = measure(before);
  const b = measure(after);
  const pairs = <T>(ma: Map<string, T>, mb: Map<string, T>, add: (k: string, x: T | undefined, y: T | undefined) => void) => {
    for (const k of new Set([...ma.keys(), ...mb.keys()])) add(k, ma.get(k), mb.get(k));
  };
  pairs(a.rates, b.rates, (k, x, y) => out.push(row('connection_rate', k, round(x ?? 0), round(y ?? 0))));
  pairs(a.rsts, b.rsts, (k, x, y) => out.push(row('rst_rate', k, round(x ?? 0), round(y ?? 0))));
  pairs(a.dests, b.dests, (k, x, y) => {
    if (x === undefined || y === undefined) out.push(row('destinations', k, x ?? null, y ?? null));
  });
  pairs(a.ports, b.ports, (k, x, y) => out.push(row('snat_ports', k, x ?? 0, y ?? 0)));
  pairs(a.findings, b.findings, (k, x, y) => {
    if (x && y) return;
    out.push({ section: 'findings', key: (x ?? y)!.title, before: x ? x.severity : null, after: y ? y.severity : null, delta: null, change: x ? 'gone' : 'new', unit: null });
  });
  return out;
}

/** What one side contributes, each figure computed once (the findings reuse its fan-out and ports). */
function measure(s: Side) {
  const plan = planWindow(s.db, s.window);
  const minutes = spanMinutes(s, plan);
  const cells = openerCells(s.db, plan);
  const rates = new Map(rankOpeners(cells.heads, 200).map((o) => [o.who, o.connections / minutes]));

  const rsts = new Map([...rstCounts(s.db, plan)].map(([k, n]) => [k, n / minutes]));

  // Destinations by connections opened in the window (the 500 busiest).
  const dests = new Map([...cells.destTotals()].sort((x, y) => y[1] - x[1]).slice(0, 500).map(([id, n]) => {
    const d = cells.dest(id);
    return [endpointText(d.ip, d.port), n];
  }));

  const whole = s.window.fromUs === undefined && s.window.toUs === undefined;
  let ports: Map<string, number>;
  let findings: Map<string, FindingOut>;
  if (whole) {
    // Stored whole-case answers.
    ports = new Map(listPorts(s.db, { limit: 200 }).map((p) => [portKey(p.snat_ip, p.dst_ip, p.dst_port), p.distinct_src_ports]));
    findings = new Map(listFindings(s.db).map((f) => [f.id, f]));
  } else {
    // Distinct ports of 200 groups, and the full rows of the 20 the findings read.
    const set = snatCellSet(s.db, plan);
    const ranked = rankSnatGroups(set, 200);
    ports = new Map(ranked.map((r) => [portKey(r.g.snatIp, r.g.dstIp, r.g.dstPort), r.distinct]));
    const given = { ports: portsRows(set, ranked.slice(0, 20), plan, SNAT.defaultAllocation), fanout: computeFanout(s.db, { ...s.window, limit: 50 }, undefined, cells) };
    findings = new Map(computeFindings(s.db, s.window, THRESHOLDS, given).map((f) => [f.id, f]));
  }
  return { rates, rsts, dests, ports, findings };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
