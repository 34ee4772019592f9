// Builds better-sqlite3 for the installed Electron into out/native/, leaving node_modules' build
// (Node's ABI) untouched, so `npm test` and the CLI keep working while `npm start` runs the app.
// The app finds this build through PODCAP_SQLITE_BINDING (electron/main/native-binding.ts).
// Packaged apps do not need it: electron-builder rebuilds the module in the staged app.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
let electronVersion;
try {
  electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
} catch {
  console.error('build-electron-native: electron is not installed (it is an optional dependency)');
  process.exit(1);
}
const stage = join('out', 'native');
const mod = join(stage, 'node_modules', 'better-sqlite3');
const binding = join(mod, 'build', 'Release', 'better_sqlite3.node');
const stamp = join(stage, 'electron-version.txt');
if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) process.exit(0);

mkdirSync(stage, { recursive: true });
writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: 'podcap-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
cpSync(join('node_modules', 'better-sqlite3'), mod, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
const { rebuild } = await import('@electron/rebuild');
await rebuild({ buildPath: join(process.cwd(), stage), electronVersion, onlyModules: ['better-sqlite3'], force: true });
writeFileSync(stamp, electronVersion);
console.log(`better-sqlite3 built for Electron ${electronVersion}: ${binding}`);
