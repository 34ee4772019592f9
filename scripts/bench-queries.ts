/**
 * `npm run bench -- --queries`: every api query the CLI and the UI use, timed on a case of one
 * million flows (p50/p95 of repeated calls, printed as a table), written by synthetic-case.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createQueryHandlers, type QueryChannel } from '../core/api/handlers.js';
import type { ApiRequest } from '../core/api/contract.js';
import { openCase, type CaseDb } from '../core/db/open-case.js';
import { buildSyntheticCase, NODE_IPS, podIp, T0_US } from './synthetic-case.js';
import { EXACT_MAX_FLOWS } from '../core/analysis/rollups/window-plan.js';

type Call = { [C in QueryChannel]: [C, ApiRequest<C>] }[QueryChannel];

function calls(db: CaseDb): [string, Call][] {
  const win = { fromUs: T0_US + 10 * 60e6, toUs: T0_US + 20 * 60e6 };
  const top = db.prepare(`SELECT resp_ip AS ip, resp_port AS port FROM flows WHERE orig_ip = ? GROUP BY resp_ip, resp_port ORDER BY count(*) DESC LIMIT 1`).get(NODE_IPS[0]) as { ip: string; port: number };
  return [
    ['case.info', ['case.info', {}]],
    ['sources.list', ['sources.list', {}]],
    ['flows.list (first page, by start)', ['flows.list', { limit: 200 }]],
    ['flows.list (page 2,000, by start)', ['flows.list', { offset: 400_000, limit: 200 }]],
    ['flows.list sorted by resp_bytes desc', ['flows.list', { sort: { column: 'resp_bytes', desc: true }, limit: 200 }]],
    ['flows.list sorted by duration desc', ['flows.list', { sort: { column: 'duration', desc: true }, limit: 200 }]],
    ['flows.list sorted by orig_port', ['flows.list', { sort: { column: 'orig_port' }, limit: 200 }]],
    ['flows.list filter state == REJ', ['flows.list', { filter: 'state == REJ', limit: 200 }]],
    ['flows.list filter ip.addr && rst', ['flows.list', { filter: `ip.addr == ${podIp(0)} && tcp.flags.reset == 1`, limit: 200 }]],
    ['flows.list 10-min window', ['flows.list', { ...win, limit: 200 }]],
    ['rst.list (first 1,000)', ['rst.list', { limit: 1000 }]],
    ['rst.summary', ['rst.summary', {}]],
    ['rst.summary 10-min window', ['rst.summary', { ...win, bucketSeconds: 10 }]],
    ['fanout.list', ['fanout.list', {}]],
    ['fanout.list 10-min window', ['fanout.list', win]],
    ['ports.list', ['ports.list', {}]],
    ['ports.list 10-min window', ['ports.list', win]],
    ['ports.heatmap (busiest destination)', ['ports.heatmap', { dstIp: top.ip, dstPort: top.port }]],
    ['conntrack.timeline', ['conntrack.timeline', {}]],
    ['correlate.list', ['correlate.list', {}]],
    ['findings.list', ['findings.list', {}]],
    ['findings.list 10-min window', ['findings.list', win]],
    ['compare.run (two windows)', ['compare.run', { windows: { before: win, after: { fromUs: T0_US + 30 * 60e6, toUs: T0_US + 40 * 60e6 } } }]],
  ];
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function caseAt(dir: string, flows: number): Promise<{ path: string; built: number }> {
  const path = join(dir, `queries-${flows}.case.db`);
  let built = 0;
  if (!existsSync(path)) {
    const t0 = performance.now();
    process.stderr.write(`writing ${flows.toLocaleString('en-US')} synthetic flows into ${path}…\n`);
    await buildSyntheticCase(path, flows);
    built = (performance.now() - t0) / 1000;
  }
  return { path, built };
}

async function timeCalls(path: string, list: [string, Call][], runs: number, rows: string[][]): Promise<void> {
  const db = openCase(path, { readonly: true });
  const h = createQueryHandlers(db, path);
  for (const [label, [channel, req]] of list) {
    const fn = h[channel] as (r: unknown) => unknown;
    let size = 0;
    const times: number[] = [];
    process.stderr.write(`  ${label}…\n`);
    for (let r = 0; r < runs + 1; r++) {
      const t0 = performance.now();
      const out = await fn(req);
      const dt = performance.now() - t0;
      if (r > 0) times.push(dt); // the first call warms SQLite's page cache and prepares statements
      size = Array.isArray(out) ? out.length : (out as { rows?: unknown[] }).rows?.length ?? 1;
    }
    const p95 = pct(times, 95);
    rows.push([label, pct(times, 50).toFixed(1), p95.toFixed(1), String(size), p95 < 100 ? 'ok' : 'OVER 100 ms']);
    process.stderr.write(`  ${label}: p95 ${p95.toFixed(1)} ms\n`);
  }
  db.close();
}

export async function benchQueries(dir: string, flows: number, runs: number, match?: RegExp): Promise<string> {
  const { path, built } = await caseAt(dir, flows);
  const db = openCase(path, { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n;
  const rsts = (db.prepare('SELECT count(*) AS n FROM rst_events').get() as { n: number }).n;
  const list = calls(db).filter(([l]) => !match || match.test(l));
  db.close();
  const rows: string[][] = [];
  await timeCalls(path, list, runs, rows);
  // The other path: a case at the most flows still answered exactly (no rollups), windows over all of it.
  const small = await caseAt(dir, EXACT_MAX_FLOWS);
  const whole = { fromUs: T0_US, toUs: T0_US + 15 * 60e6 };
  const rest = { fromUs: T0_US + 15 * 60e6, toUs: T0_US + 60 * 60e6 };
  const exact: [string, Call][] = ([
    ['fanout.list window', ['fanout.list', whole]],
    ['ports.list window', ['ports.list', whole]],
    ['findings.list window', ['findings.list', whole]],
    ['compare.run (two windows)', ['compare.run', { windows: { before: whole, after: rest } }]],
  ] as [string, Call][]).map(([l, c]) => [`${l}, ${EXACT_MAX_FLOWS.toLocaleString('en-US')}-flow case (exact)`, c] as [string, Call]).filter(([l]) => !match || match.test(l));
  await timeCalls(small.path, exact, runs, rows);
  const header = ['query', 'p50 ms', 'p95 ms', 'rows', '< 100 ms p95'];
  const widths = header.map((x, i) => Math.max(x.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return `\nqueries on ${n.toLocaleString('en-US')} flows, ${rsts.toLocaleString('en-US')} RST events (${runs} runs each${built ? `; case written in ${built.toFixed(1)} s` : ''})\n`
    + fmt(header) + '\n' + widths.map((x) => '-'.repeat(x)).join('  ') + '\n' + rows.map(fmt).join('\n') + '\n';
}
