/**
 * What a user sees when something is wrong: --help on every command, validated options naming the
 * valid values, one line naming the path for anything unreadable, a non-zero exit, and the closing
 * summary of an ingest (what was not read and why, data lost inside what was read).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function podcap(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/podcap.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'podcap-cli-errors-'));
const COMMANDS = ['report', 'ingest', 'sources', 'flows', 'rst', 'diagnostics', 'pcap', 'fanout', 'ports', 'findings', 'compare', 'correlate', 'serve'];

describe('podcap CLI on bad input', () => {
  it('every command answers --help with its own usage and options, exit 0', () => {
    for (const c of COMMANDS) {
      const r = podcap(c, '--help');
      expect(r.code, c).toBe(0);
      expect(r.out, c).toMatch(new RegExp(`^usage: podcap ${c} `));
      expect(r.out, c).toMatch(/\n {2}-/); // at least one option explained
    }
    expect(podcap('flows', '-h').out).toMatch(/--state S,\.\.\. +only these Zeek states: S0, S1, SF, REJ/);
  });

  it('an invalid option value is refused with the valid values, exit 2', () => {
    const c = join(tmp(), 'c.db');
    podcap('ingest', 'fixtures/captures/tcp-rej.pcap', '--case', c);
    const r = podcap('flows', '--case', c, '--state', 'BOGUS,SF');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('podcap flows: --state takes Zeek conn_state values (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH), not "BOGUS"');
  });

  it('a case that cannot be opened is named with the reason, in one line, exit 1', () => {
    const d = tmp();
    const missing = podcap('sources', '--case', join(d, 'nope.db'));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`podcap sources: case ${join(d, 'nope.db')} does not exist (make one with: podcap ingest PATH... --case ${join(d, 'nope.db')})\n`);
    const notACase = podcap('findings', '--case', 'README.md');
    expect(notACase.code).toBe(1);
    expect(notACase.err).toBe('podcap findings: README.md is not a podcap case (not an SQLite database)\n');
    const noFolder = podcap('ingest', 'fixtures/captures/tcp-rej.pcap', '--case', join(d, 'no/such/folder/c.db'));
    expect(noFolder.code).toBe(1);
    expect(noFolder.err).toBe(`podcap ingest: cannot create case ${join(d, 'no/such/folder/c.db')}: folder ${join(d, 'no/such/folder')} does not exist\n`);
    const against = podcap('compare', '--case', join(d, 'nope.db'), '--against', join(d, 'before.db'));
    expect(against.code).toBe(1);
    expect(against.err).toMatch(/^podcap compare: case .*nope\.db does not exist/);
  });

  it('ingest names what it did not read, grouped by why, and the data lost in what it read', () => {
    const d = tmp();
    const bundle = join(d, 'bundle');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'broken.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 7)]));
    symlinkSync(join(d, 'gone.txt'), join(bundle, 'dangling.txt'));
    for (let i = 0; i < 5; i++) writeFileSync(join(bundle, `notes-${i}.bin`), Buffer.from([0xde, 0xad, 0xbe, 0xef, i, 0, 1, 2, 3, 4, 5, 6]));
    writeFileSync(join(bundle, 'empty.log'), '');
    const whole = readFileSync('fixtures/captures/tcp-rej.pcap');
    writeFileSync(join(bundle, 'cut.pcap'), whole.subarray(0, whole.length - 5));
    const c = join(d, 'c.db');
    const r = podcap('ingest', bundle, join(d, 'missing.pcap'), '--case', c);
    expect(r.code).toBe(1); // missing.pcap, named directly, could not be read
    expect(r.err).toMatch(/podcap: .*missing\.pcap: cannot read: no such file or folder \(ENOENT\)/);
    const summary = r.err.slice(r.err.indexOf('ingested '));
    expect(summary).toMatch(/^not read: \d+ \(podcap ingest --verbose lists every one/m);
    expect(summary).toMatch(/5 × not a capture or a known node-tool dump \(binary\): .*notes-\d\.bin.*…and 2 more/);
    expect(summary).toMatch(/1 × empty file: .*empty\.log/);
    expect(summary).toMatch(/dangling/);
    expect(summary).toMatch(/broken\.zip/);
    expect(summary).toMatch(/^data loss: .*cut\.pcap: .*offset \d+/m);
    const verbose = podcap('ingest', bundle, '--case', join(d, 'v.db'), '--verbose');
    expect(verbose.err).toMatch(/notes-0\.bin, .*notes-4\.bin/);
    expect(verbose.err).not.toMatch(/more/);
  });

  it('report on nothing readable says so and fails instead of "No findings"', () => {
    const d = tmp();
    const missing = podcap('report', join(d, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nothing could be read/);
    expect(missing.out).not.toMatch(/No findings/);
    writeFileSync(join(d, 'notes.txt'), 'just some notes\n');
    const text = podcap('report', join(d, 'notes.txt'));
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/notes\.txt: not a capture or a known node-tool dump/);
  });
});
