import { parseArgs } from 'node:util';
import { openCase } from '../../db/open-case.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { fail, needCase } from '../args.js';
import { Out, safeCell } from '../output.js';
import { progressBar } from '../progress-bar.js';
import { summarizeIngest } from '../ingest-summary.js';
import type { Diagnostic } from '../../diagnostics.js';
import { nowReading } from '../exit-guard.js';
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export async function cmdIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, node: { type: 'string' }, json: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' } } });
  const casePath = needCase(values);
  if (positionals.length === 0) fail('ingest needs at least one PATH');
  const db = openCase(casePath);
  const bar = progressBar();
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  const notes: Diagnostic[] = [];
  try {
    const results = await ingestPaths(db, positionals, {
      onProgress: (p) => bar.update(p), signal: ac.signal, node: values.node, onNote: (d) => notes.push(d), onInput: nowReading,
      onWait: (pid) => process.stderr.write(`podcap: another ingest into ${safeCell(casePath)} is running (pid ${pid}); waiting for it to finish\n`),
      onEstimate: (e) => noteEstimate(casePath, e.bytes, e.files),
    });
    bar.done();
    const out = new Out();
    if (values.json) for (const r of results) out.json(r);
    out.flush();
    // One line per input the user named that could not be read, then the closing summary.
    for (const r of results) {
      if (r.status === 'failed' || r.status === 'partial' || (r.status === 'unknown' && r.direct)) process.stderr.write(`podcap: ${safeCell(r.path)}: ${safeCell(r.reason ?? r.status)}\n`);
    }
    const summary = summarizeIngest(db, casePath, results, notes, values.verbose ?? false);
    if (!values.json) process.stderr.write(summary.lines.join('\n') + '\n');
    return summary.unreadable > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSig);
    db.close();
  }
}

/** Says up front when the case will grow a lot, and when it may not fit where it lives. */
function noteEstimate(casePath: string, bytes: number, files: number): void {
  let free = Infinity;
  try {
    const s = statfsSync(dirname(resolve(casePath)));
    free = s.bavail * s.bsize;
  } catch { /* no statfs here: say nothing about room */ }
  const mb = (n: number) => `${Math.ceil(n / 1e6)} MB`;
  if (bytes > free) process.stderr.write(`podcap: warning: ${files} file${files === 1 ? '' : 's'} may grow the case by about ${mb(bytes)}, but only ${mb(free)} is free where it lives\n`);
  else if (bytes >= 256e6) process.stderr.write(`podcap: ${files} file${files === 1 ? '' : 's'}: the case will grow by about ${mb(bytes)}\n`);
}
