import type { Diagnostic } from '../diagnostics.js';

/** Where a text dump came from, for diagnostics and time anchoring. */
export interface TextParseContext {
  /** Path (or archive member path) used in diagnostics. */
  source: string;
  /** Epoch µs to anchor times that have no date (bundle mtime or user-given). */
  baseTimeUs?: number;
}

export interface TextParseResult<R> {
  records: R[];
  diagnostics: Diagnostic[];
}

/**
 * A node-tool text format. `sniff` looks at content (the first ~64 KiB) and returns a confidence
 * in [0,1]; the file name only breaks ties (pass it, but never rely on it alone). `parse` is pure.
 */
export interface TextFormat<K extends string, R> {
  kind: K;
  sniff(head: string, fileName: string): number;
  parse(text: string, ctx: TextParseContext): TextParseResult<R>;
  /**
   * Each line is read on its own (no header, no state carried from earlier lines), so a large dump
   * can be parsed in pieces of whole lines with the same result: memory stays bounded.
   */
  lineByLine?: boolean;
  /** Lines may be longer than the line cap (compact JSON on one line); the whole dump is still capped. */
  longLines?: boolean;
}
