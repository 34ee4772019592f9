/**
 * Exit statuses and messages of `podcap ingest` as the README states them, through the built CLI (bin/podcap.js over dist/)
 * (npm test builds dist/ first): nothing ends silently, every unreadable or cut input is named.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../helpers/zip.js';
import { tarBytes, tarHeader } from '../ingest/archive-fixtures.js';

function podcap(args: string[], opts: { env?: Record<string, string>; nodeArgs?: string[] } = {}) {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), 'bin/podcap.js', ...args], { encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 60_000 });
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

describe('exit statuses as the README states them', () => {
  const capture = readFileSync('fixtures/captures/tcp-sf.pcap');

  it('a zip whose damaged central directory drops entries: status 1, the zip named, the entries before it kept', () => {
    const d = tmp();
    const zip = buildZip([{ name: 'node-a/first.pcap', data: capture }, { name: 'node-a/second.pcap', data: readFileSync('fixtures/captures/tcp-rej.pcap') }, { name: 'node-a/third.txt', data: Buffer.from('x') }]);
    // The second directory record loses its signature: yauzl cannot read past the first.
    const cd = zip.readUInt32LE(zip.length - 22 + 16);
    const second = cd + 46 + zip.readUInt16LE(cd + 28) + zip.readUInt16LE(cd + 30) + zip.readUInt16LE(cd + 32);
    zip.writeUInt32LE(0xdeadbeef, second);
    writeFileSync(join(d, 'bundle.zip'), zip);
    const r = podcap(['ingest', join(d, 'bundle.zip'), '--case', join(d, 'c.db')]);
    expect(r.code).toBe(1);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^podcap: .*bundle\.zip: read in part: the zip directory is damaged after 1 entries/);
    expect(podcap(['sources', '--case', join(d, 'c.db'), '--json']).out).toContain('first.pcap');
  });

  it('a zip whose end record claims no entries: status 1 and a line naming it, not silence (found by fuzzing)', () => {
    const d = tmp();
    const zip = buildZip([{ name: 'node-a/first.pcap', data: capture }]);
    zip.writeUInt16LE(0, zip.length - 22 + 8);
    zip.writeUInt16LE(0, zip.length - 22 + 10);
    writeFileSync(join(d, 'bundle.zip'), zip);
    const r = podcap(['ingest', join(d, 'bundle.zip'), '--case', join(d, 'c.db')]);
    expect(r.code).toBe(1);
    expect(r.errLines).toEqual([expect.stringMatching(/^podcap: .*bundle\.zip: the archive holds no file to read$/)]);
  });

  it('an archive cut at the size cap: status 1, the archive and the cap named', () => {
    const d = tmp();
    const tar = Buffer.concat([tarBytes([{ path: 'b/first.pcap', data: capture }], { end: false }), tarHeader({ path: 'b/huge.bin' }, 5 * 2 ** 30), Buffer.alloc(1024)]);
    writeFileSync(join(d, 'b.tar.gz'), gzipSync(tar));
    const r = podcap(['ingest', join(d, 'b.tar.gz'), '--case', join(d, 'c.db')]);
    expect(r.code).toBe(1);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^podcap: .*b\.tar\.gz: read in part: entry "b\/huge\.bin" declares 5 GiB, over the per-entry cap of 4 GiB/);
  });

  it('a .tar.gz cut to 10 bytes is reported as truncated, not as an unknown kind', () => {
    const d = tmp();
    writeFileSync(join(d, 'b.tar.gz'), gzipSync(tarBytes([{ path: 'b/first.pcap', data: capture }])).subarray(0, 10));
    const r = podcap(['ingest', join(d, 'b.tar.gz'), '--case', join(d, 'c.db')]);
    expect(r.code).toBe(1);
    expect(r.errLines).toEqual([expect.stringMatching(/^podcap: .*b\.tar\.gz: truncated gzip: the stream ends or is damaged before any content \(10 bytes on disk: unexpected end of file\)/)]);
  });

  it('150,000 empty entries end quickly at the entry cap, with the diagnostic, status 1', () => {
    const d = tmp();
    const header = tarHeader({ path: 'e' }, 0);
    const parts: Buffer[] = [];
    for (let i = 0; i < 150_000; i++) {
      const h = Buffer.from(header);
      // A distinct name per entry, the header checksum redone (octal, as tar writes it).
      h.write(`e${i}`, 0, 'ascii');
      h.fill(0x20, 148, 156);
      let sum = 0;
      for (const b of h) sum += b;
      h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
      parts.push(h);
    }
    parts.push(Buffer.alloc(1024));
    writeFileSync(join(d, 'flood.tar.gz'), gzipSync(Buffer.concat(parts)));
    const r = podcap(['ingest', join(d, 'flood.tar.gz'), '--case', join(d, 'c.db')]);
    expect(r.code).toBe(1);
    expect(r.errLines[0]).toMatch(/flood\.tar\.gz: read in part: more than 100000 entries \(cap 100000 per input archive\)/);
    const diags = podcap(['diagnostics', '--case', join(d, 'c.db'), '--json']).out.trim().split('\n').map((l) => JSON.parse(l) as { code: string; message: string });
    expect(diags.map((x) => x.code).sort()).toEqual(['ARCHIVE_BOMB', 'ARCHIVE_EMPTY_ENTRIES']);
    expect(diags.find((x) => x.code === 'ARCHIVE_EMPTY_ENTRIES')!.message).toBe('100000 empty files not extracted (nothing to read)');
  }, 60_000);
});

describe('two ingests into one case at once', () => {
  it('both complete: the second waits for the first instead of failing with "database is locked"', async () => {
    const d = tmp();
    const c = join(d, 'c.db');
    // The first holds its write transaction ~7 s (two slowed reads), past SQLite's 5 s busy timeout.
    const first = spawn(process.execPath, ['--import', './test/helpers/fault-slow-read.mjs', 'bin/podcap.js', 'ingest', 'fixtures/captures/tcp-rstr.pcap', '--case', c],
      { env: { ...process.env, PODCAP_SLOW_READ: 'tcp-rstr.pcap', PODCAP_SLOW_MS: '3500' } });
    const firstDone = exited(first);
    await sleep(1000);
    const second = spawn(process.execPath, ['bin/podcap.js', 'ingest', 'fixtures/captures/tcp-rej.pcap', '--case', c]);
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
