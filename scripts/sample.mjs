// `npm run sample`: the main job on the bundled sample case. Ingests the rst-mix lab bundle (a
// node built of namespaces: real tcpdump, conntrack, ip, lsns and pstree output), prints what the
// runbooks would conclude and who sent each RST, then opens the case: in the desktop app where
// Electron is installed, otherwise in the same UI served to a browser (podcap serve).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

const CASE = 'sample.case.db';
const BUNDLE = 'fixtures/lab/bundles/rst-mix.tar.gz';
const podcap = (...args) => {
  const r = spawnSync(process.execPath, ['bin/podcap.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const npm = (script, ...args) => {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', script, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// A fresh case each time, so the output is the same on every run.
for (const ext of ['', '-wal', '-shm']) rmSync(CASE + ext, { force: true });
rmSync(`${CASE}.work`, { recursive: true, force: true });
podcap('ingest', BUNDLE, '--case', CASE);
console.log('\n== findings (podcap findings) ==');
podcap('findings', '--case', CASE);
console.log('\n== who sent each RST (podcap rst) ==');
podcap('rst', '--case', CASE);

const found = electronBinary();
const electron = 'path' in found ? found.path : null;

const interactive = process.stdout.isTTY && !process.env.CI;
if (electron && interactive) {
  // `npm start` builds the app and better-sqlite3 for Electron, then opens the case given after `--`.
  npm('start', '--', CASE);
} else if (interactive) {
  if (!existsSync('out/renderer/index.html')) npm('build:renderer');
  console.log('\nElectron is not installed here: serving the same UI to your browser (Ctrl+C stops it).');
  spawn(process.execPath, ['bin/podcap.js', 'serve', '--case', CASE, '--open'], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`\nTo look at it: npx podcap serve --case ${CASE} --open, or npm start -- ${CASE} where Electron is installed.`);
}
