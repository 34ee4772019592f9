/**
 * The Drops view end to end: a case made from the real Hubble dumps with drops
 * (fixtures/node-tools/hubble), plus one hostile Hubble flow (a pod named like markup and a drop
 * reason carrying script), served by `podcap serve` and opened in Debian's Chromium. The chart's
 * bars must be the CLI's drops summed per source, split by why; hostile strings stay text.
 * Screenshot: test-results/screenshots/drops.png.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE } from './hostile-inputs.js';

const ROOT = join(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env.PODCAP_CHROMIUM ?? '/usr/bin/chromium';
const HUBBLE = join(ROOT, 'fixtures/node-tools/hubble');
const DUMPS = ['hubble_observe_--pod_deathstar_--verdict_DROPPED.txt', 'hubble_exporter_events.log', 'hubble_observe_-o_json_k3d_policy_denied.json', 'hubble_observe_table_dns_policy_denied.txt'];

let dir: string;
let casePath: string;
let server: ChildProcess;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

function cli<T>(...args: string[]): T[] {
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/podcap.js'), ...args, '--case', casePath, '--json'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set PODCAP_CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'podcap-drops-e2e-'));
  const bundle = join(dir, 'node-dumps');
  mkdirSync(bundle);
  for (const f of DUMPS) copyFileSync(join(HUBBLE, f), join(bundle, f));
  // A real exporter flow's shape with the strings an attacker controls (pod name, namespace, reason text) made hostile.
  writeFileSync(join(bundle, 'hostile.json'), `${JSON.stringify({ flow: {
    time: '2023-08-21T12:12:19.000000000Z', verdict: 'DROPPED', drop_reason_desc: `POLICY_DENIED<script>alert(2)</script>`, Type: 'L3_L4', node_name: 'kind-worker',
    IP: { source: '10.244.1.66', destination: '10.244.1.5' }, l4: { TCP: { source_port: 40000, destination_port: 80, flags: { SYN: true } } },
    source: { namespace: 'evil', pod_name: HOSTILE, identity: 7 }, destination: { namespace: 'default', pod_name: 'deathstar-b4b8ccfb5-f75xw', identity: 6822 },
  } })}\n`);
  casePath = join(dir, 'drops.db');
  execFileSync(process.execPath, [join(ROOT, 'bin/podcap.js'), 'ingest', bundle, '--case', casePath], { stdio: 'ignore' });
  server = spawn(process.execPath, [join(ROOT, 'bin/podcap.js'), 'serve', '--case', casePath, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((ok, fail) => {
    const t = setTimeout(() => fail(new Error('podcap serve printed no URL')), 30_000);
    server.stdout!.on('data', (c: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(c.toString());
      if (m) { clearTimeout(t); ok(m[0]); }
    });
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Drops view', () => {
  it('draws drops per source, split by why, with the CLI\'s numbers; hostile names stay text', async () => {
    await page.getByTestId('tab-drops').click();
    const view = page.getByTestId('view-drops');
    await view.waitFor();
    const chart = view.getByTestId('drops-chart');
    await chart.locator('svg g[data-key]').first().waitFor({ timeout: 15_000 });

    const drops = cli<{ src: string; count: number; category: string }>('drops');
    const perSource = new Map<string, number>();
    for (const d of drops) perSource.set(d.src, (perSource.get(d.src) ?? 0) + d.count);
    const bars = await chart.locator('svg g[data-key]').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-key'), g.querySelector('.bar-total')?.textContent]));
    expect(new Map(bars.map(([k, n]) => [k, Number(n)]))).toEqual(perSource);
    // Most dropped first; a legend entry per category present (policy and invalid here).
    expect(bars[0][0]).toBe('default/xwing');
    const legend = await chart.locator('svg').textContent();
    expect(legend).toContain('policy');
    expect(legend).toContain('invalid');

    // The hostile pod is a bar label and a table cell, as text; nothing of it ran.
    expect(perSource.has(`evil/${HOSTILE}`)).toBe(true);
    await expect.poll(() => view.getByText(HOSTILE, { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('svg img, svg foreignObject, script:not([src])').count()).toBe(0);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, 'drops.png'), fullPage: true });
    // The smaller window the other views are checked at: the chart follows its width.
    const wide = Number(await chart.locator('svg').getAttribute('width'));
    await page.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(async () => Number(await chart.locator('svg').getAttribute('width'))).toBeLessThan(Math.min(wide, 1024));
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SHOTS, 'drops-1024.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
