/**
 * Parallel ingest (captures decoded in worker threads, one writer) leaves the case exactly as one
 * capture at a time does: every table row for row, and the answers the API gives.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createQueryHandlers } from '../../core/api/handlers.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { writeBusyCapture } from '../../scripts/busy-capture.js';

const WORKER = resolve('dist/capture-worker.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'podcap-parallel-'));

/** Wall-clock times of the run itself: the only columns allowed to differ. */
const CLOCK = new Set(['sources.ingested_at', 'answers.computed_at']);

/** Every table as rows in rowid order. */
function dump(db: CaseDb): Record<string, unknown[][]> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, unknown[][]> = {};
  for (const t of tables) {
    const stmt = db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`);
    const keep = stmt.columns().map((c) => !CLOCK.has(`${t}.${c.name}`));
    out[t] = (stmt.raw().all() as unknown[][]).map((r) => r.filter((_, i) => keep[i]));
  }
  return out;
}

async function answers(db: CaseDb, path: string): Promise<unknown[]> {
  const h = createQueryHandlers(db, path);
  return Promise.all([
    h['flows.list']({ limit: 100_000 }), h['rst.list']({ limit: 100_000 }), h['rst.summary']({}), h['fanout.list']({}),
    h['ports.list']({}), h['findings.list']({}), h['correlate.list']({}), h['sources.list']({}),
  ]);
}

describe('parallel ingest', () => {
  let inputs: string[];
  beforeAll(() => {
    // The worker runs the CLI bundle's capture worker (npm test builds dist/ first; build it if a test run alone has not).
    if (!existsSync(WORKER)) expect(spawnSync(process.execPath, ['scripts/build-cli.mjs']).status).toBe(0);
    const d = tmp();
    // Two busy nodes (thousands of connections each, across many spooled batches), a real bundle
    // whose two captures of one node share connections (twins and NAT halves across sources), every
    // capture fixture (gzip, truncated, pcapng, tunnels), and a capture that cannot be read.
    for (const [node, seed] of [['node-a', 2], ['node-b', 3]] as const) {
      mkdirSync(join(d, node));
      writeBusyCapture(join(d, node, 'any.pcap'), 6, 'busy', seed);
    }
    const bad = join(d, 'bad-version.pcap');
    const head = Buffer.alloc(24);
    head.writeUInt32LE(0xa1b2c3d4, 0);
    head.writeUInt16LE(9, 4);
    writeFileSync(bad, head);
    copyFileSync('fixtures/captures/tcp-sf.pcap', join(d, 'tcp-sf-again.pcap'));
    inputs = [join(d, 'node-a'), join(d, 'node-b'), 'fixtures/lab/bundles/rst-mix', 'fixtures/captures', bad, join(d, 'tcp-sf-again.pcap')];
  });

  // minBytes 0: every capture, fixtures too, goes through a worker (by default small ones stay in the writer's thread).
  it('stores the same rows and gives the same answers as one capture at a time', async () => {
    const d = tmp();
    const serialPath = join(d, 'serial.db');
    const parallelPath = join(d, 'parallel.db');
    const serial = openCase(serialPath);
    const parallel = openCase(parallelPath);
    const rs = await ingestPaths(serial, inputs, { workDir: join(d, 'w1'), captureWorkers: { entry: pathToFileURL(WORKER), count: 1 } });
    const rp = await ingestPaths(parallel, inputs, { workDir: join(d, 'w2'), captureWorkers: { entry: pathToFileURL(WORKER), count: 2, minBytes: 0 } });
    expect(rp).toEqual(rs);
    // The inputs really were of every kind: read, duplicate (same bytes twice), unreadable.
    expect(rs.map((r) => r.status)).toEqual(expect.arrayContaining(['ingested', 'duplicate', 'failed']));
    expect(rs.find((r) => r.path.endsWith('bad-version.pcap'))?.reason).toMatch(/unsupported pcap savefile version 9\.0/);
    const flows = (serial.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n;
    expect(flows).toBeGreaterThan(800);
    expect((serial.prepare('SELECT count(*) AS n FROM flows WHERE nat_peer IS NOT NULL').get() as { n: number }).n).toBeGreaterThan(400);
    expect(dump(parallel)).toEqual(dump(serial));
    expect(await answers(parallel, parallelPath)).toEqual(await answers(serial, serialPath));
    serial.close();
    parallel.close();
  });

  it('an aborted parallel ingest stops its workers, leaves no spool and stores nothing', async () => {
    const d = tmp();
    const big = join(d, 'big.pcap');
    writeBusyCapture(big, 30, 'busy', 9);
    const spools = () => readdirSync(tmpdir()).filter((n) => n.startsWith('podcap-spool-'));
    const before = new Set(spools());
    const db = openCase(join(d, 'c.db'));
    const ac = new AbortController();
    const run = ingestPaths(db, [big], {
      workDir: join(d, 'w'), signal: ac.signal, progressEveryMs: 0,
      captureWorkers: { entry: pathToFileURL(WORKER), count: 2, minBytes: 0 },
      onProgress: (p) => { if (p.phase === 'parse' && p.records > 0) ac.abort(); },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(spools().filter((n) => !before.has(n))).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n).toBe(0);
    db.close();
  });
});
