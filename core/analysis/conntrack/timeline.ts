import type { CaseDb } from '../../db/open-case.js';
import type { TimeWindow } from '../rollups/window-plan.js';

export interface ConntrackTimeline {
  max: number | null;
  points: { ts: number; count: number; source: string }[];
  tableFull: { ts: number; count: number; node: string | null }[];
  stats: { node: string | null; cpu: number | null; drop: number; insert_failed: number; early_drop: number }[];
}

/**
 * Conntrack pressure over time: entry counts (sysctl nf_conntrack_count readings and -L
 * snapshots), the table's maximum, "table full" kernel events and the per-CPU drop counters.
 */
export function conntrackTimeline(db: CaseDb, w: TimeWindow = {}): ConntrackTimeline {
  const settings = db.prepare(`SELECT json_extract(r.data, '$.key') AS k, coalesce(json_extract(r.data, '$.numeric'), json_extract(r.data, '$.value')) AS v,
      s.path, coalesce(s.first_ts, json_extract(s.detail, '$.fileTimeUs')) AS first_ts, s.first_ts IS NULL AS undated FROM records r JOIN sources s ON s.id = r.source_id
    WHERE (r.kind = 'sysctl' OR (r.kind = 'conntrack' AND r.rtype = 'setting'))`).all() as { k: string; v: number | string; path: string; first_ts: number | null; undated: number }[];
  const num = (v: number | string) => (typeof v === 'number' ? v : Number(v));
  const maxes = settings.filter((x) => /nf_conntrack_max$/.test(x.k)).map((x) => num(x.v)).filter(Number.isFinite);
  const kernelMax = db.prepare(`SELECT max(value) AS v FROM kernel_events WHERE event = 'conntrack_max_set'`).get() as { v: number | null };
  const max = maxes.length ? Math.max(...maxes) : kernelMax.v;

  const points: ConntrackTimeline['points'] = [];
  for (const x of settings) {
    if (!/nf_conntrack_count$/.test(x.k) || !Number.isFinite(num(x.v)) || x.first_ts === null) continue;
    points.push({ ts: x.first_ts / 1e6, count: num(x.v), source: x.undated ? `${x.path} (at the file's time)` : x.path });
  }
  // A -L listing is a snapshot: its entry count at its own first timestamp, else the file's time
  // (archive entry or disk mtime, which the label says); with neither it cannot be placed in time.
  const snaps = db.prepare(`SELECT s.path, count(*) AS n, coalesce(min(c.ts_us), s.first_ts) AS t, json_extract(s.detail, '$.fileTimeUs') AS ft
    FROM conntrack_entries c JOIN sources s ON s.id = c.source_id WHERE c.event IS NULL GROUP BY c.source_id`).all() as { path: string; n: number; t: number | null; ft: number | null }[];
  for (const s of snaps) {
    if (s.t !== null) points.push({ ts: s.t / 1e6, count: s.n, source: s.path });
    else if (s.ft !== null) points.push({ ts: s.ft / 1e6, count: s.n, source: `${s.path} (at the file's time)` });
  }
  // -E events: the running count of live entries per source, sampled per second.
  const evs = db.prepare(`SELECT s.path, c.ts_us, c.event FROM conntrack_entries c JOIN sources s ON s.id = c.source_id
    WHERE c.event IN ('NEW', 'DESTROY') AND c.ts_us IS NOT NULL ORDER BY c.source_id, c.ts_us`).iterate() as Iterable<{ path: string; ts_us: number; event: string }>;
  let cur = '', live = 0, lastSec = -1;
  for (const e of evs) {
    if (e.path !== cur) { cur = e.path; live = 0; lastSec = -1; }
    live += e.event === 'NEW' ? 1 : -1;
    const sec = Math.floor(e.ts_us / 1e6);
    if (sec !== lastSec) { points.push({ ts: e.ts_us / 1e6, count: Math.max(0, live), source: `${e.path} (-E live entries)` }); lastSec = sec; }
    else points[points.length - 1].count = Math.max(0, live);
  }
  const inWin = (ts: number) => (w.fromUs === undefined || ts * 1e6 >= w.fromUs) && (w.toUs === undefined || ts * 1e6 <= w.toUs);

  const full = db.prepare(`SELECT k.ts_us, coalesce(k.count, 1) AS n, coalesce(s.node, k.host) AS node FROM kernel_events k JOIN sources s ON s.id = k.source_id
    WHERE k.event = 'conntrack_table_full' ORDER BY k.ts_us`).all() as { ts_us: number | null; n: number; node: string | null }[];
  const stats = db.prepare(`SELECT s.node, json_extract(r.data, '$.cpu') AS cpu, json_extract(r.data, '$.counters') AS c FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'conntrack' AND r.rtype = 'stats'`).all() as { node: string | null; cpu: number | null; c: string }[];
  return {
    max: max ?? null,
    points: points.filter((p) => inWin(p.ts)).sort((a, b) => a.ts - b.ts),
    tableFull: full.filter((f) => f.ts_us === null || inWin(f.ts_us / 1e6)).map((f) => ({ ts: (f.ts_us ?? 0) / 1e6, count: f.n, node: f.node })),
    stats: stats.map((s) => {
      const c = JSON.parse(s.c) as Record<string, number>;
      return { node: s.node, cpu: s.cpu, drop: c.drop ?? 0, insert_failed: c.insert_failed ?? 0, early_drop: c.early_drop ?? 0 };
    }),
  };
}
