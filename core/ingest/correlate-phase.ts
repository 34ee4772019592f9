import { clearAnswers } from '../analysis/rollups/answers.js';
import { classifyRsts, labelRsts } from '../analysis/rst/classify.js';
import { correlate } from '../correlate/resolve.js';
import { CaseWriter } from '../db/case-writer.js';
import { assignFlowPods, assignNatSides, captureSourceCount, foldNatHalves, mergeNatRsts } from '../db/flow-links.js';
import { loadCaptureFacts, loadFacts, loadFolders, writeIdentities } from '../db/identity-store.js';
import type { CaseDb } from '../db/open-case.js';
import { diag } from '../diagnostics.js';
import { rebuildHubbleFlows } from './hubble-conns.js';

/**
 * The correlate phase, after every file is parsed: it joins what single files cannot see alone,
 * so it runs over the whole case each time. The index phase (index-phase.ts) follows it.
 */
export function afterIngest(db: CaseDb, newSourceIds: number[]): void {
  // Whole-case answers stored for the old state are wrong now (core/ingest/index-phase.ts recomputes them).
  clearAnswers(db);
  // Halves within one source were paired as they were written; only a case with several
  // capture sources can hold halves that met no partner yet.
  if (captureSourceCount(db) > 1) db.transaction(() => new CaseWriter(db).linkNatPeersAcross(newSourceIds))();
  rebuildIdentities(db);
  db.transaction(() => {
    rebuildHubbleFlows(db, newSourceIds);
    assignFlowPods(db);
    assignNatSides(db);
    foldNatHalves(db);
    mergeNatRsts(db);
    classifyRsts(db);
    labelRsts(db);
  })();
}

/**
 * Rebuilds the identity table from every record in the case (the graph is small next to the
 * flows, and a new file can complete a chain that earlier files started).
 */
export function rebuildIdentities(db: CaseDb): { identities: number; notes: number } {
  const result = correlate(loadFacts(db), loadCaptureFacts(db), loadFolders(db));
  const notes = result.notes.map((n) => {
    const d = diag(n.code, n.message, { source: n.source, line: n.line });
    return { source: n.source ?? null, code: d.code, severity: d.severity, message: d.message, line: n.line ?? null };
  });
  writeIdentities(db, result.identities, notes, result.groupNodes);
  return { identities: result.identities.length, notes: result.notes.length };
}
