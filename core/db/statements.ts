import type { Statement } from 'better-sqlite3';
import type { CaseDb } from './open-case.js';

const caches = new WeakMap<CaseDb, Map<string, Statement>>();

/**
 * The prepared statement for `sql` on this connection, prepared once. The analyses run the same
 * few dozen statements on every request; preparing them each time was a twentieth of a compare.
 * Only for fixed SQL text (parameters bound at run time), so the cache stays small.
 */
export function prepared(db: CaseDb, sql: string): Statement {
  let m = caches.get(db);
  if (!m) caches.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}
