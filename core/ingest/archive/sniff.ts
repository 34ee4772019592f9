import { constants, gunzipSync } from 'node:zlib';
import { Header } from 'tar';
import { isGzip, readHead } from '../chunks.js';

export type ArchiveKind = 'tar' | 'tar.gz' | 'zip';

const HEAD_BYTES = 8192;

/**
 * Archives are recognised by content: a zip's first local header (or the end record of an empty
 * zip), a tar header (ustar magic, or an old v7 header whose checksum holds), possibly gzipped.
 * A gzip of anything else is not an archive: the file readers gunzip it themselves.
 */
export function sniffArchive(head: Uint8Array): ArchiveKind | undefined {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip';
  if (isGzip(head)) return looksLikeTar(gunzipPrefix(head)) ? 'tar.gz' : undefined;
  return looksLikeTar(head) ? 'tar' : undefined;
}

export async function detectArchive(path: string): Promise<ArchiveKind | undefined> {
  return sniffArchive(await readHead(path, HEAD_BYTES));
}

function looksLikeTar(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  // "ustar\0" (POSIX) or "ustar  " (GNU) at offset 257.
  if (b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72) return true;
  try {
    const h = new Header(Buffer.from(b.buffer, b.byteOffset, 512));
    return h.cksumValid && !h.nullBlock && !!h.path;
  } catch {
    return false;
  }
}

/**
 * The first bytes of a gzip stream's content. Growing slices of the (possibly cut) input are
 * inflated so a bomb's head expands to at most ~1000 times the slice, never to its full size.
 */
function gunzipPrefix(head: Uint8Array): Uint8Array {
  for (let n = 512; ; n *= 2) {
    const slice = head.subarray(0, Math.min(n, head.length));
    let out: Uint8Array = new Uint8Array(0);
    try {
      out = gunzipSync(slice, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      /* damaged gzip: not an archive we can open */
    }
    if (out.length >= 512 || slice.length === head.length) return out;
  }
}
