import { createHash, type Hash } from 'node:crypto';
import type { ChunkHasher } from './hasher.js';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

// 1 MiB: a capture holds a ring of three plus two joins of a chunk each, in every thread that reads
// one (a parallel ingest of a two-node bundle reads in three); at 4 MiB those were ~70 MB of its
// 310 MB peak, and reads this size already cost nothing next to decoding.
export const CHUNK_SIZE = 1024 * 1024;
const MIN_CHUNK = 64 * 1024;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface ChunkStreamOptions {
  signal?: AbortSignal;
  /** Called with the count of raw (on-disk) bytes read so far. */
  onRawBytes?: (n: number) => void;
  /**
   * Reuse a small ring of chunk buffers instead of allocating one per read. Only for consumers
   * that are done with a chunk before the one after the next arrives (capture readers are: a
   * frame lives until the next push). Keeps the capture path's memory flat.
   */
  reuseBuffers?: boolean;
  /** Hash of the raw bytes, updated as they are read. */
  hash?: ChunkHasher;
}

/** Reads a file's first bytes (to sniff its kind) without reading the rest. */
export async function readHead(path: string, n = 65536): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function* rawChunks(path: string, o: ChunkStreamOptions): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    let total = 0;
    // Read ahead one chunk so the disk read overlaps with parsing the previous chunk.
    // Readers keep views into the previous chunk until the next push: a fresh buffer per chunk,
    // or a ring of three (one being parsed, one being read ahead, one the reader may still point into).
    // A small file gets a small buffer: an archive of 100,000 tiny members allocated 8 MiB for
    // each (two reads of CHUNK_SIZE) and spent most of its time collecting garbage.
    const size = Math.min(CHUNK_SIZE, Math.max(MIN_CHUNK, (await fh.stat()).size + 1));
    const ring = o.reuseBuffers ? [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)] : null;
    let turn = 0;
    const readNext = () => {
      const buf = ring ? ring[turn++ % ring.length] : Buffer.allocUnsafe(size);
      return fh.read(buf, 0, size, null).then((r) => buf.subarray(0, r.bytesRead));
    };
    let pending = readNext();
    for (;;) {
      o.signal?.throwIfAborted();
      const chunk = await pending;
      if (chunk.length === 0) return;
      pending = readNext();
      o.hash?.update(chunk);
      total += chunk.length;
      o.onRawBytes?.(total);
      yield chunk;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The file's content as chunks, gunzipped when it is gzip. A corrupt or cut gzip stream ends the
 * iteration with a GzipError after everything decompressed so far has been yielded.
 */
export async function* contentChunks(path: string, gz: boolean, o: ChunkStreamOptions = {}): AsyncGenerator<Uint8Array> {
  if (!gz) {
    yield* rawChunks(path, o);
    return;
  }
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  const feed = (async () => {
    try {
      // zlib keeps written chunks queued: they must not be reused buffers.
      for await (const c of rawChunks(path, { ...o, reuseBuffers: false })) {
        // The consumer may stop early (sniffing reads only the first chunk): its for-await then
        // destroys the stream, and a 'drain' will never come, so waiting must also end on 'close'.
        if (gunzip.destroyed) return;
        if (!gunzip.write(c)) await drainedOrClosed(gunzip);
      }
      if (!gunzip.destroyed) gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  })();
  try {
    for await (const c of gunzip) yield c as Buffer;
  } catch (e) {
    throw new GzipError((e as Error).message);
  } finally {
    if (!gunzip.destroyed) gunzip.destroy();
    await feed;
  }
}

function drainedOrClosed(s: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      s.off('drain', done);
      s.off('close', done);
      resolve();
    };
    s.once('drain', done);
    s.once('close', done);
  });
}

export class GzipError extends Error {}

export function sha256(): Hash {
  return createHash('sha256');
}
export type { Hash };
