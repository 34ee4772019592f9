/**
 * Throughput of the tracker alone. Prints figures; never asserts on speed (a slow CI machine must
 * not fail), though the workload itself checks every connection came out right. Two rounds each:
 * enough to see a regression by eye, cheap enough for the test suite (best of 10 took 40 s idle and
 * over 180 s on a loaded machine). Vitest's module
 * transform slows cross-module calls, so the workload is also bundled with esbuild and run in plain
 * node, which is how the CLI runs it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { it } from 'vitest';
import { measure, prepare } from './throughput-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const line = (label: string, mpps: number, n: number) => `[tracker-throughput] ${label}: ${(mpps / 1e6).toFixed(2)} M packets/s (${n} packets, 20000 connections, best of 2)`;

it('measures tracker throughput (prints, does not assert speed)', async () => {
  const single = prepare(20_000, false);
  console.log(line('vitest, single capture point', measure(single, 20_000, 2), single.n));
  const any = prepare(20_000, true);
  console.log(line('vitest, -i any (every packet twice)', measure(any, 20_000, 2), any.n));

  const dir = mkdtempSync(join(tmpdir(), 'podcap-tracker-bench-'));
  try {
    const out = join(dir, 'bench.mjs');
    const entry = `import { measure, prepare } from './throughput-bench.ts';
const label = (s, m, n) => '[tracker-throughput] node (esbuild bundle), ' + s + ': ' + (m / 1e6).toFixed(2) + ' M packets/s (' + n + ' packets, 20000 connections, best of 2)';
const a = prepare(20000, false); console.log(label('single capture point', measure(a, 20000, 2), a.n));
const b = prepare(20000, true); console.log(label('-i any (every packet twice)', measure(b, 20000, 2), b.n));`;
    await build({ stdin: { contents: entry, resolveDir: here, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
    console.log(execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
