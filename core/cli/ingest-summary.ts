/**
 * What an ingest says at its end: what was read, what was not and why (grouped; every file with
 * --verbose), and where data was lost. Shared by `podcap ingest` and `podcap report`.
 */
import { listDiagnostics } from '../api/queries/sources.js';
import type { CaseDb } from '../db/open-case.js';
import type { Diagnostic } from '../diagnostics.js';
import type { IngestResult } from '../ingest/ingest.js';
import { safeCell } from './output.js';

/** At most this many names per line before "…and N more". */
const NAMES = 3;

export interface IngestSummary {
  lines: string[];
  /** Inputs the user named that could not be read at all (the exit status depends on these). */
  unreadable: number;
}

export function summarizeIngest(db: CaseDb, casePath: string, results: IngestResult[], notes: Diagnostic[], verbose: boolean): IngestSummary {
  const lines: string[] = [];
  const n = (s: IngestResult['status']) => results.filter((r) => r.status === s).length;
  lines.push(`ingested ${n('ingested')}, duplicate ${n('duplicate')}, unknown ${n('unknown')}, failed ${n('failed')}${n('partial') ? `, archives read in part ${n('partial')}` : ''} → ${casePath}`);

  // Not read: every failed or unknown file, and what the walk and archives reported.
  const notRead = new Map<string, string[]>();
  const add = (why: string, what: string) => notRead.set(why, [...(notRead.get(why) ?? []), what]);
  for (const r of results) if (r.status === 'failed' || r.status === 'partial' || r.status === 'unknown') add(reasonGroup(r.reason ?? r.status), r.path);
  // A damaged archive is both a failed result and a walk note: name it once, by the result.
  const named = new Set(results.map((r) => r.path));
  for (const d of notes) {
    if (d.source && named.has(d.source)) continue;
    const msg = d.source ? d.message.replace(`${d.source}: `, '') : d.message;
    add(msg, d.source ?? '');
  }
  const count = [...notRead.values()].reduce((a, b) => a + b.length, 0);
  if (count > 0) {
    lines.push(`not read: ${count} (${verbose ? 'all listed' : 'podcap ingest --verbose lists every one; podcap sources and podcap diagnostics keep them'}):`);
    for (const [why, paths] of notRead) {
      const shown = verbose ? paths : paths.slice(0, NAMES);
      const more = paths.length - shown.length;
      lines.push(`  ${paths.length} × ${safeCell(why)}: ${shown.map(safeCell).join(', ')}${more > 0 ? ` …and ${more} more` : ''}`);
    }
  }

  // Data lost inside files that were read (truncated captures, cut gzip, damaged records).
  for (const r of results) {
    if (r.status !== 'ingested' || r.sourceId === undefined || r.diagnostics === 0) continue;
    const lost = listDiagnostics(db, r.sourceId).filter((d) => d.severity === 'dataLoss');
    if (lost.length === 0) continue;
    const first = lost[0];
    const at = first.offset !== null ? ` at offset ${first.offset}` : first.line !== null ? ` at line ${first.line}` : '';
    lines.push(`data loss: ${safeCell(r.path)}: ${safeCell(first.message)}${at}${lost.length > 1 ? ` (+${lost.length - 1} more; podcap diagnostics --case ${casePath})` : ''}`);
  }
  return { lines, unreadable: results.filter((r) => r.status === 'failed' || r.status === 'partial' || (r.status === 'unknown' && r.direct)).length };
}

/** Unknown-kind reasons carry a per-file confidence; group them by what they say without it. */
function reasonGroup(reason: string): string {
  return reason.replace(/ \(confidence [\d.]+\)/, '');
}
