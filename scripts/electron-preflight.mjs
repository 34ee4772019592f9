// `npm start` / `npm run dist` check first, in one line, what would otherwise fail minutes later
// with a stack trace: Electron's binary and the Node version the packaging tools need.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const problems = [];
const bin = electronBinary();
if ('missing' in bin) {
  problems.push(`${bin.missing}. Get it with \`npm install electron\` on a machine that can download it (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron); meanwhile \`npx podcap serve --case FILE --open\` shows the same UI in a browser.`);
}
// Each packaging tool declares the Node it needs; check them here rather than mid-build.
for (const pkg of ['electron-vite', 'electron-builder', 'app-builder-lib', '@electron/rebuild']) {
  // Read the installed package.json directly: some packages' `exports` hide it from require.resolve.
  const file = [join('node_modules', pkg, 'package.json'), join('node_modules', 'app-builder-lib', 'node_modules', pkg, 'package.json')].find((f) => existsSync(f));
  if (!file) continue;
  const engines = JSON.parse(readFileSync(file, 'utf8')).engines?.node;
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
