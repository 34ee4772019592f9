import { closeSync, mkdirSync, openSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DiagnosticCode } from '../../diagnostics.js';
import { fmtBytes, type ArchiveLimits } from './limits.js';
import type { ArchiveKind } from './sniff.js';
import { checkMemberPath, isInside, resolveInside } from './safe-path.js';

/** One extracted regular file of one archive level. */
export interface LevelEntry {
  /** The member's path as the archive names it ('/'-separated, without '.' parts). */
  member: string;
  /** Where it was written, relative to the level's folder ('/'-separated). */
  disk: string;
  bytes: number;
  mtimeUs?: number;
  /** Set when the extracted file is itself an archive. */
  archive?: ArchiveKind;
}

/** A problem found in one archive level; `member` names the entry when there is one. */
export interface LevelDiag {
  code: DiagnosticCode;
  message: string;
  member?: string;
  offset?: number;
}

/** What one level may still use of the input archive's budget. */
export interface LevelBudget {
  bytes: number;
  entries: number;
}

/** Ends the extraction of one archive (a cap was hit, or the archive cannot be read further). */
export class StopExtraction extends Error {
  constructor(readonly diag: LevelDiag) {
    super(diag.message);
    this.name = 'StopExtraction';
  }
}

/** Microseconds from an archive's time, when it holds a real one. */
export const timeUs = (d: Date | undefined): number | undefined => {
  const ms = d?.getTime();
  return ms !== undefined && Number.isFinite(ms) ? ms * 1000 : undefined;
};

/** JSON quoting keeps hostile names (newlines, escapes) on one inert line. */
export const q = (s: string): string => JSON.stringify(s);

export const filesKept = (n: number): string => `the ${n} file${n === 1 ? '' : 's'} before it ${n === 1 ? 'is' : 'are'} kept`;

/**
 * The writing side of extracting one archive into a folder podcap owns: every name is checked,
 * every file is created new ('wx': never through an existing file or link) at a path verified to
 * resolve inside the folder, links and special files are never created, and every byte counts
 * against the caps.
 */
export class Extraction {
  readonly entries: LevelEntry[] = [];
  readonly diagnostics: LevelDiag[] = [];
  bytes = 0;
  count = 0;
  /** Set when a cap ended the extraction early. */
  cut = false;
  /** Set when the time cap ended it (a result not to be reused: another run may get further). */
  timedOut = false;
  /** Empty regular files seen and not extracted. */
  empty = 0;
  /** Set when nothing could be read: the archive is not what its first bytes promised. */
  unreadable?: string;
  private readonly refusedLinks: string[] = [];
  private readonly verifiedDirs = new Set<string>();

  /** `deadlineMs`: Date.now() past which the input archive (with all it nests) stops. */
  constructor(readonly root: string, readonly limits: ArchiveLimits, readonly budget: LevelBudget, readonly deadlineMs = Infinity) {}

  note(code: DiagnosticCode, message: string, member?: string, offset?: number): void {
    this.diagnostics.push({ code, message, member, offset });
  }

  /** Every entry header counts, whatever its type, so millions of empty entries stop early. */
  countEntry(): void {
    this.checkTime();
    if (this.count >= this.budget.entries) {
      this.cut = true;
      throw new StopExtraction({
        code: 'ARCHIVE_BOMB',
        message: `more than ${this.budget.entries} entries (cap ${this.limits.maxEntries} per input archive); extraction stopped, ${filesKept(this.entries.length)}`,
      });
    }
    this.count++;
  }

  /** An empty regular file holds nothing to read: counted (entries cap) but never written to disk. */
  emptyFile(): void {
    this.empty++;
  }

  checkTime(): void {
    if (Date.now() <= this.deadlineMs) return;
    this.cut = true;
    this.timedOut = true;
    throw new StopExtraction({
      code: 'ARCHIVE_BOMB',
      message: `extraction took longer than ${this.limits.maxSeconds} s (cap per input archive) after ${this.count} entries; extraction stopped, ${filesKept(this.entries.length)}`,
    });
  }

  /** Checks a declared size before any byte is read (zip central directory, tar header). */
  checkDeclared(raw: string, size: number, compressed?: number): void {
    const { maxEntryBytes, maxRatio, ratioMinBytes } = this.limits;
    if (size > maxEntryBytes) this.bomb(`entry ${q(raw)} declares ${fmtBytes(size)}, over the per-entry cap of ${fmtBytes(maxEntryBytes)}`);
    if (size > this.budget.bytes - this.bytes) this.bomb(`entry ${q(raw)} declares ${fmtBytes(size)}, which would pass the cap of ${fmtBytes(this.limits.maxTotalBytes)} extracted per input archive`);
    if (compressed !== undefined && size > ratioMinBytes && size / Math.max(1, compressed) > maxRatio) {
      this.bomb(`entry ${q(raw)} would expand ${Math.round(size / Math.max(1, compressed))}:1 (${fmtBytes(compressed)} to ${fmtBytes(size)}), over the ${maxRatio}:1 cap`);
    }
  }

  /** Bytes of an entry read so far against the compressed bytes they came from. */
  checkRatio(raw: string, expanded: number, compressed: number): void {
    const { maxRatio, ratioMinBytes } = this.limits;
    if (expanded > ratioMinBytes && expanded / Math.max(1, compressed) > maxRatio) {
      this.bomb(`entry ${q(raw)} expands more than ${maxRatio}:1 (${fmtBytes(expanded)} from at most ${fmtBytes(compressed)} compressed)`);
    }
  }

  bomb(what: string, member?: string): never {
    this.cut = true;
    throw new StopExtraction({ code: 'ARCHIVE_BOMB', member, message: `${what}; extraction of this archive stopped, ${filesKept(this.entries.length)}` });
  }

  /** Folders are created when a file needs them; a folder entry only has its name checked. */
  folder(raw: string): void {
    const p = checkMemberPath(raw);
    if (!p.ok && p.reason !== 'empty name') this.note('ARCHIVE_UNSAFE_PATH', `folder entry ${q(raw)} refused: ${p.reason}`);
  }

  refuseLink(raw: string, kind: 'symbolic' | 'hard', target: string | undefined): void {
    const p = checkMemberPath(raw);
    if (p.ok) this.refusedLinks.push(p.parts.join('/'));
    this.note('ARCHIVE_SYMLINK', `${kind} link ${q(raw)}${target !== undefined ? ` -> ${q(target)}` : ''} refused: links inside archives are never extracted`);
  }

  skip(raw: string, why: string): void {
    const p = checkMemberPath(raw);
    this.note('ARCHIVE_SKIPPED_ENTRY', `entry ${q(raw)} skipped: ${why}`, p.ok ? p.parts.join('/') : undefined);
  }

  /**
   * A new file for a regular entry, or undefined when the entry is refused (the reason is noted).
   * Throws StopExtraction on a cap, or on a write error that is not about this one name.
   */
  openFile(raw: string, mtimeUs: number | undefined): FileSink | undefined {
    const p = checkMemberPath(raw);
    if (!p.ok) {
      this.note('ARCHIVE_UNSAFE_PATH', `entry ${q(raw)} refused: ${p.reason}`);
      return undefined;
    }
    const member = p.parts.join('/');
    const via = this.refusedLinks.find((l) => member.startsWith(l + '/'));
    if (via !== undefined) {
      this.note('ARCHIVE_SYMLINK', `entry ${q(raw)} refused: its path goes through the refused link ${q(via)}`);
      return undefined;
    }
    const full = resolveInside(this.root, p.diskParts);
    if (full === undefined) {
      this.note('ARCHIVE_UNSAFE_PATH', `entry ${q(raw)} refused: it resolves outside the extraction folder`);
      return undefined;
    }
    const dir = dirname(full);
    try {
      if (!this.verifiedDirs.has(dir)) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Only podcap writes here and it never makes links, but the check is cheap and final.
        if (!isInside(this.root, realpathSync(dir))) throw Object.assign(new Error('its folder resolves outside the extraction folder'), { code: 'EUNSAFE' });
        this.verifiedDirs.add(dir);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        this.note('ARCHIVE_SKIPPED_ENTRY', `entry ${q(raw)} skipped: an earlier entry is a file where it needs a folder`, member);
        return undefined;
      }
      return this.unwritable(raw, member, e as NodeJS.ErrnoException);
    }
    let fd: number;
    try {
      fd = openSync(full, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        this.note('ARCHIVE_SKIPPED_ENTRY', `entry ${q(raw)} skipped: an earlier entry has the same name (on this file system); the first is kept`, member);
        return undefined;
      }
      return this.unwritable(raw, member, e as NodeJS.ErrnoException);
    }
    return new FileSink(this, fd, full, member, p.diskParts.join('/'), raw, mtimeUs);
  }

  /** A name this file system cannot hold is refused; any other write error ends the extraction. */
  private unwritable(raw: string, member: string, e: NodeJS.ErrnoException): undefined {
    if (e.code === 'EUNSAFE' || e.code === 'ENAMETOOLONG' || e.code === 'EINVAL' || e.code === 'EILSEQ' || e.code === 'EISDIR') {
      this.note('ARCHIVE_UNSAFE_PATH', `entry ${q(raw)} refused: cannot be created safely (${e.code}: ${e.message})`, member);
      return undefined;
    }
    throw new StopExtraction({ code: 'INGEST_FAILED', member, message: `cannot write entry ${q(raw)}: ${e.message}; extraction of this archive stopped, ${filesKept(this.entries.length)}` });
  }

  /** Called by a sink for every chunk: the per-entry and total caps. */
  account(sink: FileSink, n: number): void {
    if (sink.bytes + n > this.limits.maxEntryBytes) this.bomb(`entry ${q(sink.raw)} grows past the per-entry cap of ${fmtBytes(this.limits.maxEntryBytes)}`);
    this.checkTime();
    if (this.bytes + n > this.budget.bytes) this.bomb(`entry ${q(sink.raw)} takes the extracted bytes past the cap of ${fmtBytes(this.limits.maxTotalBytes)} per input archive`);
    this.bytes += n;
  }
}

/** One file being written; closed exactly once by finish() or discard(). */
export class FileSink {
  bytes = 0;
  private open = true;

  constructor(
    private readonly ext: Extraction,
    private readonly fd: number,
    private readonly full: string,
    readonly member: string,
    private readonly disk: string,
    readonly raw: string,
    private readonly mtimeUs: number | undefined,
  ) {}

  write(chunk: Uint8Array): void {
    this.ext.account(this, chunk.length);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.bytes += chunk.length;
  }

  /** Keeps the file (also a cut one: a truncated capture still holds its earlier packets). */
  finish(): void {
    if (!this.close()) return;
    this.ext.entries.push({ member: this.member, disk: this.disk, bytes: this.bytes, mtimeUs: this.mtimeUs });
  }

  discard(): void {
    if (!this.close()) return;
    try { unlinkSync(this.full); } catch { /* already gone */ }
  }

  private close(): boolean {
    if (!this.open) return false;
    this.open = false;
    closeSync(this.fd);
    return true;
  }
}
