import { diag, type Diagnostic, type DiagnosticCode } from '../../diagnostics.js';
import { shorten } from './lines.js';

/** Beyond this many diagnostics of one code, a file gets one summary line instead of thousands. */
const MAX_PER_CODE = 200;

/** Collects a parse's diagnostics with the source filled in and a cap per code. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly counts = new Map<DiagnosticCode, number>();

  constructor(private readonly source: string) {}

  add(code: DiagnosticCode, message: string, line?: number): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count <= MAX_PER_CODE) {
      this.items.push(diag(code, message, line === undefined ? { source: this.source } : { source: this.source, line }));
    }
  }

  malformed(line: number, text: string, why: string): void {
    this.add('TEXT_MALFORMED_LINE', `${why}: ${JSON.stringify(shorten(text))}`, line);
  }

  masked(line: number, field: string, value: string): void {
    this.add('TEXT_MASKED_VALUE', `${field} ${JSON.stringify(shorten(value))} is masked and cannot be matched`, line);
  }

  truncated(line: number, what: string): void {
    this.add('TEXT_TRUNCATED', what, line);
  }

  /**
   * A line the reader could not use: the cut last line of a file that does not end in a newline
   * is data loss (TEXT_TRUNCATED), anything else a malformed line.
   */
  rejectLine(line: number, text: string, why: string, cutLast: boolean): void {
    if (cutLast) this.truncated(line, `the last line is cut (${why})`);
    else this.malformed(line, text, why);
  }

  /** Adds the "n more" summaries; call once at the end of a parse. */
  finish(): Diagnostic[] {
    for (const [code, count] of this.counts) {
      if (count > MAX_PER_CODE) {
        this.items.push(diag(code, `${count - MAX_PER_CODE} more diagnostics of this kind were not listed`, { source: this.source }));
      }
    }
    return this.items;
  }
}
