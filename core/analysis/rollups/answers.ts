/**
 * Whole-case answers materialized after each ingest. Fan-out, SNAT ports and findings over a
 * whole case read every minute's rollup, the RST summary every RST; the views open on the whole case
 * and the CLI answers for it, so they are computed once, when the case changes, and read after
 * that. A request with a time window (or non-default parameters) is computed live.
 */
import type { CaseDb } from '../../db/open-case.js';

export type AnswerName = 'fanout' | 'ports' | 'findings' | 'rst-summary';

/** How many rows of each ranked answer are kept; requests ask for at most this many. */
export const MATERIALIZED_ROWS = 1000;

/**
 * The stored answer `name`, as the analysis that wrote it typed it. Generic so the store knows no
 * question's type: each analysis reads back its own (the index phase writes them all).
 */
export function readAnswer<T>(db: CaseDb, name: AnswerName): T | null {
  // No row: nothing was stored since the last ingest (or the case was changed without the index phase).
  const r = db.prepare(`SELECT json FROM answers WHERE name = ?`).get(name) as { json: string } | undefined;
  return r ? (JSON.parse(r.json) as T) : null;
}

export function writeAnswers(db: CaseDb, a: Record<AnswerName, unknown>): void {
  const put = db.prepare('INSERT OR REPLACE INTO answers (name, json, computed_at) VALUES (?, ?, ?)');
  const now = Date.now() * 1000;
  db.transaction(() => {
    for (const name of ['fanout', 'ports', 'findings', 'rst-summary'] as const) put.run(name, JSON.stringify(a[name]), now);
  })();
}

/** Drops every stored answer: the case changed, so they describe an old state (the index phase writes new ones). */
export function clearAnswers(db: CaseDb): void {
  db.exec('DELETE FROM answers');
}
