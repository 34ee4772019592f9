/**
 * Exit statuses and messages of `podcap ingest` as the README states them, through the built CLI
 * (npm test builds dist/ first): nothing ends silently, every unreadable or cut input is named.
 */
import { spawnSync } from 'node:child_process';
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
