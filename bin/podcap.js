#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm install` (prepare) or `npm run build:cli`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('podcap: dist/cli.js is missing; run `npm run build:cli` first\n');
  process.exit(2);
}
// The bundle defines main() and runs nothing on import; serve's ingest worker threads run this
// file too, and main() hands them their job.
const { main, guardExit } = await import(cli);
// Nothing ends silently: a stalled stream or an error nobody awaited still names the input (core/cli/exit-guard.ts).
const settle = guardExit(process.argv[2] ?? '');
process.exitCode = await main(process.argv.slice(2));
settle();
