/**
 * `npm run bench -- --only ui`: the browser UI while a large capture is ingested through it.
 * Debian's Chromium (playwright-core) opens `podcap serve` on an empty case, the capture is added
 * through the file input, and the page itself records (1) every change of the progress line,
 * (2) how late its own 50 ms timer fires (main-thread stalls: what a user feels as a frozen UI),
 * and (3) when the first chart is drawn after the job reports done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface PageMarks {
  progress: number[];
  lagMax: number;
  lagP99: number;
  done: number | null;
  chart: number | null;
}

function serve(casePath: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['bin/podcap.js', 'serve', '--case', casePath, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('podcap serve printed no URL')), 20_000);
    proc.stdout!.on('data', (c: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(c.toString());
      if (m) { clearTimeout(t); ok({ url: m[0], proc }); }
    });
  });
}

export async function benchUi(capture: string, chromiumPath = '/usr/bin/chromium'): Promise<string> {
  if (!existsSync(chromiumPath)) return `\nui: skipped (${chromiumPath} missing: apt-get install chromium)\n`;
  if (!existsSync('out/renderer/index.html')) return '\nui: skipped (the UI is not built: npm run build:renderer)\n';
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'podcap-bench-ui-'));
  const { url, proc } = await serve(join(dir, 'ui.case.db'));
  const ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = ctx.pages()[0] ?? await ctx.newPage();
    await page.goto(url);
    await page.getByTestId('welcome').waitFor();
    // Page-side code as text: this script is type-checked for Node, without the DOM's types.
    await page.evaluate(`(() => {
      const w = window;
      w.__marks = { progress: [], done: null, chart: null };
      w.__lags = [];
      let last = performance.now();
      setInterval(() => { const now = performance.now(); w.__lags.push(now - last - 50); last = now; }, 50);
      let lastText = '';
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid="ingest-progress"]');
        const text = p ? p.textContent : '';
        if (p && text !== lastText && /records/.test(text)) { lastText = text; w.__marks.progress.push(performance.now()); }
        if (w.__marks.done === null && document.querySelector('[data-testid="ingest-result"][data-state="done"]')) w.__marks.done = performance.now();
        if (w.__marks.done !== null && w.__marks.chart === null && document.querySelector('figure.chart svg rect, figure.chart svg path, figure.chart svg circle')) {
          w.__marks.chart = performance.now();
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const t0 = Date.now();
    await page.getByTestId('ingest-input').setInputFiles([capture]);
    await page.locator('[data-testid="ingest-result"][data-state="done"]').waitFor({ timeout: 30 * 60_000 });
    await page.waitForFunction('window.__marks.chart !== null', undefined, { timeout: 30_000 });
    const wall = (Date.now() - t0) / 1000;
    const m = await page.evaluate(`(() => {
      const lags = window.__lags.slice().sort((a, b) => a - b);
      return { ...window.__marks, lagMax: lags[lags.length - 1] || 0, lagP99: lags[Math.floor(lags.length * 0.99)] || 0 };
    })()`) as PageMarks;
    const gaps = m.progress.slice(1).map((t, i) => t - m.progress[i]);
    const span = m.progress.length > 1 ? (m.progress[m.progress.length - 1] - m.progress[0]) / 1000 : 0;
    const sortedGaps = gaps.slice().sort((a, b) => a - b);
    const rows: [string, string][] = [
      ['upload + ingest, wall', `${wall.toFixed(1)} s`],
      ['progress updates shown', `${m.progress.length} over ${span.toFixed(1)} s (${span ? (m.progress.length / span).toFixed(1) : '-'} per s)`],
      ['gap between progress updates', `median ${(sortedGaps[Math.floor(sortedGaps.length / 2)] ?? 0).toFixed(0)} ms, max ${(sortedGaps[sortedGaps.length - 1] ?? 0).toFixed(0)} ms`],
      ['main-thread stall (50 ms timer lateness)', `p99 ${m.lagP99.toFixed(0)} ms, max ${m.lagMax.toFixed(0)} ms`],
      ['first chart after "done"', `${m.done !== null && m.chart !== null ? (m.chart - m.done).toFixed(0) : '?'} ms`],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    return `\nUI (Chromium against podcap serve) ingesting ${capture}\n` + rows.map(([k, v]) => `${k.padEnd(w0)}  ${v}`).join('\n') + '\n';
  } finally {
    await ctx.close();
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
