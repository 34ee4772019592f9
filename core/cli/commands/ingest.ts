import { parseArgs } from 'node:util';
import { openCase } from '../../db/open-case.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { fail, needCase } from '../args.js';
import { Out, safeCell } from '../output.js';
import { progressBar } from '../progress-bar.js';
import { summarizeIngest } from '../ingest-summary.js';
import type { Diagnostic } from '../../diagnostics.js';

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
    const results = await ingestPaths(db, positionals, { onProgress: (p) => bar.update(p), signal: ac.signal, node: values.node, onNote: (d) => notes.push(d) });
    bar.done();
    const out = new Out();
    if (values.json) for (const r of results) out.json(r);
    out.flush();
    // One line per input the user named that could not be read, then the closing summary.
    for (const r of results) {
      if (r.status === 'failed' || (r.status === 'unknown' && r.direct)) process.stderr.write(`podcap: ${safeCell(r.path)}: ${safeCell(r.reason ?? r.status)}\n`);
    }
    const summary = summarizeIngest(db, casePath, results, notes, values.verbose ?? false);
    if (!values.json) process.stderr.write(summary.lines.join('\n') + '\n');
    return summary.unreadable > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSig);
    db.close();
  }
}
