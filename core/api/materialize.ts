import type { CaseDb } from '../db/open-case.js';
import { acquireIngestLock } from '../db/ingest-lock.js';
import { FLOWS } from '../db/schema.js';
import { indexPhaseSql } from '../db/table-spec.js';
import { THRESHOLDS } from '../analysis/thresholds.js';
import { ingestPaths, type IngestOptions, type IngestResult } from '../ingest/ingest.js';
import { MATERIALIZED_ROWS, writeAnswers } from './answers.js';
import { storeRollups } from './rollups.js';
import { hasCurrentRollups } from './window-plan.js';
import { computeFanout } from './fanout.js';
import { computeFindings } from './findings.js';
import { computePorts } from './ports.js';
import { computeRstSummary } from './rst-summary.js';

/**
 * Computes the whole-case answers from the flows and stores them (see answers.ts). Nothing here
 * reads a stored answer, and afterIngest has already dropped the old ones.
 */
export function materializeAnswers(db: CaseDb): void {
  for (const sql of indexPhaseSql(FLOWS)) db.exec(sql);
  // The rollups first: the whole-case fan-out and ports below are read from them.
  db.transaction(() => storeRollups(db))();
  const fanout = computeFanout(db, { limit: MATERIALIZED_ROWS });
  const ports = computePorts(db, { limit: MATERIALIZED_ROWS });
  // The findings' own top-N lists are heads of these (same order), so nothing is scanned twice.
  const findings = computeFindings(db, {}, THRESHOLDS, { fanout, ports });
  writeAnswers(db, { fanout, ports, findings, 'rst-summary': computeRstSummary(db) });
}

/**
 * A case written before the rollups existed (or changed without the index phase) has flows but
 * no current rollups: its windows would be answered by scanning flows. Hosts that keep a case
 * open (podcap serve, the app) run the index phase once when they open it. Returns whether it ran.
 */
export function ensureAnswers(db: CaseDb): boolean {
  const hasFlows = db.prepare('SELECT 1 FROM flows LIMIT 1').get() !== undefined;
  if (hasCurrentRollups(db) || !hasFlows) return false;
  materializeAnswers(db);
  return true;
}

/**
 * ingestPaths, then the answers for the new state of the case (the last step of the 'index'
 * phase). Every host that ingests (CLI, serve and Electron jobs) goes through here.
 */
export async function ingestAndAnswer(db: CaseDb, inputs: string[], opts: IngestOptions & { onWait?: (holderPid: number) => void } = {}): Promise<IngestResult[]> {
  // Concurrent ingests into one case queue here (a second one used to fail with "database is locked").
  const lock = await acquireIngestLock(db.name, { signal: opts.signal, onWait: opts.onWait });
  try {
    const results = await ingestPaths(db, inputs, opts);
    if (results.some((r) => r.status === 'ingested')) {
      opts.onProgress?.({ phase: 'index', path: '', bytesRead: 0, bytesTotal: 0, records: 0, diagnostics: 0, filesDone: results.length, filesTotal: results.length });
      materializeAnswers(db);
    }
    return results;
  } finally {
    lock.release();
  }
}
