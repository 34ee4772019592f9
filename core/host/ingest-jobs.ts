/**
 * Ingest jobs for hosts that serve the UI (`podcap serve`, Electron): each job runs off the
 * request thread — in a worker thread (serve) or a utility process (Electron) — with its own
 * connection to the case, reports progress and can be cancelled. The UI polls `ingest.status`.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { IngestJob } from '../api/contract.js';
import { openCase, type CaseDb } from '../db/open-case.js';
import type { IngestResult } from '../ingest/ingest.js';
import { ingestPaths } from '../ingest/ingest.js';
import { uploadShownName } from './uploads.js';
import type { IngestProgress } from '../ingest/progress.js';

/** Messages from a job runner (worker thread, utility process or in-process) to its host. */
export type JobMessage =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; results: IngestResult[] }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

export interface JobSpec {
  casePath: string;
  paths: string[];
}

/** The job itself, wherever it runs: opens its own connection so the host's readers never wait. */
export async function runIngestJob(spec: JobSpec, post: (m: JobMessage) => void, signal: AbortSignal): Promise<void> {
  let db: CaseDb | undefined;
  try {
    db = openCase(spec.casePath);
    const results = await ingestPaths(db, spec.paths, {
      signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
      // The UI polls every 150 ms and promises an update at least twice a second.
      progressEveryMs: 200,
      shownAs: (p) => uploadShownName(spec.casePath, p),
    });
    post({ type: 'done', results });
  } catch (e) {
    if (signal.aborted) post({ type: 'cancelled' });
    else post({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
  } finally {
    db?.close();
  }
}

/** Where a job runs. */
export interface JobRunner {
  start(spec: JobSpec, onMessage: (m: JobMessage) => void): { cancel(): void };
}

/** In the host's own thread (tests, and hosts that are themselves a worker). */
export const inProcessRunner: JobRunner = {
  start(spec, onMessage) {
    const ac = new AbortController();
    void runIngestJob(spec, onMessage, ac.signal);
    return { cancel: () => ac.abort() };
  },
};

/** Worker data that marks a thread as an ingest worker (see runIngestWorkerIfAsked). */
export interface IngestWorkerData { podcapIngestJob: JobSpec }

/**
 * In a worker thread running `entry` (a script that reaches runIngestWorkerIfAsked, e.g.
 * bin/podcap.js → the CLI's serve command), so parsing a 1 GB capture never stalls the HTTP server's event loop.
 */
export function workerThreadRunner(entry: string | URL, argv: string[] = []): JobRunner {
  return {
    start(spec, onMessage) {
      const data: IngestWorkerData = { podcapIngestJob: spec };
      const w = new Worker(entry, { workerData: data, argv });
      let finished = false;
      w.on('message', (m: JobMessage) => {
        if (m.type !== 'progress') finished = true;
        onMessage(m);
      });
      w.on('error', (e) => {
        if (!finished) { finished = true; onMessage({ type: 'failed', error: e.message }); }
      });
      w.on('exit', (code) => {
        if (!finished) { finished = true; onMessage({ type: 'failed', error: `ingest worker exited with code ${code}` }); }
      });
      return {
        cancel: () => {
          w.postMessage({ type: 'cancel' });
          // A worker stuck in a long synchronous step is stopped outright after a grace period.
          setTimeout(() => {
            if (!finished) { finished = true; onMessage({ type: 'cancelled' }); void w.terminate(); }
          }, 3000).unref();
        },
      };
    },
  };
}

/** Runs the job when this thread was started as an ingest worker; returns false otherwise. */
export async function runIngestWorkerIfAsked(): Promise<boolean> {
  const { isMainThread, parentPort, workerData } = await import('node:worker_threads');
  const spec = (workerData as Partial<IngestWorkerData> | null)?.podcapIngestJob;
  if (isMainThread || !parentPort || !spec) return false;
  const ac = new AbortController();
  parentPort.on('message', (m: { type?: string }) => { if (m?.type === 'cancel') ac.abort(); });
  await runIngestJob(spec, (m) => parentPort.postMessage(m), ac.signal);
  parentPort.close();
  return true;
}

interface Entry {
  job: IngestJob;
  paths: string[];
  cancel(): void;
}

/**
 * Jobs of one host, by id. They run one after another (a case has one writer; a second would wait
 * on the first's transaction); a queued job reports `running` with no progress yet. Finished jobs
 * are kept (a few) so a late poll still sees the result.
 */
export class JobManager {
  private readonly jobs = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private active: Entry | null = null;

  constructor(private readonly casePath: string, private readonly runner: JobRunner, private readonly onFinished?: (job: IngestJob) => void) {}

  start(paths: string[]): { jobId: string } {
    const id = randomBytes(9).toString('base64url');
    const entry: Entry = {
      job: { id, state: 'running', progress: null, results: [] },
      paths,
      cancel: () => {
        this.queue.splice(this.queue.indexOf(entry), 1);
        this.finish(entry, { type: 'cancelled' });
      },
    };
    this.jobs.set(id, entry);
    this.queue.push(entry);
    this.prune();
    this.next();
    return { jobId: id };
  }

  private next(): void {
    if (this.active) return;
    const entry = this.queue.shift();
    if (!entry) return;
    this.active = entry;
    const handle = this.runner.start({ casePath: this.casePath, paths: entry.paths }, (m) => {
      if (m.type === 'progress') entry.job.progress = m.progress;
      else this.finish(entry, m);
    });
    entry.cancel = handle.cancel;
  }

  private finish(entry: Entry, m: Exclude<JobMessage, { type: 'progress' }>): void {
    const job = entry.job;
    if (job.state !== 'running') return;
    if (m.type === 'done') { job.state = 'done'; job.results = m.results; }
    else if (m.type === 'cancelled') job.state = 'cancelled';
    else { job.state = 'failed'; job.error = m.error; }
    this.onFinished?.(job);
    if (this.active === entry) {
      this.active = null;
      this.next();
    }
  }

  status(jobId: string): IngestJob | undefined {
    const j = this.jobs.get(jobId)?.job;
    return j && structuredClone(j);
  }

  cancel(jobId: string): boolean {
    const j = this.jobs.get(jobId);
    if (!j || j.job.state !== 'running') return false;
    j.cancel();
    return true;
  }

  running(): number {
    return [...this.jobs.values()].filter((j) => j.job.state === 'running').length;
  }

  private prune(): void {
    const done = [...this.jobs.entries()].filter(([, j]) => j.job.state !== 'running');
    for (const [id] of done.slice(0, Math.max(0, done.length - 20))) this.jobs.delete(id);
  }
}
