import type { CaseDb } from '../../db/open-case.js';
import type { DiagnosticRow } from '../../db/schema.js';
import type { SourceOut } from '../contract.js';
import { usToSeconds } from '../time.js';

export function listSources(db: CaseDb): SourceOut[] {
  const rows = db.prepare(`SELECT s.id, s.path, s.kind, s.node, s.folder, s.sha256, s.bytes, s.first_ts, s.last_ts, s.records,
      (SELECT count(*) FROM diagnostics d WHERE d.source_id = s.id) AS diagnostics
    FROM sources s ORDER BY s.id`).all() as (Omit<SourceOut, 'first_ts' | 'last_ts'> & { first_ts: number | null; last_ts: number | null })[];
  return rows.map((r) => ({ ...r, first_ts: usToSeconds(r.first_ts), last_ts: usToSeconds(r.last_ts) }));
}

export function listDiagnostics(db: CaseDb, sourceId?: number): DiagnosticRow[] {
  if (sourceId === undefined) return db.prepare('SELECT * FROM diagnostics ORDER BY id').all() as DiagnosticRow[];
  return db.prepare('SELECT * FROM diagnostics WHERE source_id = ? ORDER BY id').all(sourceId) as DiagnosticRow[];
}
