/**
 * How much a case will grow, estimated before any work starts, so a user is told up front when an
 * ingest will not fit (a 200 MB conntrack dump makes a ~680 MB case; SQLite would otherwise fail
 * with "database or disk is full" after minutes of work). Measured ratios, on purpose on the high side:
 * text dumps store each record as JSON plus a column projection (200 MB conntrack -E -> 676 MB);
 * captures store flows, not packets (300 MB of short TCP connections -> 67 MB; long flows far less).
 */
import { open, stat } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { isGzip } from './chunks.js';
import { detectCapture, looksLikeText } from './detect.js';
import type { InputFile } from './walk.js';

export const CASE_BYTES_PER_TEXT_BYTE = 3.5;
export const CASE_BYTES_PER_CAPTURE_BYTE = 0.25;

export interface CaseEstimate {
  /** Bytes the case file is expected to grow by. */
  bytes: number;
  /** Content bytes read (gzip: the size its trailer records). */
  inputBytes: number;
  files: number;
}

export async function estimateCaseGrowth(files: InputFile[]): Promise<CaseEstimate> {
  const est: CaseEstimate = { bytes: 0, inputBytes: 0, files: files.length };
  for (const f of files) {
    try {
      const { head, size } = await headAndSize(f.fsPath);
      if (detectCapture(head)) est.bytes += size * CASE_BYTES_PER_CAPTURE_BYTE;
      else if (looksLikeText(head)) est.bytes += size * CASE_BYTES_PER_TEXT_BYTE;
      est.inputBytes += size;
    } catch { /* unreadable: reported when it is ingested */ }
  }
  est.bytes = Math.round(est.bytes);
  return est;
}

/** The first bytes of the content and its size; a gzip's from its trailer (ISIZE, size mod 4 GiB) and its first bytes inflated. */
async function headAndSize(path: string): Promise<{ head: Uint8Array; size: number }> {
  const fh = await open(path, 'r');
  try {
    const size = (await stat(path)).size;
    const buf = Buffer.alloc(Math.min(size, 4096));
    await fh.read(buf, 0, buf.length, 0);
    if (!isGzip(buf) || size < 18) return { head: buf, size };
    const tail = Buffer.alloc(4);
    await fh.read(tail, 0, 4, size - 4);
    const isize = tail.readUInt32LE(0);
    let head: Uint8Array = new Uint8Array(0);
    try {
      head = gunzipSync(buf, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 4096);
    } catch { /* damaged: reported when read */ }
    // ISIZE wraps at 4 GiB; a gzip never shrinks content below ~1/1032 of it.
    return { head, size: Math.max(isize, size) };
  } finally {
    await fh.close();
  }
}
