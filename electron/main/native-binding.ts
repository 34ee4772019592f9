import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * In a development run (`npm start`) node_modules holds better-sqlite3 built for Node (tests and
 * the CLI need it); the Electron build lives in out/native (scripts/build-electron-native.mjs).
 * core/db/open-case.ts loads it through PODCAP_SQLITE_BINDING, which the ingest utility processes
 * inherit. Packaged apps carry a module rebuilt for Electron and need nothing here.
 */
export function useElectronSqliteBuild(appRoot: string, packaged: boolean): void {
  if (packaged || process.env.PODCAP_SQLITE_BINDING) return;
  const binding = join(appRoot, 'out', 'native', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) process.env.PODCAP_SQLITE_BINDING = binding;
}
