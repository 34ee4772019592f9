import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The built CLI (npm test builds dist/ first), run as a user would. */
function podcap(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/podcap.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'podcap-cli-'));
const FLOW_FIELDS = ['proto', 'orig_ip', 'orig_port', 'resp_ip', 'resp_port', 'start', 'end', 'duration', 'state', 'history', 'orig_pkts', 'resp_pkts',
  'orig_bytes', 'resp_bytes', 'rst_by', 'source', 'orig_pod', 'resp_pod', 'nat_peer'];
const RST_FIELDS = ['ts', 'sender_ip', 'sender_port', 'receiver_ip', 'receiver_port', 'sender_role', 'ttl', 'ttl_baseline', 'idle_before_s', 'verdict', 'reason',
  'sender_pod', 'sender_node', 'seen_at', 'flow'];

describe('podcap CLI', () => {
  it('ingest then flows --json: JSON Lines with the contract fields, Zeek states', () => {
    const c = join(tmp(), 'c.db');
    expect(podcap('ingest', 'fixtures/captures/tcp-rstr.pcap', 'fixtures/captures/tcp-rej.pcap', '--case', c).code).toBe(0);
    const r = podcap('flows', '--case', c, '--json');
    expect(r.code).toBe(0);
    const rows = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const row of rows) for (const k of FLOW_FIELDS) expect(row, k).toHaveProperty(k);
    expect(rows.filter((x) => x.proto === 'tcp').map((x) => x.state).sort()).toEqual(['REJ', 'RSTR']);
    const rej = rows.find((x) => x.state === 'REJ')!;
    expect(rej.rst_by).toBe('resp');
    expect(typeof rej.start).toBe('number');
    expect(rej.start as number).toBeGreaterThan(1.6e9); // epoch seconds
  });

  it('rst --json lists every RST with its sender and role', () => {
    const c = join(tmp(), 'c.db');
    podcap('ingest', 'fixtures/captures/tcp-rsto.pcap', 'fixtures/captures/tcp-rstr.pcap', '--case', c);
    const rows = podcap('rst', '--case', c, '--json').lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBe(2);
    for (const row of rows) for (const k of RST_FIELDS) expect(row, k).toHaveProperty(k);
    expect(rows.map((x) => x.sender_role).sort()).toEqual(['orig', 'resp']);
  });

  it('a file that is not a capture: one line naming it, the rest ingested, non-zero exit', () => {
    const d = tmp();
    writeFileSync(join(d, 'notes.bin'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]));
    const c = join(d, 'c.db');
    const r = podcap('ingest', join(d, 'notes.bin'), 'fixtures/captures/tcp-sf.pcap', '--case', c);
    expect(r.code).toBe(1);
    const errs = r.err.split('\n').filter((l) => l.startsWith('podcap:'));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain('notes.bin');
    expect(podcap('flows', '--case', c, '--json').lines.length).toBeGreaterThan(0);
  });

  it('the AKS runbook chain: tcptracer NETNS -> lsns -> pstree shim -id -> crictl POD ID -> pod nginx', () => {
    const c = join(tmp(), 'c.db');
    podcap('ingest', 'fixtures/samples/node-tools/aks-snat-runbook', '--case', c);
    const rows = podcap('correlate', '--case', c, '--json').lines.map((l) => JSON.parse(l) as { pod: string | null; ip: string; netns_inode: number; evidence: { source: string }[] });
    const nginx = rows.find((r) => r.pod === 'nginx');
    expect(nginx).toMatchObject({ ip: '1.2.3.4', netns_inode: 4026532785 });
    const files = new Set(nginx!.evidence.map((e) => e.source.split('/').pop()));
    for (const f of ['03_lsns_-t_net.txt', '04_pstree_-aps_19832.txt', '05_crictl_ps_-a.txt']) expect(files).toContain(f);
  });

  it('report on the AKS runbook sample names nginx as the top fan-out source', () => {
    const r = podcap('report', 'fixtures/samples/node-tools/aks-snat-runbook');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/top fan-out: nginx 387 connections \(tcptracer\)/);
    // Being the top opener is not exhaustion: tcptracer alone measures no SNAT port pressure (issue 12).
    expect(r.out).not.toMatch(/SNAT/);
  });

  it('compare --case AFTER --against BEFORE: what appeared after is new, what the fix removed is gone', () => {
    const d = tmp();
    const before = join(d, 'rst.db');
    const after = join(d, 'snat.db');
    expect(podcap('ingest', '--case', before, 'fixtures/lab/bundles/rst-mix.tar.gz').code).toBe(0);
    expect(podcap('ingest', '--case', after, 'fixtures/lab/bundles/snat-fanout.tar.gz').code).toBe(0);
    const r = podcap('compare', '--case', after, '--against', before, '--json');
    expect(r.code).toBe(0);
    const rows = r.lines.map((l) => JSON.parse(l) as { section: string; key: string; before: number | string | null; after: number | string | null; delta: number | null; change: string; unit: string | null });
    const top = (JSON.parse(podcap('fanout', '--case', after, '--json').lines[0]) as { who: string; connections: number });
    // Both sides are whole cases: rates are per minute of each case's captures.
    const rate = rows.find((x) => x.section === 'connection_rate' && x.key === top.who)!;
    expect(rate).toMatchObject({ change: 'new', before: 0, unit: 'conn/min' });
    expect(Number(rate.after)).toBeGreaterThan(0);
    expect(rate.delta).toBe(rate.after);
    expect(rows.find((x) => x.section === 'findings' && String(x.key).includes(top.who))?.change).toBe('new');
    const findingsBefore = podcap('findings', '--case', before, '--json').lines.map((l) => JSON.parse(l) as { title: string });
    for (const f of findingsBefore) expect(rows.find((x) => x.section === 'findings' && x.key === f.title)?.change).toBe('gone');
    const goneRst = rows.filter((x) => x.section === 'rst_rate' && x.change === 'gone');
    expect(goneRst.length).toBeGreaterThan(0);
    for (const g of goneRst) expect(g.delta).toBeLessThan(0);
    // The table says the same: signed change and units.
    const table = podcap('compare', '--case', after, '--against', before).out;
    expect(table).toMatch(/BEFORE +AFTER +CHANGE +UNIT/);
    expect(table).toMatch(/rst_rate .* -\d[\d.]* +RST\/min +gone/);
    // Two windows of one case.
    const w = podcap('compare', '--case', after, '--window', '..', '--window', '..', '--json');
    expect(w.code).toBe(0);
    expect(w.lines.map((l) => JSON.parse(l) as { change: string }).every((x) => x.change === 'same')).toBe(true);
  });
});
