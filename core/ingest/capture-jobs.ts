/**
 * Parallel ingest: captures are decoded and tracked in worker threads (capture-worker.ts), a few
 * at a time, while the ingest's own thread stays the case's one writer and stores each capture's
 * records in file order when its turn comes. The case ends up exactly as a one-at-a-time ingest
 * leaves it: the same records reach the same writer in the same order.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { PodcapError } from '../errors.js';
import type { TrackSummary } from './capture-ingest.js';
import type { CaptureJob, CaptureWorkerData, CaptureWorkerMessage, SerializedError } from './capture-worker.js';
import { decodeBatch, type SpoolEvent } from './spool-codec.js';
import type { CaptureKind } from './detect.js';

export interface CaptureWorkers {
  /** A script that reaches runCaptureWorkerIfAsked (the CLI bundle's dist/capture-worker.js). */
  entry: string | URL;
  /** Captures decoded at once (one per core). */
  count: number;
  /**
   * Smaller captures stay in the ingest's thread (default 4 MB): starting a worker costs tens of
   * milliseconds, more than decoding them, and a folder of many small files would pay it for each.
   */
  minBytes?: number;
}

export const MIN_WORKER_BYTES = 4_000_000;

/**
 * The bundled worker beside this module (dist/capture-worker.js next to dist/cli.js), one per core,
 * or PODCAP_INGEST_WORKERS of them (1: everything in the ingest's thread). Run from the sources
 * (tests) there is no bundle, and the ingest stays in its thread.
 */
export function defaultCaptureWorkers(): CaptureWorkers | undefined {
  const entry = new URL('./capture-worker.js', import.meta.url);
  if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return undefined;
  const asked = process.env.PODCAP_INGEST_WORKERS;
  const count = asked ? Number(asked) : availableParallelism();
  return Number.isInteger(count) && count > 1 ? { entry, count } : undefined;
}

interface Progress { packets: number; rawBytes: number }

/** One capture being read by a worker; its records are replayed from the spool in order. */
export class RemoteCapture {
  private worker: Worker | null = null;
  private end = 0;
  private done: { summary: TrackSummary; digest: string | null } | null = null;
  private error: Error | null = null;
  private wake: (() => void) | null = null;
  readonly progress: Progress = { packets: 0, rawBytes: 0 };

  constructor(readonly job: CaptureJob, private readonly onFinished: () => void) {}

  get started(): boolean {
    return this.worker !== null;
  }

  get finished(): boolean {
    return this.done !== null || this.error !== null;
  }

  start(entry: string | URL): void {
    const data: CaptureWorkerData = { podcapCaptureJob: this.job };
    const w = new Worker(entry, { workerData: data });
    this.worker = w;
    w.on('message', (m: CaptureWorkerMessage) => {
      if (m.type === 'error') this.fail(revive(m.error));
      else {
        this.end = m.end;
        this.progress.packets = m.packets;
        this.progress.rawBytes = m.rawBytes;
        if (m.type === 'done') {
          this.done = { summary: m.summary, digest: m.digest };
          this.onFinished();
        }
      }
      this.notify();
    });
    w.on('error', (e) => { this.fail(e); this.notify(); });
    w.on('exit', (code) => {
      if (!this.finished) this.fail(new Error(`capture worker for ${this.job.path} exited with code ${code}`));
      this.notify();
    });
  }

  private fail(e: Error): void {
    if (this.finished) return;
    this.error = e;
    this.onFinished();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private waitForNews(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }

  /**
   * The capture's records in the tracker's order, batch by batch as the worker spools them, their
   * sightings stamped with `sourceId`; then its summary (and sha256 if the job took it). Throws what the worker threw.
   */
  async *batches(sourceId: number, signal?: AbortSignal): AsyncGenerator<SpoolEvent[], { summary: TrackSummary; digest: string | null }> {
    let fd = -1;
    let pos = 0;
    const head = Buffer.alloc(4);
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (pos < this.end) {
          if (fd < 0) fd = openSync(this.job.spool, 'r');
          readExactly(fd, head, pos);
          const len = head.readUInt32LE(0);
          const body = Buffer.allocUnsafe(len);
          readExactly(fd, body, pos + 4);
          pos += 4 + len;
          yield decodeBatch(deserialize(body) as unknown[], sourceId);
          continue;
        }
        if (this.error) throw this.error;
        if (this.done && pos >= this.end) return this.done;
        await this.waitForNews();
      }
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }

  /** Its worker and spool go (once stored, or given up); close() does it for those never taken. */
  stop(): void {
    void this.worker?.terminate();
    rmSync(this.job.spool, { force: true });
  }
}

function readExactly(fd: number, buf: Buffer, at: number): void {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, at + got);
    if (n === 0) throw new Error('capture spool ended early');
    got += n;
  }
}

function revive(e: SerializedError): Error {
  if (e.name === 'PodcapError' && e.code) return new PodcapError(e.code, e.message, e.format, e.offset);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * The captures of one ingest, started in file order, `count` running at once; the ingest takes
 * each one when it reaches that file. Spools live in a private folder removed by close().
 */
export class CaptureJobs {
  private readonly jobs = new Map<string, RemoteCapture>();
  private readonly order: RemoteCapture[] = [];
  private readonly spoolDir: string;
  private running = 0;
  private next = 0;
  private closed = false;

  constructor(private readonly workers: CaptureWorkers, spoolParent: string) {
    this.spoolDir = mkdtempSync(join(spoolParent, 'podcap-spool-'));
  }

  /** Call for every capture before pump(): whether workers hash depends on how many there are. */
  add(fsPath: string, kind: CaptureKind, gzip: boolean): void {
    if (this.jobs.has(fsPath)) return;
    const job: CaptureJob = { path: fsPath, kind, gzip, spool: join(this.spoolDir, `${this.order.length}.spool`), hash: false };
    const r = new RemoteCapture(job, () => {
      this.running--;
      this.pump();
    });
    this.jobs.set(fsPath, r);
    this.order.push(r);
  }

  /** Starts workers up to the count; call once every capture is added. */
  pump(): void {
    if (this.order.length > 1) for (const r of this.order) if (!r.started) r.job.hash = true;
    while (!this.closed && this.running < this.workers.count && this.next < this.order.length) {
      const r = this.order[this.next++];
      if (r.started) continue;
      this.running++;
      r.start(this.workers.entry);
    }
  }

  /** The capture read ahead for this file, if it was one (its kind as the worker was told). */
  take(fsPath: string, kind: CaptureKind, gzip: boolean): RemoteCapture | undefined {
    const r = this.jobs.get(fsPath);
    if (!r || r.job.kind !== kind || r.job.gzip !== gzip) return undefined;
    this.jobs.delete(fsPath);
    if (!r.started) {
      // Its turn came before a worker was free: start it now, ahead of the queue.
      this.running++;
      r.start(this.workers.entry);
    }
    return r;
  }

  close(): void {
    this.closed = true;
    for (const r of this.order) r.stop();
    rmSync(this.spoolDir, { recursive: true, force: true });
  }
}
