import type { IngestProgress } from '../ingest/progress.js';

/** A one-line progress bar on stderr (only when stderr is a terminal). */
export function progressBar(): { update(p: IngestProgress): void; done(): void } {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let fileStart = Date.now();
  let lastPath = '';
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      if (p.path !== lastPath) { lastPath = p.path; fileStart = Date.now(); }
      const secs = Math.max(0.001, (Date.now() - fileStart) / 1000);
      const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
      const width = 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      const rate = p.records / secs;
      const mbps = p.bytesRead / 1e6 / secs;
      const eta = frac > 0 && frac < 1 ? ((1 - frac) * secs) / frac : 0;
      const name = p.path.length > 40 ? '…' + p.path.slice(-39) : p.path;
      const line = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${(p.bytesRead / 1e6).toFixed(0)}/${(p.bytesTotal / 1e6).toFixed(0)} MB ${mbps.toFixed(0)} MB/s ${Math.round(rate)} pkt/s ETA ${eta.toFixed(0)}s (${p.filesDone + 1}/${p.filesTotal}) ${name}`;
      process.stderr.write('\r\x1b[K' + line.replace(/[\u0000-\u001f]/g, '?'));
      shown = true;
    },
    done() {
      if (tty && shown) process.stderr.write(`\r\x1b[Kdone in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
