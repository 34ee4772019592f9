/**
 * Caps that keep a hostile archive from filling the disk or the clock. One archive the user gives
 * (with everything nested inside it) shares one byte and one entry budget, so nesting cannot
 * multiply them.
 */
export interface ArchiveLimits {
  /** Bytes written for one input archive, nested archives included. */
  maxTotalBytes: number;
  /** Bytes of any one entry. */
  maxEntryBytes: number;
  /** Expanded : compressed bytes of one entry, checked once the entry is past `ratioMinBytes`. */
  maxRatio: number;
  ratioMinBytes: number;
  /** Entries (files, folders, links, anything) of one input archive, nested archives included. */
  maxEntries: number;
  /** Archive levels expanded: 1 is the input archive, 3 allows a .tar.gz in a .zip in a .tar. */
  maxDepth: number;
  /** Wall-clock seconds to extract one input archive, nested archives included. */
  maxSeconds: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Real bundles compress text 5–30:1 and captures less; deflate cannot pass ~1030:1, so 200:1 on
 * more than 8 MiB only catches data made to be compressed (zeros). Captures of several GB exist,
 * hence the large per-entry cap.
 */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxTotalBytes: 8 * GiB,
  maxEntryBytes: 4 * GiB,
  maxRatio: 200,
  ratioMinBytes: 8 * MiB,
  maxEntries: 100_000,
  maxDepth: 3,
  // A real multi-GB bundle extracts in well under a minute; this only ends pathological ones.
  maxSeconds: 300,
});

export function archiveLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const l = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const k of Object.keys(l) as (keyof ArchiveLimits)[]) {
    const v = overrides[k];
    if (v !== undefined) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`archive limit ${k} must be a non-negative number, not ${v}`);
      l[k] = v;
    }
  }
  return l;
}

export function fmtBytes(n: number): string {
  if (n >= GiB) return `${+(n / GiB).toFixed(2)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
