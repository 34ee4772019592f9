import { caseHasFlows } from '../db/flow-links.js';
import type { CaseDb } from '../db/open-case.js';
import { FLOWS } from '../db/schema.js';
import { restoreFlowIndexes } from '../db/flow-indexes.js';
import { indexPhaseSql } from '../db/table-spec.js';
import { THRESHOLDS } from '../analysis/thresholds.js';
import { MATERIALIZED_ROWS, writeAnswers } from '../analysis/rollups/answers.js';
import { storeRollups } from '../analysis/rollups/rollups.js';
import { hasCurrentRollups } from '../analysis/rollups/window-plan.js';
import { computeFanout } from '../analysis/fanout/fanout.js';
import { computeFindings } from '../analysis/findings/findings.js';
import { computePorts } from '../analysis/snat/ports.js';
import { computeRstSummary } from '../analysis/rst/summary.js';

/**
 * The index phase, last after parse and correlate: the flow indexes, the per-minute rollups and
 * the whole-case answers, computed from the flows and stored (see answers.ts). Nothing here reads a stored answer, and afterIngest has already dropped the old ones.
 */
export function materializeAnswers(db: CaseDb): void {
  restoreFlowIndexes(db);
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
  if (hasCurrentRollups(db) || !caseHasFlows(db)) return false;
  materializeAnswers(db);
  return true;
}
