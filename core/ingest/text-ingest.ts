import { diag, type Diagnostic } from '../diagnostics.js';
import type { AnyTextFormat } from '../formats/registry.js';
import { contentChunks, type ChunkStreamOptions } from './chunks.js';
import { textBatches } from './text-lines.js';

/** A dump whose format must be parsed whole is refused beyond this size rather than exhausting memory. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;
/** Whole lines parsed and written at a time for formats read line by line. */
export const TEXT_BATCH_BYTES = 4 * 1024 * 1024;
/** No node tool prints a longer line; past it a line keeps its head only (see text-lines.ts). */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Diagnostics of one code kept per source; the rest are counted in one more. */
export const MAX_DIAGNOSTICS_PER_CODE = 1000;

export interface TextIngestResult {
  records: unknown[];
  diagnostics: Diagnostic[];
}

export class TextTooLargeError extends Error {}

export interface TextPiece extends TextIngestResult {
  last: boolean;
}

/**
 * Parses a text dump into pieces of records: batches of whole lines for a format read line by
 * line, the whole text (up to MAX_TEXT_BYTES) otherwise. Line numbers and offsets are the file's.
 */
export async function* parseTextStream(
  format: AnyTextFormat, path: string, gz: boolean, stream: ChunkStreamOptions, source: string, baseTimeUs: number | undefined,
): AsyncGenerator<TextPiece> {
  const lineCap = format.longLines ? MAX_TEXT_BYTES : MAX_LINE_BYTES;
  const batch = format.lineByLine ? TEXT_BATCH_BYTES : MAX_TEXT_BYTES;
  let whole: string[] = [];
  let wholeBytes = 0;
  const cutAll: { line: number; offset: number; bytes: number }[] = [];
  for await (const b of textBatches(contentChunks(path, gz, stream), batch, lineCap)) {
    if (!format.lineByLine) {
      wholeBytes += b.text.length;
      if (wholeBytes > MAX_TEXT_BYTES) throw new TextTooLargeError(`text dump larger than ${MAX_TEXT_BYTES / 1048576} MiB`);
      whole.push(b.text);
      cutAll.push(...b.cut);
      if (!b.last) continue;
      const text = whole.join('');
      whole = [];
      const res = parseText(format, text, source, baseTimeUs);
      yield { records: res.records, diagnostics: [...cutDiagnostics(cutAll, lineCap, source), ...res.diagnostics], last: true };
      continue;
    }
    const res = parseText(format, b.text, source, baseTimeUs);
    const shift = b.firstLine - 1;
    if (shift > 0) {
      for (const r of res.records) {
        const rec = r as { line?: unknown };
        if (typeof rec.line === 'number') rec.line += shift;
      }
      for (const d of res.diagnostics) if (d.line !== undefined) d.line += shift;
    }
    yield { records: res.records, diagnostics: [...cutDiagnostics(b.cut, lineCap, source), ...res.diagnostics], last: b.last };
  }
}

function cutDiagnostics(cut: { line: number; offset: number; bytes: number }[], cap: number, source: string): Diagnostic[] {
  return cut.map((c) => diag('TEXT_LINE_TOO_LONG', `line of ${c.bytes} bytes: only its first ${cap} bytes were read`, { source, line: c.line, offset: c.offset }));
}

export function parseText(format: AnyTextFormat, text: string, source: string, baseTimeUs: number | undefined): TextIngestResult {
  const res = format.parse(text, { source, baseTimeUs });
  return { records: res.records, diagnostics: res.diagnostics.map((d) => ({ ...d, source: d.source ?? source })) };
}

/** Keeps at most MAX_DIAGNOSTICS_PER_CODE diagnostics of each code; `summary()` says how many more there were. */
export class DiagnosticBudget {
  private readonly seen = new Map<string, number>();

  keep(d: Diagnostic): boolean {
    const n = (this.seen.get(d.code) ?? 0) + 1;
    this.seen.set(d.code, n);
    return n <= MAX_DIAGNOSTICS_PER_CODE;
  }

  summary(source: string): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const [code, n] of this.seen) {
      if (n <= MAX_DIAGNOSTICS_PER_CODE) continue;
      const d = diag(code as Diagnostic['code'], `${n - MAX_DIAGNOSTICS_PER_CODE} more like this not stored (${n} in all; the first ${MAX_DIAGNOSTICS_PER_CODE} are kept)`, { source });
      out.push(d);
    }
    return out;
  }
}
