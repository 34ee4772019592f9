/**
 * The flows indexes an ingest into an empty case drops while it writes and builds again before
 * anything reads them (the correlate phase on): SQLite builds an index from sorted rows far faster
 * than it maintains one insert by insert, and on a busy capture keeping nine of them up to date
 * was most of the cost of storing a connection. A case that already holds flows keeps them: a
 * rebuild would cost its whole size for the little an ingest adds.
 */
import { caseHasFlows } from './flow-links.js';
import type { CaseDb } from './open-case.js';
import { FLOWS } from './schema.js';
import { deferredIndexSql } from './table-spec.js';

/** Drops the deferred indexes when the case has no flows yet; returns whether it did. */
export function deferFlowIndexes(db: CaseDb): boolean {
  if (caseHasFlows(db)) return false;
  for (const [name] of deferredIndexSql(FLOWS)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  return true;
}

/**
 * Builds whichever deferred index is missing (those deferred until `phase`, else all), with the
 * statement its migration used, so the schema reads the same. Also run by the index phase: a case
 * left by an ingest killed while they were dropped gets them back the next time it is answered from.
 */
export function restoreFlowIndexes(db: CaseDb, phase?: 'parse' | 'correlate'): void {
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`);
  for (const [name, sql] of deferredIndexSql(FLOWS, phase)) if (!has.get(name)) db.exec(sql);
}
