import { describe, expect, it } from 'vitest';
import { conntrackFormat, type ConntrackEntry, type ConntrackRecord } from '../../core/formats/conntrack/index.js';
import { PodcapError } from '../../core/errors.js';
import { head, interleave, lab, listFiles, sample, SAMPLES, shifted, truncate } from './net-text-helpers.js';

const parse = (text: string) => conntrackFormat.parse(text, { source: 'test' });
const entries = (rs: ConntrackRecord[]): ConntrackEntry[] => rs.filter((r): r is ConntrackEntry => r.kind === 'entry');
const noLine = (r: ConntrackRecord) => {
  const { line: _line, ...rest } = r;
  return rest;
};

describe('conntrack samples', () => {
  it('reads every Linux conntrack sample without diagnostics', () => {
    const files = listFiles(SAMPLES).filter((f) => f.startsWith('conntrack/') && /conntrack_-|secctx|unreplied/.test(f) && !/NOT_LINUX/.test(f));
    expect(files.length).toBe(8);
    for (const rel of files) {
      const r = parse(sample(rel));
      expect(r.diagnostics, rel).toEqual([]);
      expect(entries(r.records).length + r.records.filter((x) => x.kind === 'expect').length, rel).toBeGreaterThan(0);
    }
  });

  it('reads conntrack -L with accounting, flags, mark/secmark/use and the footer', () => {
    const r = parse(sample('conntrack/ctmanual_conntrack_-L.txt'));
    expect(r.records[0]).toEqual({
      kind: 'entry', proto: 'tcp', protoNum: 6, timeout: 431982, tcpState: 'ESTABLISHED',
      orig: { src: '192.168.2.100', dst: '123.59.27.117', sport: 34846, dport: 993, packets: 169, bytes: 14322 },
      reply: { src: '123.59.27.117', dst: '192.168.2.100', sport: 993, dport: 34846, packets: 113, bytes: 34787 },
      flags: ['ASSURED'], mark: 0, secmark: 0, use: 1, line: 1,
    });
    expect(r.records[2]).toEqual({
      kind: 'summary', version: '0.9.7', count: 2, what: 'flow entries', action: 'shown',
      message: '2 flow entries have been shown.', line: 3,
    });
    expect(parse(sample('conntrack/ctmanual_conntrack_-D.txt')).records[1]).toMatchObject({ kind: 'summary', count: 1, action: 'deleted' });
  });

  it('reads conntrack -E events', () => {
    const r = entries(parse(sample('conntrack/ctmanual_conntrack_-E.txt')).records);
    expect(r.map((e) => [e.event, e.proto, e.timeout, e.tcpState, e.flags.join(','), e.line])).toEqual([
      ['NEW', 'udp', 30, undefined, 'UNREPLIED', 2],
      ['UPDATE', 'udp', 29, undefined, '', 3],
      ['NEW', 'tcp', 120, 'SYN_SENT', 'UNREPLIED', 4],
      ['UPDATE', 'tcp', 60, 'SYN_RECV', '', 5],
      ['UPDATE', 'tcp', 432000, 'ESTABLISHED', 'ASSURED', 6],
    ]);
  });

  it('reads expectation events into tuple, mask and master', () => {
    const r = parse(sample('conntrack/ctmanual_conntrack_-E_expect.txt'));
    expect(r.records[0]).toEqual({
      kind: 'expect', event: 'NEW', timeout: 300, protoNum: 17,
      tuple: { src: '1.2.3.4', dst: '1.2.3.4', sport: 0, dport: 54834 },
      mask: { src: '255.255.255.255', dst: '255.255.255.255', sport: 0, dport: 65535 },
      master: { src: '1.2.3.4', dst: '1.2.3.4', sport: 58190, dport: 111 },
      flags: ['PERMANENT'], class: 0, helper: 'rpc', line: 2,
    });
  });

  it('keeps secctx and both tuples exactly (DNAT: the reply source is the chosen backend)', () => {
    const fw = entries(parse(sample('conntrack/firewalld-1055_conntrack_-L_secctx_partial.txt')).records);
    expect(fw[5]).toMatchObject({ proto: 'udp', timeout: 15, secctx: 'system_u:object_r:unlabeled_t:s0', flags: [] });
    const [before, after] = entries(parse(sample('conntrack/k8s-48370_conntrack_udp_unreplied_before_after.txt')).records);
    expect(before.orig).toEqual({ src: '10.12.0.14', dst: '10.15.240.10', sport: 43145, dport: 53 });
    expect(before.reply).toEqual({ src: '10.12.0.11', dst: '10.12.0.14', sport: 53, dport: 43145 });
    expect(after.reply.src).toBe('10.15.240.10');
    expect(before.flags).toEqual(['UNREPLIED']);
  });
});

describe('conntrack lab captures (SNAT router netns, see fixtures/node-tools/lab/README.md)', () => {
  it('reads -E -o timestamp: exact µs times, SNAT reply tuples, mark, zone, DESTROY counters, ICMP', () => {
    const r = parse(lab('conntrack_-E_-o_timestamp.txt'));
    expect(r.diagnostics).toEqual([]);
    const es = entries(r.records);
    expect(es).toHaveLength(37);
    expect(es[0]).toEqual({
      kind: 'entry', event: 'NEW', tsUs: 1795270212083737, proto: 'tcp', protoNum: 6, timeout: 120, tcpState: 'SYN_SENT',
      orig: { src: '10.77.0.2', dst: '10.88.0.2', sport: 58230, dport: 8080 },
      reply: { src: '10.88.0.2', dst: '10.88.0.1', sport: 8080, dport: 58230 },
      flags: ['UNREPLIED'], mark: 42, line: 1,
    });
    // SNAT: the server answers the router, on the port the router chose (here it kept the client's).
    for (const e of es.filter((x) => x.orig.src === '10.77.0.2')) {
      expect(e.reply.dst).toBe('10.88.0.1');
      expect(e.reply.src).toBe(e.orig.dst);
      if (e.proto !== 'icmp') expect(e.reply.dport).toBe(e.orig.sport);
    }
    const destroy = es.find((e) => e.event === 'DESTROY')!;
    expect(destroy).toMatchObject({ line: 23, tcpState: 'CLOSE', deltaTimeS: 0, orig: { dport: 7777, packets: 1, bytes: 60 }, reply: { packets: 1, bytes: 40 } });
    expect(es.find((e) => e.orig.dport === 5353)).toMatchObject({ zone: 7, line: 24 });
    expect(es.find((e) => e.proto === 'icmp')).toMatchObject({ protoNum: 1, orig: { icmpType: 8, icmpCode: 0, icmpId: 16962 }, reply: { icmpType: 0, icmpId: 16962 } });
    expect(es.find((e) => e.orig.src === 'fd77::2')?.reply.dst).toBe('fd88::1');
    expect(r.records.at(-1)).toMatchObject({ kind: 'summary', count: 37, what: 'flow events', version: '1.4.7' });
  });

  it('tells the ICMP tuple id from the conntrack id under -o extended,id', () => {
    const es = entries(parse(lab('conntrack_-E_-o_timestamp,extended,id.txt')).records);
    const icmp = es.find((e) => e.proto === 'icmp' && e.event === 'NEW')!;
    expect(icmp).toMatchObject({ l3proto: 'ipv4', id: 1153187450, orig: { icmpId: 16962 }, reply: { icmpId: 16962 }, line: 27 });
    const tcp = es.find((e) => e.event === 'DESTROY')!;
    expect(tcp.id).toBe(118714424);
    expect(tcp.reply).not.toHaveProperty('icmpId');
  });

  it('reads /proc/net/nf_conntrack like -L -o extended, canonicalising zero-padded IPv6', () => {
    const proc = entries(parse(lab('proc_net_nf_conntrack.txt')).records);
    const ext = entries(parse(lab('conntrack_-L_-o_extended.txt')).records);
    expect(proc).toHaveLength(8);
    const v6 = proc.find((e) => e.l3proto === 'ipv6')!;
    expect(v6.orig).toMatchObject({ src: 'fd77::2', dst: 'fd88::2' });
    expect(v6.reply.dst).toBe('fd88::1');
    expect(proc[0]).toMatchObject({ zone: 0, use: 2, deltaTimeS: 1 });
    const key = (e: ConntrackEntry) => `${e.proto} ${e.orig.src} ${e.orig.sport ?? e.orig.icmpId} ${e.reply.dst}`;
    expect(new Set(proc.map(key))).toEqual(new Set(ext.map(key)));
  });

  it('reads per-CPU statistics from conntrack -S and /proc/net/stat/nf_conntrack', () => {
    const s = parse(lab('conntrack_-S.txt')).records;
    expect(s).toEqual([0, 1].map((cpu) => ({
      kind: 'stats', cpu, source: 'conntrack-S', line: cpu + 1,
      counters: { found: 0, invalid: 0, insert: 0, insert_failed: 0, drop: 0, early_drop: 0, error: 0, search_restart: 0, clash_resolve: 0, chaintoolong: 0 },
    })));
    const p = parse(lab('proc_net_stat_nf_conntrack.txt')).records;
    expect(p).toHaveLength(2);
    expect(p[1]).toMatchObject({ kind: 'stats', cpu: 1, source: 'proc-stat', line: 3, counters: { entries: 8, drop: 0, early_drop: 0, insert_failed: 0 } });
    const pressure = parse('cpu=3   \tfound=12 invalid=130 insert=0 insert_failed=7 drop=7 early_drop=2 error=1 search_restart=44 \n').records[0];
    expect(pressure).toMatchObject({ cpu: 3, counters: { insert_failed: 7, drop: 7, early_drop: 2, search_restart: 44 } });
  });

  it('reads the footer wherever stderr put it', () => {
    const r = parse(lab('conntrack_-L.txt'));
    expect(r.records[0]).toMatchObject({ kind: 'summary', count: 8, line: 1 });
    expect(entries(r.records)).toHaveLength(8);
  });
});

describe('conntrack line shapes from the kernel and libnetfilter_conntrack printers', () => {
  it('reads offloaded flows (no timeout), gre proto info, sctp state, icmpv6, unknown protocols, labels, directional zones', () => {
    const text = [
      'ipv4     2 tcp      6 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=443 src=10.0.0.2 dst=10.0.0.1 sport=443 dport=40000 [OFFLOAD] mark=0 zone=0 use=3',
      'tcp      6 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40001 dport=443 src=10.0.0.2 dst=10.0.0.1 sport=443 dport=40001 [HW_OFFLOAD] mark=0 use=2',
      'ipv4     2 gre      47 179 timeout=180, stream_timeout=180 src=10.0.0.1 dst=10.0.0.9 srckey=0x0 dstkey=0x0 src=10.0.0.9 dst=10.0.0.1 srckey=0x0 dstkey=0x0 [ASSURED] mark=0 zone=0 use=2',
      'sctp     132 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.3 sport=5000 dport=36412 src=10.0.0.3 dst=10.0.0.1 sport=36412 dport=5000 [ASSURED] mark=0 use=1',
      'ipv6     10 icmpv6   58 29 src=fe80::1 dst=ff02::1 type=128 code=0 id=4660 [UNREPLIED] src=ff02::1 dst=fe80::1 type=129 code=0 id=4660 mark=0 zone=0 use=2',
      'ipv4     2 unknown  2 599 src=10.0.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=10.0.0.1 mark=0 zone=0 use=2',
      'tcp      6 86399 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 zone-orig=5 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 zone-reply=5 [ASSURED] mark=7 delta-time=12 [start=Tue Nov 21 14:10:12 2026] helper=ftp use=1 id=99 labels=web,blue',
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    const e = entries(r.records);
    expect(e[0]).toMatchObject({ l3proto: 'ipv4', tcpState: 'ESTABLISHED', flags: ['OFFLOAD'], use: 3 });
    expect(e[0].timeout).toBeUndefined();
    expect(e[1].flags).toEqual(['HW_OFFLOAD']);
    expect(e[2]).toMatchObject({ proto: 'gre', timeout: 179, extra: { timeout: '180', stream_timeout: '180' }, orig: { srcKey: '0x0', dstKey: '0x0' } });
    expect(e[3]).toMatchObject({ proto: 'sctp', protoState: 'ESTABLISHED', orig: { sport: 5000, dport: 36412 } });
    expect(e[4]).toMatchObject({ proto: 'icmpv6', protoNum: 58, orig: { src: 'fe80::1', dst: 'ff02::1', icmpType: 128, icmpId: 4660 }, reply: { icmpType: 129 } });
    expect(e[5]).toMatchObject({ proto: 'unknown', protoNum: 2, orig: { src: '10.0.0.1', dst: '224.0.0.22' }, flags: ['UNREPLIED'] });
    expect(e[6]).toMatchObject({
      orig: { zone: 5 }, reply: { zone: 5 }, mark: 7, deltaTimeS: 12, helper: 'ftp', use: 1, id: 99, labels: ['web', 'blue'],
      extra: { start: 'Tue Nov 21 14:10:12 2026' },
    });
  });

  it('reports masked addresses and keeps the entry', () => {
    const r = parse('tcp      6 117 TIME_WAIT src=10.x.x.x dst=52.x.x.x sport=3xxx9 dport=443 src=52.x.x.x dst=10.x.x.x sport=443 dport=3xxx9 [ASSURED] mark=0 use=1\n');
    expect(entries(r.records)[0]).toMatchObject({ orig: { src: '10.x.x.x', dport: 443 }, masked: ['orig.src', 'orig.dst', 'orig.sport', 'reply.src', 'reply.dst', 'reply.dport'] });
    expect(r.diagnostics).toMatchObject([{ code: 'TEXT_MASKED_VALUE', line: 1 }]);
  });
});

describe('the NuttX trap', () => {
  const nuttx = sample('conntrack/nuttx-2356_conntrack_-E_-L_NOT_LINUX.txt');

  it('is not claimed and cannot be read as Linux conntrack', () => {
    expect(conntrackFormat.sniff(head(nuttx), 'x')).toBe(0);
    expect(() => parse(nuttx)).toThrow(PodcapError);
    try {
      parse(nuttx);
    } catch (e) {
      expect((e as PodcapError).code).toBe('NOT_LINUX_CONNTRACK');
    }
  });

  it('reports a stray NuttX line inside a Linux dump as malformed, with its line number', () => {
    const text = `${sample('conntrack/ctmanual_conntrack_-L.txt')}tcp   src=192.168.21.66 dst=1.2.3.4 sport=38446 dport=80 src=1.2.3.4 dst=192.168.11.1 sport=80 dport=38446\n`;
    const r = parse(text);
    expect(entries(r.records)).toHaveLength(2);
    expect(r.diagnostics).toMatchObject([{ code: 'TEXT_MALFORMED_LINE', line: 4 }]);
    expect(r.diagnostics[0].message).toMatch(/not Linux/);
  });
});

describe('conntrack robustness', () => {
  const original = lab('conntrack_-E_-o_timestamp.txt');
  const garbage = ['[1795270212.083737]\t    [NEW] tcp', 'src=1.2.3.4 dst=5.6.7.8', 'tcp 6 120 SYN_SENT src=1.2.3.4', '☃ not conntrack'];

  it('reports interleaved garbage at its 1-based line numbers and keeps every record', () => {
    const { text, at } = interleave(original, garbage, 3);
    const r = parse(text);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual(at.map((l) => ['TEXT_MALFORMED_LINE', l]));
    const want = parse(original).records;
    expect(r.records.map(noLine)).toEqual(want.map(noLine));
    expect(r.records.map((x) => x.line)).toEqual(want.map((x) => shifted(x.line, 3)));
  });

  it('gives each line alone the record it gives in context', () => {
    const whole = parse(original).records;
    original.trimEnd().split('\n').forEach((l, i) => {
      expect(parse(`${l}\n`).records.map(noLine)).toEqual([noLine(whole[i])]);
    });
  });

  it('reports a last line cut at any point as truncation, never as a wrong entry', () => {
    const full = lab('conntrack_-L_-o_extended.txt');
    const body = entries(parse(full).records).length;
    const lastLen = full.trimEnd().split('\n').at(-1)!.length;
    for (let cut = 1; cut < lastLen; cut++) {
      const r = parse(truncate(full, cut));
      expect(entries(r.records), `cut ${cut}`).toHaveLength(body - 1);
      expect(r.diagnostics, `cut ${cut}`).toMatchObject([{ code: 'TEXT_TRUNCATED', severity: 'dataLoss', line: 9 }]);
    }
  });
});
