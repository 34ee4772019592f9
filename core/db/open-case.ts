import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { PodcapError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type CaseDb = Database.Database;

/** Address space mapped for reading a case (pages are the OS file cache's, not the heap). */
const MMAP_BYTES = 1 << 30;

/**
 * Opens (creating if needed) a case file and brings its schema up to date. WAL keeps readers
 * (the UI) unblocked while an ingest writes.
 */
export function openCase(path: string, opts: { readonly?: boolean; mmap?: boolean } = {}): CaseDb {
  let db: CaseDb;
  try {
    db = connect(path, opts.readonly ?? false);
  } catch (e) {
    throw caseOpenError(path, opts.readonly ?? false, e);
  }
  // 32 MiB of page cache: enough for the flow indexes' working set, and part of the memory budget.
  db.pragma('cache_size = -32768');
  // Connections that answer queries read the case through a memory map: the rollups and indexes
  // they read are scattered over the file, and each page-cache miss was a read() call (compare on
  // 1M flows: 83 -> 65 ms). Ingest connections do not: mapped pages would count in their RSS.
  if (opts.mmap ?? opts.readonly ?? false) db.pragma(`mmap_size = ${MMAP_BYTES}`);
  if (!opts.readonly) migrate(db);
  else {
    const v = db.pragma('user_version', { simple: true }) as number;
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    if (v < latest) {
      // A case made by an earlier podcap: bring it up to date once, then read it as asked.
      db.close();
      try {
        openCase(path).close();
      } catch (e) {
        throw new PodcapError('CASE_VERSION', `${path}: case schema version ${v} (expected ${latest}) and it could not be migrated: ${(e as Error).message}`);
      }
      return openCase(path, opts);
    }
    if (v !== latest) throw new PodcapError('CASE_VERSION', `${path}: case schema version ${v} is newer than this podcap (${latest})`);
  }
  return db;
}

function connect(path: string, readonly: boolean): CaseDb {
  // Electron needs better-sqlite3 built for its own ABI; the desktop shell points here at that
  // build (scripts/build-electron-native.mjs) so node_modules keeps the Node build for the CLI and tests.
  const nativeBinding = process.env.PODCAP_SQLITE_BINDING || undefined;
  const db = new Database(path, { readonly, fileMustExist: readonly, nativeBinding });
  try {
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // The first read of a file that is not SQLite fails here, not at open.
    db.pragma('user_version', { simple: true });
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * SQLite says `unable to open database file` for a missing file, a missing or read-only folder
 * alike: name the path and the reason the file system gives (CASE_NOT_FOUND, CASE_OPEN).
 */
function caseOpenError(path: string, readonly: boolean, e: unknown): PodcapError {
  const code = (e as { code?: string }).code ?? '';
  const why = (e as Error).message ?? String(e);
  if (readonly && !existsSync(path)) return new PodcapError('CASE_NOT_FOUND', `case ${path} does not exist (make one with: podcap ingest PATH... --case ${path})`);
  if (code === 'SQLITE_NOTADB') return new PodcapError('CASE_OPEN', `${path} is not a podcap case (not an SQLite database)`);
  if (existsSync(path) && statSync(path).isDirectory()) return new PodcapError('CASE_OPEN', `cannot open case ${path}: it is a folder`);
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) return new PodcapError('CASE_OPEN', `cannot create case ${path}: folder ${dir} does not exist`);
  if (!readonly) {
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return new PodcapError('CASE_OPEN', `cannot write case ${path}: folder ${dir} is not writable`);
    }
  }
  return new PodcapError('CASE_OPEN', `cannot open case ${path}: ${why}`);
}

export function migrate(db: CaseDb): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  if (current > latest) throw new PodcapError('CASE_VERSION', `case schema version ${current} is newer than this podcap (${latest})`);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
