import { describe, expect, it } from 'vitest';
import { kernlogFormat, type KernLogRecord } from '../../core/formats/kernlog/index.js';
import { head, interleave, lab, sample, shifted, truncate } from './net-text-helpers.js';

const BASE_2019 = Date.UTC(2019, 5, 1) * 1000;
const parse = (text: string, baseTimeUs = BASE_2019) => kernlogFormat.parse(text, { source: 'test', baseTimeUs });
const us = (y: number, mo: number, d: number, h: number, mi: number, s: number, micro = 0) => Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + micro;
const noLine = (r: KernLogRecord) => {
  const { line: _line, ...rest } = r;
  return rest;
};

describe('kernlog samples', () => {
  it('reads plain dmesg uptime stamps', () => {
    const r = parse(sample('conntrack/k8s-18604_dmesg_table_full.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toHaveLength(14);
    expect(r.records[0]).toEqual({ program: 'kernel', uptimeS: 1454500.910215, event: 'conntrack_table_full', raw: 'nf_conntrack: table full, dropping packet', line: 1 });
    expect(r.records.every((x) => x.event === 'conntrack_table_full' && x.tsUs === undefined)).toBe(true);
  });

  it('reads dmesg -T wall-clock stamps (with their year)', () => {
    const r = parse(sample('conntrack/k8s-71261_dmesg_-T_table_full.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.tsUs, x.event])).toEqual([
      [us(2018, 11, 20, 22, 30, 22), 'conntrack_table_full'],
      [us(2018, 11, 20, 22, 30, 27), 'conntrack_table_full'],
      [us(2018, 11, 20, 22, 30, 27), 'conntrack_table_full'],
      [us(2018, 11, 20, 22, 30, 27), 'conntrack_table_full'],
    ]);
    expect(r.records[0].tsLocal).toBe(true);
  });

  it('reads the doubled nf_conntrack prefix and trailing blanks', () => {
    const r = parse(sample('conntrack/kube-aws-476_dmesg_double_prefix_table_full.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => x.event)).toEqual(Array(4).fill('conntrack_table_full'));
    expect(r.records[3]).toMatchObject({ uptimeS: 2834232.639992, raw: 'nf_conntrack: nf_conntrack: table full, dropping packet' });
  });

  it('joins wrapped syslog lines and keeps the cut first line without host/time', () => {
    const r = parse(sample('conntrack/starphleet-352_syslog_table_full_wrapped.txt'));
    expect(r.records.map((x) => [x.line, x.event, x.host, x.uptimeS])).toEqual([
      [1, 'conntrack_table_full', undefined, 38775494.392631],
      [2, 'conntrack_table_full', 'jobs', 38775494.393661],
      [4, 'conntrack_table_full', 'jobs', 38775494.494836],
      [6, 'conntrack_table_full', 'jobs', 38775494.495169],
      [8, 'conntrack_table_full', 'jobs', 38775494.495196],
    ]);
    expect(r.records[1]).toMatchObject({ tsUs: us(2019, 2, 23, 16, 44, 36), yearInferred: true, raw: 'nf_conntrack: table full, dropping packet' });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 1], ['TEXT_NO_DATE', 2]]);
  });

  it('reads kube-proxy\'s nf_conntrack_max line, taking the year before the bundle when needed', () => {
    const r = parse(sample('conntrack/k8s-71261_kube-proxy_log_conntrack_max.txt'));
    expect(r.records).toEqual([{
      program: 'klog', severity: 'I', pid: 26448, sourceFile: 'conntrack.go:52', tsLocal: true, yearInferred: true,
      tsUs: us(2018, 11, 20, 15, 18, 19, 757786), event: 'conntrack_max_set', value: 786432,
      raw: 'Setting nf_conntrack_max to 786432', line: 1,
    }]);
    expect(r.diagnostics).toMatchObject([{ code: 'TEXT_NO_DATE', severity: 'info', line: 1 }]);
    expect(r.diagnostics[0].message).toContain('2018');
    // With a bundle from December 2018 the same line is in 2018 too; with one from 2021, in 2021.
    expect(parse(sample('conntrack/k8s-71261_kube-proxy_log_conntrack_max.txt'), us(2021, 12, 1, 0, 0, 0)).records[0].tsUs).toBe(us(2021, 11, 20, 15, 18, 19, 757786));
  });
});

describe('kernlog formats and events', () => {
  it('reads journalctl -k (short, short-precise, short-iso, short-monotonic), rsyslog RFC 3339, dmesg --time-format iso and dmesg -x', () => {
    const text = [
      '-- Logs begin at Mon 2019-05-27 08:00:01 UTC, end at Fri 2019-05-31 10:00:00 UTC. --',
      'May 31 09:59:01 node-1 kernel: nf_conntrack: table full, dropping packet',
      'May 31 09:59:02.123456 node-1 kernel: nf_conntrack: table full, dropping packet',
      '2019-05-31T09:59:03+0000 node-1 kernel: nf_conntrack: table full, dropping packet',
      '[ 1234.567890] node-1 kernel: nf_conntrack: table full, dropping packet',
      '2019-05-31T11:59:04.250000+02:00 node-1 kernel: [ 1237.000001] nf_conntrack: table full, dropping packet',
      '2019-05-31T09:59:05,000100+00:00 nf_conntrack: table full, dropping packet',
      'kern  :warn  : [ 1239.5] nf_conntrack: table full, dropping packet',
      '<4>[ 1240.000000] nf_conntrack: table full, dropping packet',
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.records).toHaveLength(8);
    expect(r.records.every((x) => x.event === 'conntrack_table_full' && x.program === 'kernel')).toBe(true);
    expect(r.records.map((x) => [x.line, x.tsUs, x.uptimeS, x.host])).toEqual([
      [2, us(2019, 5, 31, 9, 59, 1), undefined, 'node-1'],
      [3, us(2019, 5, 31, 9, 59, 2, 123456), undefined, 'node-1'],
      [4, us(2019, 5, 31, 9, 59, 3), undefined, 'node-1'],
      [5, undefined, 1234.56789, 'node-1'],
      [6, us(2019, 5, 31, 9, 59, 4, 250000), 1237.000001, 'node-1'],
      [7, us(2019, 5, 31, 9, 59, 5, 100), undefined, undefined],
      [8, undefined, 1239.5, undefined],
      [9, undefined, 1240, undefined],
    ]);
    expect(r.records[2].tsLocal).toBeUndefined(); // an offset makes the time exact
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TEXT_NO_DATE']); // said once
  });

  it('names ratelimit, kube-proxy conntrack settings and other pressure messages', () => {
    const text = [
      '[1454510.000001] net_ratelimit: 3134 callbacks suppressed',
      '[1454510.000002] nf_conntrack: 12 callbacks suppressed',
      '[1454510.000003] nf_conntrack: expectation table full',
      '[1454510.000004] neighbour: arp_cache: neighbor table overflow!',
      '[1454510.000005] TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.  Check SNMP counters.',
      '[1454510.000006] IPv6: ADDRCONF(NETDEV_CHANGE): veth1234abcd: link becomes ready',
      'I1120 15:18:19.757960   26448 conntrack.go:83] Setting conntrack hashsize to 196608',
      "I1120 15:18:19.758154   26448 conntrack.go:98] Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_established' to 86400",
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.records.map((x) => [x.event, x.subsystem, x.count, x.value, x.key])).toEqual([
      ['ratelimit_suppressed', 'net_ratelimit', 3134, undefined, undefined],
      ['ratelimit_suppressed', 'nf_conntrack', 12, undefined, undefined],
      ['conntrack_expect_table_full', undefined, undefined, undefined, undefined],
      ['neighbor_table_overflow', 'arp_cache', undefined, undefined, undefined],
      ['syn_flood', undefined, undefined, 8080, undefined],
      ['other', undefined, undefined, undefined, undefined],
      ['conntrack_hashsize_set', undefined, undefined, 196608, undefined],
      ['sysctl_set', undefined, undefined, 86400, 'net/netfilter/nf_conntrack_tcp_timeout_established'],
    ]);
  });

  it('moves to the next year when a syslog wraps from December to January', () => {
    const text = 'Dec 31 23:59:59 h kernel: nf_conntrack: table full, dropping packet\nJan  1 00:00:01 h kernel: nf_conntrack: table full, dropping packet\n';
    const r = parse(text, us(2018, 1, 2, 0, 0, 0));
    expect(r.records.map((x) => x.tsUs)).toEqual([us(2017, 12, 31, 23, 59, 59), us(2018, 1, 1, 0, 0, 1)]);
  });

  it('uses the current year without a bundle time, and says so', () => {
    const r = kernlogFormat.parse('Jan  1 00:00:01 h kernel: nf_conntrack: table full, dropping packet\n', { source: 'test' });
    expect(r.records[0].tsUs).toBe(us(new Date().getUTCFullYear(), 1, 1, 0, 0, 1));
    expect(r.diagnostics[0].message).toContain('current date');
  });

  it('does not take conntrack -E -o timestamp lines for dmesg', () => {
    expect(kernlogFormat.sniff(head(lab('conntrack_-E_-o_timestamp.txt')), 'x')).toBe(0);
  });
});

describe('kernlog robustness', () => {
  const original = sample('conntrack/k8s-18604_dmesg_table_full.txt');

  it('reports interleaved garbage at its 1-based line numbers and keeps every line', () => {
    const { text, at } = interleave(original, ['### garbage ###', '1454500.910215 no brackets', '[abc] nope'], 3);
    const r = parse(text);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual(at.map((l) => ['TEXT_MALFORMED_LINE', l]));
    const want = parse(original).records;
    expect(r.records.map(noLine)).toEqual(want.map(noLine));
    expect(r.records.map((x) => x.line)).toEqual(want.map((x) => shifted(x.line, 3)));
  });

  it('flags a last line without newline as possibly cut, and a cut stamp as truncated', () => {
    const cutMsg = parse(truncate(original, 10));
    expect(cutMsg.records).toHaveLength(14);
    expect(cutMsg.records[13].event).toBe('other');
    expect(cutMsg.diagnostics).toMatchObject([{ code: 'TEXT_TRUNCATED', line: 14 }]);
    const lastLen = original.trimEnd().split('\n').at(-1)!.length;
    const cutStamp = parse(truncate(original, lastLen - 5));
    expect(cutStamp.records).toHaveLength(13);
    expect(cutStamp.diagnostics).toMatchObject([{ code: 'TEXT_TRUNCATED', severity: 'dataLoss', line: 14 }]);
  });
});
