// Bundles the CLI (core + cli) and the benchmark into dist/ with esbuild: one fast step that
// `npm install` runs (prepare) so `npx podcap` works straight after install. Native and
// optional modules stay external.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};
await build({ ...common, entryPoints: { cli: 'core/cli/main.ts', 'capture-worker': 'core/ingest/capture-worker-main.ts' }, outdir: 'dist' });
await build({ ...common, entryPoints: { bench: 'scripts/bench.ts', 'format-table': 'scripts/format-table.ts' }, outdir: 'dist' });
await build({ ...common, entryPoints: { 'synthetic-capture': 'scripts/synthetic-capture.ts', 'busy-capture': 'scripts/busy-capture.ts', fuzz: 'scripts/fuzz.ts' }, outdir: 'dist' });
