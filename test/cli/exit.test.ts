/**
 * Exit statuses and messages of `podcap ingest` as the README states them, through the built CLI
 * (npm test builds dist/ first): nothing ends silently, every unreadable or cut input is named.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

function podcap(args: string[], opts: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), 'dist/cli.js', ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, errLines: r.stderr.split('\n').filter((l) => l.startsWith('podcap')) };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'podcap-exit-'));
const FAULT = ['--import', './test/helpers/fault-gunzip.mjs'];

describe('an ingest that cannot settle still says so', () => {
  it('a stalled gzip stream: one line naming the input and status 70, not a bare 13', () => {
    const d = tmp();
    writeFileSync(join(d, 'cap.pcap.gz'), gzipSync(readFileSync('fixtures/captures/tcp-sf.pcap')));
    const r = podcap(['ingest', join(d, 'cap.pcap.gz'), '--case', join(d, 'c.db')], { nodeArgs: FAULT });
    expect(r.code).toBe(70);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^podcap ingest: .*cap\.pcap\.gz: stopped without finishing/);
  });

  it('a rejection nobody awaited: one line naming the input, non-zero', () => {
    const d = tmp();
    writeFileSync(join(d, 'cap.pcap.gz'), gzipSync(readFileSync('fixtures/captures/tcp-sf.pcap')));
    const r = podcap(['ingest', join(d, 'cap.pcap.gz'), '--case', join(d, 'c.db')], { nodeArgs: FAULT, env: { PODCAP_FAULT: 'reject' } });
    expect(r.code).toBe(70);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^podcap ingest: .*cap\.pcap\.gz: internal error: injected fault$/);
  });
});

describe('two ingests into one case at once', () => {
  it('both complete: the second waits for the first instead of failing with "database is locked"', async () => {
    const d = tmp();
    const c = join(d, 'c.db');
    // The first holds its write transaction ~7 s (two slowed reads), past SQLite's 5 s busy timeout.
    const first = spawn(process.execPath, ['--import', './test/helpers/fault-slow-read.mjs', 'dist/cli.js', 'ingest', 'fixtures/captures/tcp-rstr.pcap', '--case', c],
      { env: { ...process.env, PODCAP_SLOW_READ: 'tcp-rstr.pcap', PODCAP_SLOW_MS: '3500' } });
    const firstDone = exited(first);
    await sleep(1000);
    const second = spawn(process.execPath, ['dist/cli.js', 'ingest', 'fixtures/captures/tcp-rej.pcap', '--case', c]);
    const [a, b] = await Promise.all([firstDone, exited(second)]);
    expect(a, a.err).toMatchObject({ code: 0 });
    expect(b, b.err).toMatchObject({ code: 0 });
    expect(b.err).toMatch(/another ingest into .* is running \(pid \d+\); waiting/);
    const sources = podcap(['sources', '--case', c, '--json']).out.trim().split('\n').map((l) => (JSON.parse(l) as { path: string }).path.split('/').pop()).sort();
    expect(sources).toEqual(['tcp-rej.pcap', 'tcp-rstr.pcap']);
  }, 30_000);
});

function exited(p: ChildProcess): Promise<{ code: number | null; err: string }> {
  let err = '';
  p.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
  return new Promise((resolve) => p.on('close', (code) => resolve({ code, err })));
}
