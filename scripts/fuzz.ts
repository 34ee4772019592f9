/**
 * `npm run fuzz -- [--cases N] [--seed S] [--timeout-ms T]`: the long run of the fuzz harness
 * (test/fuzz/harness.ts), printing cases tried / crashes / hangs. Each crashing or hanging input
 * is kept in fuzz-out/ to replay. Exits 1 when anything crashed or hung.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzz } from '../test/fuzz/harness.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '2000' }, seed: { type: 'string', default: String(Date.now() % 1e9) }, 'timeout-ms': { type: 'string', default: '20000' }, out: { type: 'string', default: 'fuzz-out' } } });
const cases = Number(values.cases);
const seed = Number(values.seed);
const t0 = Date.now();
process.stderr.write(`fuzz: seed ${seed}, ${cases} cases\n`);
const report = await fuzz({
  seed, cases, timeoutMs: Number(values['timeout-ms']),
  onCase: (i, c, o) => {
    if (o.kind !== 'ok') {
      mkdirSync(values.out!, { recursive: true });
      for (const f of c.files) writeFileSync(join(values.out!, `seed${seed}-case${i}-${o.kind}-${f.name}`), f.bytes);
      process.stderr.write(`fuzz: ${o.kind}: ${c.name}${o.kind === 'crash' ? `: ${o.error}` : ''}\n`);
    }
    if ((i + 1) % 100 === 0) process.stderr.write(`fuzz: ${i + 1}/${cases}\n`);
  },
});
process.stdout.write(`cases tried ${report.tried}, crashes ${report.crashes.length}, hangs ${report.hangs.length} (seed ${seed}, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
process.exitCode = report.crashes.length + report.hangs.length > 0 ? 1 : 0;
