/**
 * One ingest at a time per case, across processes: `<case>.ingest-lock` holds the writer's pid.
 * SQLite's own lock cannot queue ingests: a capture holds its write transaction for as long as it
 * takes to read (minutes for a large one), far past any busy timeout, and a waiting
 * better-sqlite3 call would block the event loop (no progress, no Ctrl-C). So a second ingest
 * waits here, asynchronously, and starts when the first is done.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 200;

export interface IngestLock {
  release(): void;
}

export function lockPathFor(casePath: string): string | undefined {
  return casePath === '' || casePath === ':memory:' ? undefined : `${casePath}.ingest-lock`;
}

/**
 * Waits until no other live ingest holds the case, then holds it. `onWait` is called once, with the
 * holder's pid, when it has to wait. A lock left by a killed process (its pid gone) is taken over.
 */
export async function acquireIngestLock(casePath: string, opts: { signal?: AbortSignal; onWait?: (holderPid: number) => void } = {}): Promise<IngestLock> {
  const path = lockPathFor(casePath);
  if (!path) return { release: () => {} };
  let told = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const fd = openSync(path, 'wx', 0o600);
      try { writeSync(fd, String(process.pid)); } finally { closeSync(fd); }
      let held = true;
      return {
        release: () => {
          if (!held) return;
          held = false;
          try { unlinkSync(path); } catch { /* already gone */ }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(path);
    if (holder !== undefined && !alive(holder)) {
      // Killed mid-ingest (its transaction was rolled back by SQLite): nobody holds the case.
      // Another waiter may have taken over already; only a lock still naming the dead pid goes.
      if (readHolder(path) === holder) try { unlinkSync(path); } catch { /* taken over */ }
      continue;
    }
    if (!told && holder !== undefined) {
      told = true;
      opts.onWait?.(holder);
    }
    await sleep(POLL_MS, undefined, { signal: opts.signal });
  }
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
