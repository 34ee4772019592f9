export type IngestPhase = 'sniff' | 'parse' | 'index' | 'correlate' | 'done';

/** What a long ingest reports about twice a second (DESIGN.md: jobs + progress). */
export interface IngestProgress {
  phase: IngestPhase;
  path: string;
  /** Raw (on-disk) bytes read of the current file. */
  bytesRead: number;
  bytesTotal: number;
  /** Packets or records read of the current file. */
  records: number;
  diagnostics: number;
  /** Files done / total in this job. */
  filesDone: number;
  filesTotal: number;
}

export type ProgressFn = (p: IngestProgress) => void;

/** Calls `fn` at most every `ms` milliseconds (plus whenever `force` is set). */
export function throttle(fn: ProgressFn | undefined, ms = 500): (p: IngestProgress, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    if (!fn) return;
    const now = Date.now();
    if (force || now - last >= ms) {
      last = now;
      fn(p);
    }
  };
}
