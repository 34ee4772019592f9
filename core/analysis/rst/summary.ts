import type { CaseDb } from '../../db/open-case.js';
import type { TimeWindow } from '../rollups/window-plan.js';
import { readAnswer } from '../rollups/answers.js';

export interface CountBy {
  key: string;
  count: number;
  endpoint: number;
  /** Made by this node (its REJECT rules). */
  node: number;
  middlebox: number;
  unknown: number;
}

export interface RstSummary {
  total: number;
  bySender: CountBy[];
  byReceiver: CountBy[];
  byPort: CountBy[];
  /** Per-bucket counts over time; bucket length in seconds. */
  bucketSeconds: number;
  overTime: { ts: number; endpoint: number; node: number; middlebox: number; unknown: number }[];
}

/**
 * RST counts by sender, receiver, destination port and time, split by verdict, all in SQL over
 * rst_events alone: the correlate phase stores each RST's sender/receiver pod and service port (labelRsts),
 * so no RST is joined to its flow (a random read into a table of a million flows).
 */
export function rstSummary(db: CaseDb, req: TimeWindow & { bucketSeconds?: number } = {}): RstSummary {
  // The RST view opens on the whole case: that one is stored by the index phase.
  const usual = req.fromUs === undefined && req.toUs === undefined && req.bucketSeconds === undefined;
  return (usual ? readAnswer<RstSummary>(db, 'rst-summary') : null) ?? computeRstSummary(db, req);
}

/** The summary computed from rst_events (what rstSummary reads back when it was stored). */
export function computeRstSummary(db: CaseDb, req: TimeWindow & { bucketSeconds?: number } = {}): RstSummary {
  const { sql, params } = rstWhere(req);
  const verdictCols = `count(*) AS count, sum(r.verdict = 'endpoint') AS endpoint, sum(r.verdict = 'node') AS node, sum(r.verdict = 'middlebox-suspect') AS middlebox, sum(coalesce(r.verdict, 'unknown') = 'unknown') AS unknown`;
  const by = (keyExpr: string) => db.prepare(`SELECT ${keyExpr} AS key, ${verdictCols} FROM rst_events r ${sql}
    GROUP BY key ORDER BY count DESC, key LIMIT 50`).all(...params) as CountBy[];
  const span = db.prepare(`SELECT count(*) AS n, min(r.ts_us) AS a, max(r.ts_us) AS b FROM rst_events r ${sql}`).get(...params) as { n: number; a: number | null; b: number | null };
  const bucketSeconds = req.bucketSeconds ?? (span.a === null || span.b === null ? 1 : (span.b - span.a) / 1e6 > 3600 ? 60 : 1);
  // better-sqlite3 binds JS numbers as REAL: without the casts the division is not a bucket.
  const overTime = db.prepare(`SELECT (r.ts_us / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, sum(r.verdict = 'endpoint') AS endpoint, sum(r.verdict = 'node') AS node, sum(r.verdict = 'middlebox-suspect') AS middlebox,
      sum(coalesce(r.verdict, 'unknown') = 'unknown') AS unknown FROM rst_events r ${sql} GROUP BY t ORDER BY t`)
    .all(bucketSeconds * 1e6, bucketSeconds * 1e6, ...params) as { t: number; endpoint: number; node: number; middlebox: number; unknown: number }[];
  return {
    total: span.n,
    bySender: by('r.sender_who'),
    byReceiver: by('r.receiver_who'),
    byPort: by('r.dst_port').map((r) => ({ ...r, key: String(r.key) })),
    bucketSeconds,
    overTime: overTime.map((o) => ({ ts: o.t / 1e6, endpoint: o.endpoint, node: o.node, middlebox: o.middlebox, unknown: o.unknown })),
  };
}

/** The WHERE clause shared by the RST listing and this summary: one filter, one meaning. */
export function rstWhere(q: { senderIp?: string; verdict?: string; fromUs?: number; toUs?: number }): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.senderIp !== undefined) { where.push('r.sender_ip = ?'); params.push(q.senderIp); }
  if (q.verdict !== undefined) { where.push('r.verdict = ?'); params.push(q.verdict); }
  if (q.fromUs !== undefined) { where.push('r.ts_us >= ?'); params.push(q.fromUs); }
  if (q.toUs !== undefined) { where.push('r.ts_us <= ?'); params.push(q.toUs); }
  return { sql: where.length ? 'WHERE ' + where.join(' AND ') : '', params };
}
