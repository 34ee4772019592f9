import { windowStepUs } from '../../analysis/rollups/window-plan.js';
import type { CaseDb } from '../../db/open-case.js';
import type { CaseInfo } from '../contract.js';

/** `case.info`: what the case holds, for the UI's header and time brush. */
export function caseInfo(db: CaseDb, casePath: string): CaseInfo {
  const r = db.prepare(`SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM flows) AS flows,
    (SELECT count(*) FROM rst_events) AS rsts, (SELECT min(first_ts) FROM sources) AS firstUs, (SELECT max(last_ts) FROM sources) AS lastUs`).get() as Omit<CaseInfo, 'path' | 'nodes' | 'windowStepUs'>;
  const nodes = (db.prepare('SELECT DISTINCT node FROM sources WHERE node IS NOT NULL ORDER BY node').all() as { node: string }[]).map((n) => n.node);
  return { path: casePath, ...r, nodes, windowStepUs: windowStepUs(db) };
}
