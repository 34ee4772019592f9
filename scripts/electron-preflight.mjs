// `npm start` / `npm run dist` check first, in one line, what would otherwise fail minutes later
// with a stack trace: Electron's binary and the Node version the packaging tools need.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { electronBinary } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const problems = [];
const bin = electronBinary();
if ('missing' in bin) {
  problems.push(`${bin.missing}. Get it with \`npm install electron\` on a machine that can download it (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron); meanwhile \`npx podcap serve --case FILE --open\` shows the same UI in a browser.`);
}
// Each packaging tool declares the Node it needs; check them here rather than mid-build.
for (const pkg of ['electron-vite', 'electron-builder', 'app-builder-lib', '@electron/rebuild']) {
  let engines;
  try {
    engines = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).engines?.node;
  } catch { continue; }
  const min = /^>=\s*(\d+)\.(\d+)/.exec(engines ?? '');
  if (!min) continue;
  const [maj, minor] = process.versions.node.split('.').map(Number);
  if (maj < Number(min[1]) || (maj === Number(min[1]) && minor < Number(min[2]))) {
    problems.push(`${pkg} needs Node ${engines}; this is Node ${process.versions.node}.`);
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(`podcap: cannot build the desktop app: ${p}`);
  process.exit(1);
}
