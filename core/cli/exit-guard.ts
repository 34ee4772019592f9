/**
 * The CLI's last line of defence: whatever goes wrong inside an ingest, the user gets one line
 * naming the input being read and a non-zero status, never a bare status with nothing printed.
 * Two ways an ingest can end without an answer: a rejection or exception nobody awaited (Node
 * would print a stack trace, or nothing), and a stream that stops without settling the promise
 * main() waits on (the event loop empties and Node exits 13, "unsettled top-level await"; a gzip
 * sniff did that to every gzipped capture over ~1 MiB).
 */
import { isMainThread } from 'node:worker_threads';
import { safeCell } from './output.js';

/** Status when podcap itself failed (EX_SOFTWARE), distinct from 1 (an input could not be read) and 2 (usage). */
export const EXIT_INTERNAL = 70;

let reading: string | undefined;

/** Called as each input (file, archive, member) starts being read. */
export function nowReading(path: string): void {
  reading = path;
}

const where = (): string => (reading !== undefined ? `${safeCell(reading)}: ` : '');

/**
 * Arms the guard for one command; call the returned function once main() has settled. Until
 * then an event loop that runs dry, or an error that escaped every await, ends the process with
 * EXIT_INTERNAL and one line on stderr.
 */
export function guardExit(cmd: string): () => void {
  // serve's ingest worker threads run the launcher too: their failures are reported as job results.
  if (!isMainThread) return () => {};
  let settled = false;
  const die = (why: string): void => {
    process.stderr.write(`podcap ${cmd}: ${where()}${why}\n`);
    process.exitCode = EXIT_INTERNAL;
  };
  const onBeforeExit = (): void => {
    if (settled) return;
    settled = true;
    die('stopped without finishing (an internal stream stalled); the case keeps every input committed before this one');
  };
  const onFatal = (e: unknown): void => {
    const msg = e instanceof Error ? e.message : String(e);
    die(`internal error: ${safeCell(msg.split('\n')[0])}`);
    process.exit(EXIT_INTERNAL);
  };
  process.on('beforeExit', onBeforeExit);
  process.on('unhandledRejection', onFatal);
  process.on('uncaughtException', onFatal);
  return () => {
    settled = true;
    process.off('beforeExit', onBeforeExit);
  };
}
