import { HostError } from '../../core/api/api-error.js';
import type { ApiChannel, IngestJob } from '../../core/api/contract.js';
import { createQueryHandlers, type QueryChannel, type QueryHandlers } from '../../core/api/handlers.js';
import { JobManager, type JobRunner } from '../../core/host/ingest-jobs.js';
import { ensureAnswers } from '../../core/ingest/index-phase.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';

/**
 * The case the window shows: its connection, query handlers and ingest jobs. Opening another case
 * closes this one; running jobs of the old case finish in their own processes.
 */
export class CaseSession {
  private current: { path: string; db: CaseDb; handlers: QueryHandlers; jobs: JobManager } | null = null;

  constructor(private readonly runner: JobRunner, private readonly onJobFinished: (job: IngestJob) => void) {}

  get path(): string | null {
    return this.current?.path ?? null;
  }

  open(path: string): void {
    const db = openCase(path, { mmap: true });
    ensureAnswers(db);
    this.close();
    this.current = { path, db, handlers: createQueryHandlers(db, path), jobs: new JobManager(path, this.runner, this.onJobFinished) };
  }

  close(): void {
    this.current?.db.close();
    this.current = null;
  }

  startIngest(paths: string[]): { jobId: string } {
    return this.need().jobs.start(paths);
  }

  /** Answers a validated api call for the open case. */
  dispatch(channel: ApiChannel, req: unknown): unknown {
    const c = this.need();
    if (channel === 'ingest.start') return c.jobs.start((req as { paths: string[] }).paths);
    if (channel === 'ingest.status') {
      const job = c.jobs.status((req as { jobId: string }).jobId);
      if (!job) throw new HostError(404, 'NOT_FOUND', 'no such ingest job');
      return job;
    }
    if (channel === 'ingest.cancel') return { ok: c.jobs.cancel((req as { jobId: string }).jobId) };
    return (c.handlers[channel as QueryChannel] as (r: unknown) => unknown)(req);
  }

  private need() {
    if (!this.current) throw new HostError(409, 'NO_CASE', 'no case is open: open files, a bundle or a case from the File menu, or drop files on the window');
    return this.current;
  }
}
