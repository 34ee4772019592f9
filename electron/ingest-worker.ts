/**
 * Electron utility process that runs one ingest job (the main process stays free for the window
 * and IPC). Speaks the same JobMessage protocol as `podcap serve`'s worker threads.
 */
import { runIngestJob, type JobSpec } from '../core/host/ingest-jobs.js';

const port = process.parentPort;
const ac = new AbortController();
let started = false;

port.on('message', (e: { data: { type?: string; spec?: JobSpec } }) => {
  const m = e.data;
  if (m?.type === 'cancel') ac.abort();
  else if (m?.type === 'start' && m.spec && !started) {
    started = true;
    void runIngestJob(m.spec, (msg) => port.postMessage(msg), ac.signal).finally(() => process.exit(0));
  }
});
