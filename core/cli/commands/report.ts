import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listFanout } from '../../analysis/fanout/fanout.js';
import { listFindings } from '../../analysis/findings/findings.js';
import { listSources as listSourcesForReport } from '../../api/queries/sources.js';
import { openCase } from '../../db/open-case.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { fail } from '../args.js';
import { Out, safeCell } from '../output.js';
import { progressBar } from '../progress-bar.js';
import { printFindings } from './findings.js';
import { summarizeIngest } from '../ingest-summary.js';
import { nowReading } from '../exit-guard.js';
import type { Diagnostic } from '../../diagnostics.js';

/** The one-command answer for a bundle: ingest into a temporary case and print the findings. */
export async function cmdReport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, keep: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } } });
  if (positionals.length === 0) fail('report needs at least one PATH');
  const dir = mkdtempSync(join(tmpdir(), 'podcap-report-'));
  const casePath = values.keep ?? join(dir, 'report.case.db');
  const db = openCase(casePath);
  const bar = progressBar();
  try {
    const notes: Diagnostic[] = [];
    const results = await ingestPaths(db, positionals, { onProgress: (p) => bar.update(p), workDir: join(dir, 'work'), onNote: (d) => notes.push(d), onInput: nowReading });
    bar.done();
    for (const r of results) if (r.status === 'failed' || r.status === 'partial' || (r.status === 'unknown' && r.direct)) process.stderr.write(`podcap: ${safeCell(r.path)}: ${safeCell(r.reason ?? r.status)}\n`);
    const summary = summarizeIngest(db, values.keep ?? 'a temporary case', results, notes, values.verbose ?? false);
    // Findings of nothing would read as "all clear": say that nothing was read instead.
    if (!results.some((r) => r.status === 'ingested' || r.status === 'duplicate')) {
      process.stderr.write(`podcap report: nothing could be read, so there is nothing to report\n${summary.lines.slice(1).join('\n')}\n`);
      return 1;
    }
    const findings = listFindings(db);
    const out = new Out();
    if (values.json) { for (const f of findings) out.json(f); out.flush(); return summary.unreadable > 0 ? 1 : 0; }
    const sources = listSourcesForReport(db);
    const kinds = new Map<string, number>();
    for (const s of sources) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    out.line(`podcap report: ${sources.length} files (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`);
    const top = listFanout(db, { limit: 3 });
    if (top.length) out.line(`top fan-out: ${top.map((f) => `${safeCell(f.who)} ${f.connections} connections (${f.evidence})`).join('; ')}`);
    out.line('');
    printFindings(out, findings);
    out.flush();
    process.stderr.write(summary.lines.slice(1).map((l) => `${l}\n`).join(''));
    if (values.keep) process.stderr.write(`case kept in ${casePath}\n`);
    return summary.unreadable > 0 ? 1 : 0;
  } finally {
    db.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
