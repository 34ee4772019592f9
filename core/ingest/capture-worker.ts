/**
 * One capture's decode and tracking in a worker thread (parallel ingest): the connections and
 * RSTs go to a spool file in the tracker's order, in length-prefixed v8-serialized batches
 * (flat arrays, spool-codec.ts), and
 * the writer's thread replays them into the case when that capture's turn comes. A spool rather
 * than messages: a capture whose turn is still far off would otherwise pile its records up in the
 * writer's heap; on disk they cost ~300 bytes a connection and no memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { serialize } from 'node:v8';
import { trackCapture, type TrackSummary } from './capture-ingest.js';
import type { CaptureKind } from './detect.js';
import { hasherFor } from './hasher.js';
import { encodeConn, encodeRst } from './spool-codec.js';

export interface CaptureJob {
  path: string;
  kind: CaptureKind;
  gzip: boolean;
  spool: string;
  /**
   * Take the sha256 here, in the reading pass. With one capture the writer's thread hashes instead
   * (it mostly waits for this worker); with several it is the busy one, and hashing there meant
   * reading every file twice.
   */
  hash: boolean;
}

/** Worker data that marks a thread as a capture worker (see runCaptureWorkerIfAsked). */
export interface CaptureWorkerData { podcapCaptureJob: CaptureJob }

export interface SerializedError { name: string; message: string; code?: string; format?: string; offset?: number }

export type CaptureWorkerMessage =
  | { type: 'data'; end: number; packets: number; rawBytes: number }
  | { type: 'done'; end: number; packets: number; rawBytes: number; summary: TrackSummary; digest: string | null }
  | { type: 'error'; error: SerializedError };

/** Records per spooled batch: big enough that serializing is cheap, small enough to keep the heap flat. */
const BATCH = 1024;
/** About that many records' values (spool-codec.ts: ~35 per connection). */
const BATCH_VALUES = BATCH * 36;

export async function runCaptureJob(job: CaptureJob, post: (m: CaptureWorkerMessage) => void): Promise<void> {
  const fd = openSync(job.spool, 'w');
  const head = Buffer.alloc(4);
  let end = 0;
  let packets = 0;
  let rawBytes = 0;
  let batch: unknown[] = [];
  let chunks = 0;
  const flush = (): void => {
    if (batch.length > 0) {
      const bytes = serialize(batch);
      head.writeUInt32LE(bytes.length, 0);
      writeSync(fd, head);
      writeSync(fd, bytes);
      end += 4 + bytes.length;
      batch = [];
    }
    post({ type: 'data', end, packets, rawBytes });
  };
  try {
    const hash = job.hash ? hasherFor(0) : undefined;
    const summary = await trackCapture({
      path: job.path, kind: job.kind, gzip: job.gzip, sourceId: 0,
      stream: { hash, onRawBytes: (n) => { rawBytes = n; } },
      // A chunk's end sends what is pending only once it is worth a message (or every 16 chunks, for
      // progress): flushing each 1 MiB chunk's few records cost a fifth of this thread's time.
      onPackets: (n) => { packets = n; if (batch.length >= BATCH_VALUES / 8 || ++chunks % 16 === 0) flush(); },
    }, {
      conn: (c) => { encodeConn(batch, c); if (batch.length >= BATCH_VALUES) flush(); },
      rst: (e) => { encodeRst(batch, e); },
    });
    flush();
    post({ type: 'done', end, packets, rawBytes, summary, digest: hash ? await hash.digest() : null });
  } catch (e) {
    const err = e as Error & { code?: string; format?: string; offset?: number };
    post({ type: 'error', error: { name: err?.name ?? 'Error', message: err?.message ?? String(e), code: err?.code, format: err?.format, offset: err?.offset } });
  } finally {
    closeSync(fd);
  }
}

/** Runs the job when this thread was started as a capture worker; returns false otherwise. */
export async function runCaptureWorkerIfAsked(): Promise<boolean> {
  const { isMainThread, parentPort, workerData } = await import('node:worker_threads');
  const job = (workerData as Partial<CaptureWorkerData> | null)?.podcapCaptureJob;
  if (isMainThread || !parentPort || !job) return false;
  await runCaptureJob(job, (m) => parentPort.postMessage(m));
  parentPort.close();
  return true;
}
