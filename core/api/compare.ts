import type { CaseDb } from '../db/open-case.js';
import type { CompareRow, TimeWindow } from './contract.js';
import { listFanout } from './fanout.js';
import { listFindings } from './findings.js';
import { listPorts } from './ports.js';

/** One side of a comparison: a case, optionally narrowed to a time window. */
export interface Side {
  db: CaseDb;
  window: TimeWindow;
}

function spanMinutes(s: Side): number {
  const r = s.db.prepare('SELECT min(start_us) AS a, max(end_us) AS b FROM flows WHERE end_us >= ? AND start_us <= ?')
    .get(s.window.fromUs ?? -Number.MAX_SAFE_INTEGER, s.window.toUs ?? Number.MAX_SAFE_INTEGER) as { a: number | null; b: number | null };
  const a = s.window.fromUs ?? r.a;
  const b = s.window.toUs ?? r.b;
  return a === null || b === null ? 1 : Math.max(1 / 60, (b - a) / 60e6);
}

function change(a: number | null, b: number | null): CompareRow['change'] {
  if (a === null || a === 0) return b === null || b === 0 ? 'same' : 'new';
  if (b === null || b === 0) return 'gone';
  const r = b / a;
  return r > 1.1 ? 'up' : r < 0.9 ? 'down' : 'same';
}

function row(section: CompareRow['section'], key: string, a: number | null, b: number | null): CompareRow {
  return { section, key, a, b, delta: a === null || b === null ? null : b - a, change: change(a, b) };
}

/**
 * Before/after: per-pod connection rate, RST rate by verdict and sender, destinations that
 * appeared or went away, SNAT ports per destination, findings raised or cleared. Rates are per
 * minute of each side's own span so captures of different lengths compare fairly.
 */
export function compareSides(A: Side, B: Side): CompareRow[] {
  const out: CompareRow[] = [];
  const ma = spanMinutes(A);
  const mb = spanMinutes(B);

  const rate = (s: Side, m: number) => new Map(listFanout(s.db, { ...s.window, limit: 200 }).filter((f) => f.evidence === 'pcap').map((f) => [f.who, f.connections / m]));
  const ra = rate(A, ma);
  const rb = rate(B, mb);
  for (const k of new Set([...ra.keys(), ...rb.keys()])) out.push(row('connection_rate', k, round(ra.get(k) ?? 0), round(rb.get(k) ?? 0)));

  const rst = (s: Side, m: number) => {
    const params: unknown[] = [];
    let w = '';
    if (s.window.fromUs !== undefined) { w += ' AND r.ts_us >= ?'; params.push(s.window.fromUs); }
    if (s.window.toUs !== undefined) { w += ' AND r.ts_us <= ?'; params.push(s.window.toUs); }
    const rows = s.db.prepare(`SELECT coalesce(r.verdict, 'unknown') || ' from ' || coalesce(CASE WHEN r.sender_ip = f.orig_ip THEN f.orig_pod ELSE f.resp_pod END, r.sender_ip) AS k,
        count(*) AS n FROM rst_events r JOIN flows f ON f.id = r.flow_id WHERE 1 = 1${w} GROUP BY k`).all(...params) as { k: string; n: number }[];
    return new Map(rows.map((r) => [r.k, r.n / m]));
  };
  const sa = rst(A, ma);
  const sb = rst(B, mb);
  for (const k of new Set([...sa.keys(), ...sb.keys()])) out.push(row('rst_rate', k, round(sa.get(k) ?? 0), round(sb.get(k) ?? 0)));

  const dests = (s: Side) => {
    const params: unknown[] = [];
    let w = '';
    if (s.window.fromUs !== undefined) { w += ' AND end_us >= ?'; params.push(s.window.fromUs); }
    if (s.window.toUs !== undefined) { w += ' AND start_us <= ?'; params.push(s.window.toUs); }
    const rows = s.db.prepare(`SELECT resp_ip || ':' || resp_port AS k, count(*) AS n FROM flows WHERE proto = 'tcp' AND origin_guessed = 0
      AND (nat_side IS NULL OR nat_side = 'pre')${w} GROUP BY k ORDER BY n DESC LIMIT 500`).all(...params) as { k: string; n: number }[];
    return new Map(rows.map((r) => [r.k, r.n]));
  };
  const da = dests(A);
  const db = dests(B);
  for (const k of new Set([...da.keys(), ...db.keys()])) {
    const a = da.get(k) ?? null;
    const b = db.get(k) ?? null;
    if (a === null || b === null) out.push(row('destinations', k, a, b));
  }

  const ports = (s: Side) => new Map(listPorts(s.db, { ...s.window, limit: 200 }).map((p) => [`${p.snat_ip} → ${p.dst_ip}:${p.dst_port}`, p.distinct_src_ports]));
  const pa = ports(A);
  const pb = ports(B);
  for (const k of new Set([...pa.keys(), ...pb.keys()])) out.push(row('snat_ports', k, pa.get(k) ?? 0, pb.get(k) ?? 0));

  const fa = new Map(listFindings(A.db, A.window).map((f) => [f.id, f]));
  const fb = new Map(listFindings(B.db, B.window).map((f) => [f.id, f]));
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    const a = fa.get(k);
    const b = fb.get(k);
    if (a && b) continue;
    out.push({ section: 'findings', key: (a ?? b)!.title, a: a ? a.severity : null, b: b ? b.severity : null, delta: null, change: a ? 'gone' : 'new' });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
