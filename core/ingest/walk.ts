import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics.js';

export interface InputFile {
  /** Where to read it. */
  fsPath: string;
  /** How to name it to the user (input path, or folder-relative). */
  displayPath: string;
  /** Node name taken from the folder layout, when there is one. */
  node: string | null;
  direct: boolean;
  /** Modification time from an archive entry (files on disk use their own mtime). */
  mtimeUs?: number;
}

export interface WalkResult {
  files: InputFile[];
  /** Inputs that cannot be read (`direct` false: found inside a folder or archive). */
  missing: { path: string; reason: string; direct?: boolean }[];
  /** Archives read only in part (damage, or a cap ended the extraction): the entries read are in `files`. */
  partial?: { path: string; reason: string; direct?: boolean }[];
  /** Archives that held no file to read (empty, or every entry refused or skipped). */
  empty?: { path: string; reason: string; direct?: boolean }[];
  diagnostics: Diagnostic[];
}

const MAX_FILES = 100_000;

export interface WalkOptions {
  /** Folders never walked into (podcap's own working folder, when a parent folder is ingested). */
  skip?: string[];
  /** How to name an input to the user (default: as given); e.g. an upload without its server folder. */
  shownAs?: (input: string) => string;
}

/**
 * Expands inputs: files as they are, folders recursively in a stable (sorted) order. Symlinks are
 * followed only when they stay inside the folder being walked.
 */
export async function walkInputs(inputs: string[], opts: WalkOptions = {}): Promise<WalkResult> {
  const out: WalkResult = { files: [], missing: [], diagnostics: [] };
  const skip = new Set<string>();
  for (const s of opts.skip ?? []) {
    try { skip.add(await realpath(s)); } catch { /* not created yet: nothing to skip */ }
  }
  for (const input of inputs) {
    let st;
    try {
      st = await lstat(input);
    } catch (e) {
      out.missing.push({ path: input, reason: `cannot read: ${errnoText(e)}` });
      continue;
    }
    if (st.isSymbolicLink()) {
      try {
        st = await lstat(await realpath(input));
      } catch {
        out.missing.push({ path: input, reason: 'dangling symbolic link' });
        continue;
      }
    }
    if (st.isDirectory()) {
      const root = await realpath(input);
      await walkDir(root, root, opts.shownAs?.(input) ?? input, out, skip);
    } else if (st.isFile()) {
      out.files.push({ fsPath: input, displayPath: opts.shownAs?.(input) ?? input, node: null, direct: true });
    } else {
      out.missing.push({ path: input, reason: 'not a regular file or folder' });
    }
  }
  return out;
}

async function walkDir(root: string, dir: string, shownRoot: string, out: WalkResult, skip: Set<string>): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.files.length >= MAX_FILES) {
      out.diagnostics.push(diag('ARCHIVE_BOMB', `more than ${MAX_FILES} files under ${shownRoot}; the rest are not read`, { source: shownRoot }));
      return;
    }
    const full = join(dir, e.name);
    const shown = join(shownRoot, relative(root, full));
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(full);
      } catch {
        out.diagnostics.push(diag('ARCHIVE_SYMLINK', `${shown}: dangling symbolic link skipped`, { source: shown }));
        continue;
      }
      if (target !== root && !target.startsWith(root + sep)) {
        out.diagnostics.push(diag('ARCHIVE_SYMLINK', `${shown}: symbolic link leaves the folder (to ${target}); refused`, { source: shown }));
        continue;
      }
      const st = await lstat(target);
      isDir = st.isDirectory();
      isFile = st.isFile();
      if (isDir) continue; // links to folders inside the tree would only visit them twice
    }
    if (isDir && !skip.has(full)) await walkDir(root, full, shownRoot, out, skip);
    else if (isFile) out.files.push({ fsPath: full, displayPath: shown, node: nodeFromPath(relative(root, full)), direct: false });
  }
}

/**
 * AKS Periscope's run folder (`DIAGNOSTIC_RUN_ID`, by convention `2024-08-28T09-46-32Z`): its
 * storage layout is `<run>/<node>/…`, so the node folders sit one level down.
 */
const PERISCOPE_RUN = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/;

/** A bundle keeps one folder per node: the first path component names it when there is one. */
export function nodeFromPath(rel: string): string | null {
  let parts = rel.split(/[\\/]/).filter(Boolean);
  if (parts.length > 2 && PERISCOPE_RUN.test(parts[0]!)) parts = parts.slice(1);
  return parts.length > 1 ? parts[0]! : null;
}

export { resolve };

/** The file system's reason in words, with its code for searching: `no such file or folder (ENOENT)`. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'operation not permitted',
    ELOOP: 'too many symbolic links', ENOTDIR: 'a part of the path is not a folder', EISDIR: 'is a folder', EMFILE: 'too many open files',
  };
  return code ? `${words[code] ?? (e as Error).message} (${code})` : (e as Error).message;
}
