// Entry of a capture worker thread (bundled as dist/capture-worker.js beside the CLI): see capture-worker.ts.
import { runCaptureWorkerIfAsked } from './capture-worker.js';

await runCaptureWorkerIfAsked();
