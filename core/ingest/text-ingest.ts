import type { Diagnostic } from '../diagnostics.js';
import type { AnyTextFormat } from '../formats/registry.js';
import { contentChunks, type ChunkStreamOptions } from './chunks.js';

/** Text dumps are parsed whole; beyond this size a file is refused rather than exhausting memory. */
export const MAX_TEXT_BYTES = 512 * 1024 * 1024;

export interface TextIngestResult {
  records: unknown[];
  diagnostics: Diagnostic[];
}

export class TextTooLargeError extends Error {}

export async function readText(path: string, gz: boolean, stream: ChunkStreamOptions): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of contentChunks(path, gz, stream)) {
    n += c.length;
    if (n > MAX_TEXT_BYTES) throw new TextTooLargeError(`text dump larger than ${MAX_TEXT_BYTES / 1048576} MiB`);
    parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  return Buffer.concat(parts).toString('utf8');
}

export function parseText(format: AnyTextFormat, text: string, source: string, baseTimeUs: number | undefined): TextIngestResult {
  const res = format.parse(text, { source, baseTimeUs });
  return { records: res.records, diagnostics: res.diagnostics.map((d) => ({ ...d, source: d.source ?? source })) };
}
