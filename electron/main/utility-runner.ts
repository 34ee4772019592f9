import { utilityProcess } from 'electron';
import type { JobMessage, JobRunner } from '../../core/host/ingest-jobs.js';

/** Runs each ingest job in its own Electron utility process (see electron/ingest-worker.ts). */
export function utilityProcessRunner(workerPath: string): JobRunner {
  return {
    start(spec, onMessage) {
      const child = utilityProcess.fork(workerPath, [], { serviceName: 'podcap ingest', stdio: 'inherit' });
      let finished = false;
      const finish = (m: JobMessage) => {
        if (finished) return;
        finished = true;
        onMessage(m);
      };
      child.on('message', (m: JobMessage) => (m.type === 'progress' ? onMessage(m) : finish(m)));
      child.on('exit', (code) => finish({ type: 'failed', error: `ingest process exited with code ${code}` }));
      child.postMessage({ type: 'start', spec });
      return {
        cancel: () => {
          child.postMessage({ type: 'cancel' });
          setTimeout(() => {
            if (!finished) { finish({ type: 'cancelled' }); child.kill(); }
          }, 3000).unref();
        },
      };
    },
  };
}
