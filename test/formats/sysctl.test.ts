import { describe, expect, it } from 'vitest';
import { sysctlFormat } from '../../core/formats/sysctl/index.js';
import { interleave, lab, LAB, truncate } from './net-text-helpers.js';

const parse = (text: string, source = 'test') => sysctlFormat.parse(text, { source });

describe('sysctl', () => {
  it('reads sysctl output of the conntrack limits (lab)', () => {
    const r = parse(lab('sysctl_nf_conntrack_max_count.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { key: 'net.netfilter.nf_conntrack_max', value: '262144', numeric: 262144, line: 1 },
      { key: 'net.netfilter.nf_conntrack_count', value: '8', numeric: 8, line: 2 },
    ]);
  });

  it('reads the TCP conntrack timeouts of sysctl -a (lab)', () => {
    const r = parse(lab('sysctl_-a_grep_nf_conntrack_tcp_timeout.txt'));
    expect(r.records).toHaveLength(10);
    expect(r.records.find((x) => x.key === 'net.netfilter.nf_conntrack_tcp_timeout_established')?.numeric).toBe(432000);
    expect(r.records.find((x) => x.key === 'net.netfilter.nf_conntrack_tcp_timeout_time_wait')).toMatchObject({ numeric: 120, line: 9 });
  });

  it('reads a bare value only when its file name says which setting it is', () => {
    const value = lab('nf_conntrack_max');
    expect(sysctlFormat.sniff(value, `${LAB}/nf_conntrack_max`)).toBeCloseTo(0.6);
    expect(parse(value, `${LAB}/nf_conntrack_max`).records).toEqual([{ key: 'net.netfilter.nf_conntrack_max', value: '262144', numeric: 262144, line: 1 }]);
    expect(parse('131072\n', 'bundle/node-1/proc/sys/net/netfilter/nf_conntrack_buckets').records[0].key).toBe('net.netfilter.nf_conntrack_buckets');
    expect(sysctlFormat.sniff(lab('conntrack_-C.txt'), `${LAB}/conntrack_-C.txt`)).toBe(0);
    expect(sysctlFormat.sniff('262144\n', 'max.txt')).toBe(0);
  });

  it('reads transcripts with cat /proc/sys, multi-value settings and sysctl errors', () => {
    const text = [
      '$ cat /proc/sys/net/netfilter/nf_conntrack_max',
      '786432',
      '$ sysctl net.ipv4.tcp_rmem net.netfilter.nf_conntrack_tcp_be_liberal',
      'net.ipv4.tcp_rmem = 4096\t131072\t6291456',
      'sysctl: cannot stat /proc/sys/net/netfilter/nf_conntrack_tcp_be_liberal: No such file or directory',
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { key: 'net.netfilter.nf_conntrack_max', value: '786432', numeric: 786432, line: 2 },
      { key: 'net.ipv4.tcp_rmem', value: '4096\t131072\t6291456', line: 4 },
      { key: 'net.netfilter.nf_conntrack_tcp_be_liberal', value: '', error: 'No such file or directory', line: 5 },
    ]);
  });

  it('does not take key = value files of other programs', () => {
    expect(sysctlFormat.sniff('server.port = 8080\nspring.application.name = demo\n', 'application.properties')).toBe(0);
  });

  it('reports garbage with line numbers, and flags a last value without newline', () => {
    const { text, at } = interleave(lab('sysctl_-a_grep_nf_conntrack_tcp_timeout.txt'), ['= 5', 'net.netfilter'], 4);
    const r = parse(text);
    expect(r.records).toHaveLength(10);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual(at.map((l) => ['TEXT_MALFORMED_LINE', l]));
    const cut = parse(truncate(lab('sysctl_nf_conntrack_max_count.txt'), 0));
    expect(cut.diagnostics).toMatchObject([{ code: 'TEXT_TRUNCATED', line: 2 }]);
  });
});
