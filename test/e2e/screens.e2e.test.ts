/**
 * Every view at two window sizes (1440×900, 1024×768) on two cases: the sample lab bundle and a
 * synthetic case of a few thousand flows (scripts/synthetic-case.ts). Screenshots go to
 * test-results/screenshots/screens/ to be looked at; the checks are the readability rules the UI
 * broke before: no table cell splits an address, graph and bar labels never read the same for two
 * different things, and no view throws.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../core/api/views.js';
import { buildSyntheticCase } from '../../scripts/synthetic-case.js';

const ROOT = join(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-results/screenshots/screens');
const CHROMIUM = process.env.PODCAP_CHROMIUM ?? '/usr/bin/chromium';
const SIZES = [[1440, 900], [1024, 768]] as const;

let dir: string;
let browser: Browser;
const servers: ChildProcess[] = [];

function serve(casePath: string): Promise<string> {
  const s = spawn(process.execPath, [join(ROOT, 'bin/podcap.js'), 'serve', '--case', casePath, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  servers.push(s);
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('podcap serve printed no URL')), 30_000);
    s.stdout!.on('data', (c: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(c.toString());
      if (m) { clearTimeout(t); ok(m[0]); }
    });
  });
}

/** Table cells that hold one address or endpoint but are laid out on more than one line. */
// Run in the page; written as source text because the test's own type check has no DOM.
const splitAddresses = (page: Page): Promise<string[]> => page.evaluate(`(() => {
  const ENDPOINT = /^(\d{1,3}(\.\d{1,3}){3}(:\d+)?|\[[0-9a-f:]+\]:\d+)$/i;
  const bad = [];
  for (const td of document.querySelectorAll('td')) {
    const text = td.textContent?.trim() ?? '';
    if (!ENDPOINT.test(text)) continue;
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) bad.push(text);
  }
  return bad;
})()`);

/** Labels of one chart that read the same for different things (their <title> holds the full text). */
const sameLabels = (page: Page): Promise<string[]> => page.evaluate(`(() => {
  const bad = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const shown = new Map();
    for (const t of svg.querySelectorAll('g[data-node] > text, .tick > text')) {
      const full = t.parentElement?.querySelector('title')?.textContent ?? t.querySelector('title')?.textContent ?? t.textContent ?? '';
      const label = (t.childNodes[0]?.textContent ?? '').trim();
      if (!label) continue;
      shown.set(label, (shown.get(label) ?? new Set()).add(full));
    }
    for (const [label, fulls] of shown) if (fulls.size > 1) bad.push(label + ' ← ' + [...fulls].join(' | '));
  }
  return bad;
})()`);

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set PODCAP_CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'podcap-screens-'));
  execFileSync(process.execPath, [join(ROOT, 'bin/podcap.js'), 'ingest', join(ROOT, 'fixtures/lab/bundles/rst-mix.tar.gz'), '--case', join(dir, 'sample.db')], { stdio: 'ignore' });
  await buildSyntheticCase(join(dir, 'busy.db'), 3000);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every view, readable at two sizes', () => {
  for (const name of ['sample', 'busy']) {
    it(`${name} case`, async () => {
      const url = await serve(join(dir, `${name}.db`));
      for (const [w, h] of SIZES) {
        const page = await browser.newPage({ viewport: { width: w, height: h } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(url);
        await page.getByTestId('tab-sources').waitFor();
        for (const v of VIEWS) {
          await page.getByTestId(`tab-${v.id}`).click();
          const view = page.getByTestId(`view-${v.id}`);
          await view.waitFor();
          await expect.poll(async () => view.locator('.loading').count(), { timeout: 20_000 }).toBe(0);
          await page.waitForTimeout(200);
          await page.screenshot({ path: join(SHOTS, `${name}-${v.id}-${w}x${h}.png`) });
          expect(await splitAddresses(page), `${name} ${v.id} ${w}x${h}`).toEqual([]);
          expect(await sameLabels(page), `${name} ${v.id} ${w}x${h}`).toEqual([]);
        }
        expect(errors).toEqual([]);
        await page.close();
      }
    }, 240_000);
  }
});
