import type { CaseDb } from '../db/open-case.js';
import type { CountBy, RstSummary, TimeWindow } from './contract.js';
import { rstWhere } from './rst.js';

/** RST counts by sender, receiver, destination port and time, split by verdict (all in SQL). */
export function rstSummary(db: CaseDb, req: TimeWindow & { bucketSeconds?: number } = {}): RstSummary {
  const { sql, params } = rstWhere(req);
  const verdictCols = `count(*) AS count, sum(r.verdict = 'endpoint') AS endpoint, sum(r.verdict = 'middlebox-suspect') AS middlebox, sum(coalesce(r.verdict, 'unknown') = 'unknown') AS unknown`;
  const by = (keyExpr: string) => db.prepare(`SELECT ${keyExpr} AS key, ${verdictCols} FROM rst_events r JOIN flows f ON f.id = r.flow_id ${sql}
    GROUP BY key ORDER BY count DESC LIMIT 50`).all(...params) as CountBy[];
  const who = (ip: string, pod: string) => `coalesce(${pod}, ${ip})`;
  const total = (db.prepare(`SELECT count(*) AS n FROM rst_events r ${sql}`).get(...params) as { n: number }).n;
  const span = db.prepare(`SELECT min(r.ts_us) AS a, max(r.ts_us) AS b FROM rst_events r ${sql}`).get(...params) as { a: number | null; b: number | null };
  const bucketSeconds = req.bucketSeconds ?? (span.a === null || span.b === null ? 1 : (span.b - span.a) / 1e6 > 3600 ? 60 : 1);
  // better-sqlite3 binds JS numbers as REAL: without the casts the division is not a bucket.
  const overTime = db.prepare(`SELECT (r.ts_us / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, sum(r.verdict = 'endpoint') AS endpoint, sum(r.verdict = 'middlebox-suspect') AS middlebox,
      sum(coalesce(r.verdict, 'unknown') = 'unknown') AS unknown FROM rst_events r ${sql} GROUP BY t ORDER BY t`)
    .all(bucketSeconds * 1e6, bucketSeconds * 1e6, ...params) as { t: number; endpoint: number; middlebox: number; unknown: number }[];
  return {
    total,
    // The pod on each side is the flow's stored endpoint pod matching the RST's direction.
    bySender: by(who('r.sender_ip', `CASE WHEN r.sender_ip = f.orig_ip THEN f.orig_pod WHEN r.sender_ip = f.resp_ip THEN f.resp_pod END`)),
    byReceiver: by(who('r.receiver_ip', `CASE WHEN r.receiver_ip = f.orig_ip THEN f.orig_pod WHEN r.receiver_ip = f.resp_ip THEN f.resp_pod END`)),
    byPort: by(`f.resp_port`).map((r) => ({ ...r, key: String(r.key) })),
    bucketSeconds,
    overTime: overTime.map((o) => ({ ts: o.t / 1e6, endpoint: o.endpoint, middlebox: o.middlebox, unknown: o.unknown })),
  };
}
