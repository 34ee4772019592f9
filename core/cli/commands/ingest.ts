import { parseArgs } from 'node:util';
import { openCase } from '../../db/open-case.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { fail, needCase } from '../args.js';
import { Out, safeCell } from '../output.js';
import { progressBar } from '../progress-bar.js';

export async function cmdIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, node: { type: 'string' }, json: { type: 'boolean' } } });
  const casePath = needCase(values);
  if (positionals.length === 0) fail('ingest needs at least one PATH');
  const db = openCase(casePath);
  const bar = progressBar();
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  try {
    const results = await ingestPaths(db, positionals, { onProgress: (p) => bar.update(p), signal: ac.signal, node: values.node });
    bar.done();
    const out = new Out();
    let bad = 0;
    for (const r of results) {
      if (values.json) out.json(r);
      const unreadable = r.status === 'failed' || (r.status === 'unknown' && r.direct);
      if (unreadable) {
        bad++;
        process.stderr.write(`podcap: ${safeCell(r.path)}: ${safeCell(r.reason ?? r.status)}\n`);
      }
    }
    out.flush();
    if (!values.json) {
      const n = (s: string) => results.filter((r) => r.status === s).length;
      process.stderr.write(`ingested ${n('ingested')}, duplicate ${n('duplicate')}, unknown ${n('unknown')}, failed ${n('failed')} → ${casePath}\n`);
    }
    return bad > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSig);
    db.close();
  }
}
