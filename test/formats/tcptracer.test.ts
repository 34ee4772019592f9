import { describe, expect, it } from 'vitest';
import { tcptracerCountFormat, tcptracerFormat, type TcpTracerRecord } from '../../core/formats/tcptracer/index.js';
import { head, interleave, listFiles, sample, SAMPLES, shifted, truncate } from './net-text-helpers.js';

const parse = (text: string) => tcptracerFormat.parse(text, { source: 'test' });
const strip = (r: TcpTracerRecord): Omit<TcpTracerRecord, 'line'> => {
  const { line: _line, ...rest } = r;
  return rest;
};

// bcc tcptracer's printf widths, so synthetic lines look exactly like the tool's.
const pad = (v: string | number, w: number): string => String(v).padEnd(w);
function bccLine(o: { ns?: number; s?: string; verbose: boolean; type: string; pid: number; comm: string; ip: 4 | 6; saddr: string; daddr: string; sport: number; dport: number; netns?: number }): string {
  let l = '';
  if (o.ns !== undefined) l += pad(o.ns, 14);
  if (o.s !== undefined) l += pad(o.s, 9);
  l += o.verbose ? `${pad(o.type, 12)} ` : `${pad(o.type, 2)} `;
  l += `${pad(o.pid, 6)} ${pad(o.comm, 16)} ${pad(o.ip, 2)} ${pad(o.saddr, 16)} ${pad(o.daddr, 16)} ${pad(o.sport, 6)} ${pad(o.dport, 6)}`;
  if (o.netns !== undefined) l += ` ${pad(o.netns, 8)}`;
  return l;
}

describe('tcptracer samples', () => {
  it('reads every tcptracer/trace tcp sample and leaves the other ebpf tools alone', () => {
    const ebpf = listFiles(SAMPLES).filter((f) => f.startsWith('ebpf/'));
    expect(ebpf.length).toBeGreaterThan(20);
    for (const rel of ebpf) {
      const text = sample(rel);
      const ours = /tcptracer(?!\.8)|trace_tcp(_README)?(__block\d)?\.(mdx|txt)$|trace_tcp\.md$/.test(rel) && !/man/.test(rel);
      if (!ours) {
        expect(tcptracerFormat.sniff(head(text), rel), rel).toBe(0);
        continue;
      }
      const r = parse(text);
      expect(r.records.length, rel).toBeGreaterThan(0);
      expect(r.diagnostics, rel).toEqual([]);
      for (const rec of r.records) {
        expect(['connect', 'accept', 'close', 'unknown']).toContain(rec.type);
        expect(rec.dport === null || (rec.dport >= 0 && rec.dport <= 65535)).toBe(true);
      }
    }
  });

  it('reads the AKS runbook -t4v dump: TIME(ns), verbose types, NETNS, masked times', () => {
    const r = parse(sample('aks-snat-runbook/01_tcptracer_-t4v.txt'));
    expect(r.records).toHaveLength(8);
    expect(r.records[0]).toEqual({
      tool: 'bcc', tsUs: 0, tsRelative: true, type: 'connect', pid: 18627, comm: 'curl', ipVersion: 4,
      saddr: '1.2.3.4', daddr: '5.6.7.8', sport: 53746, dport: 80, netns: 4026532785, line: 3,
    });
    expect(r.records[1]).toMatchObject({ type: 'close', pid: 18627, sport: 53746, masked: ['tsUs'], line: 4 });
    expect(r.records[1].tsUs).toBeUndefined();
    expect(r.records[6]).toMatchObject({ type: 'connect', daddr: '13.14.15.16', sport: 35690, line: 9 });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([4, 5, 6, 7, 8, 9, 10].map((l) => ['TEXT_MASKED_VALUE', l]));
    // The runbook's count by SADDR/NETNS works on the records.
    expect(new Set(r.records.map((x) => `${x.saddr} ${x.netns}`))).toEqual(new Set(['1.2.3.4 4026532785']));
  });

  it('reads the short format with -t (TIME(s)), IPv6 in brackets and right-aligned PIDs', () => {
    const r = parse(sample('ebpf/bcc/tcptracer_example__block2_-t.txt'));
    expect(r.records.map((x) => [x.tsUs, x.type, x.pid, x.comm, x.ipVersion, x.saddr, x.sport, x.dport])).toEqual([
      [0, 'connect', 31002, 'telnet', 4, '192.168.1.2', 42590, 23],
      [3_546_000, 'connect', 748, 'curl', 6, '::1', 42592, 80],
      [4_294_000, 'close', 31002, 'telnet', 4, '192.168.1.2', 42590, 23],
    ]);
    expect(r.records[0].netns).toBeUndefined();
  });

  it('reads C/A/X of the default format', () => {
    const r = parse(sample('ebpf/bcc/tcptracer_example__block1_default.txt'));
    expect(r.records.map((x) => x.type)).toEqual(['connect', 'connect', 'close', 'accept', 'close', 'close', 'accept', 'close']);
    expect(r.records[6]).toMatchObject({ comm: 'nc', saddr: '10.202.210.1', daddr: '10.202.109.12', sport: 8080, dport: 59160, line: 10 });
  });

  it('takes NETNS from the -N filter when the table has no NETNS column, and skips other tools in a transcript', () => {
    const r = parse(sample('ebpf/bcc/tcptracer_-v_-N__find_string_17005351691.txt'));
    expect(r.records.map((x) => [x.type, x.pid, x.netns, x.line])).toEqual([
      ['close', 2570, 4026532008, 4],
      ['close', 2557, 4026532747, 5],
      ['accept', 2991, 4026532747, 11],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('reads Inspektor Gadget tables: k8s endpoints instead of IPs, <> cells, new column order', () => {
    const old = parse(sample('ebpf/inspektor-gadget/old_builtin_trace_tcp__block1.txt')).records[0];
    expect(old).toEqual({
      tool: 'inspektor-gadget', type: 'connect', pid: 253124, comm: 'wget', ipVersion: 4,
      saddr: null, daddr: '188.114.96.3', sport: 50192, dport: 443,
      srcK8s: { kind: 'pod', namespace: 'default', name: 'bb' },
      k8s: { node: 'minikube-docker', namespace: 'default', pod: 'bb', container: 'bb' }, line: 2,
    });
    const guide = parse(sample('ebpf/inspektor-gadget/old_guides_tcptracer__block2.txt')).records[0];
    expect(guide).toMatchObject({ saddr: '172.17.0.3', daddr: '188.114.97.3', sport: 34878, dport: 443, k8s: { node: 'minikube' }, line: 3 });
    const neu = parse(sample('ebpf/inspektor-gadget/trace_tcp_README__block2.txt')).records[0];
    expect(neu).toEqual({
      tool: 'inspektor-gadget', type: 'connect', pid: 757178, tid: 757178, uid: 0, gid: 0, comm: 'wget', ipVersion: 4,
      saddr: '172.17.0.2', daddr: '93.184.215.14', sport: 39664, dport: 443, k8s: { container: 'test-trace-tcp' }, line: 3,
    });
  });

  it('reads only the embedded tables of documentation, silently, with low confidence', () => {
    const doc = sample('ebpf/bcc/tcptracer_example.txt');
    expect(tcptracerFormat.sniff(head(doc), 'x')).toBeCloseTo(0.3);
    const r = parse(doc);
    const blocks = parse(sample('ebpf/bcc/tcptracer_example__block1_default.txt')).records.length
      + parse(sample('ebpf/bcc/tcptracer_example__block2_-t.txt')).records.length;
    expect(r.records).toHaveLength(blocks);
    expect(r.diagnostics).toEqual([]);
    const md = parse(sample('ebpf/inspektor-gadget/trace_tcp_README.mdx'));
    expect(md.records.map((x) => x.line)).toEqual([90, 118]);
    expect(tcptracerFormat.sniff(head(sample('ebpf/bcc/tcptracer.8.man.txt')), 'x')).toBe(0);
  });
});

describe('tcptracer flag combinations (bcc printf layout)', () => {
  const base = { type: 'connect', pid: 4242, comm: 'curl', ip: 4 as const, saddr: '10.244.1.7', daddr: '20.50.2.1', sport: 40112, dport: 443 };

  it('reads -tv with a NETNS column and a TIME(ns) long enough to touch TYPE', () => {
    const text = [
      'Tracing TCP established connections. Ctrl-C to end.',
      'TIME(ns)      TYPE         PID    COMM             IP SADDR            DADDR            SPORT  DPORT  NETNS   ',
      bccLine({ ...base, ns: 0, verbose: true, netns: 4026532785 }),
      bccLine({ ...base, ns: 123456789012345, verbose: true, type: 'close', netns: 4026532785 }),
    ].join('\n') + '\n';
    expect(text.split('\n')[3].startsWith('123456789012345close')).toBe(true);
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records[1]).toMatchObject({ tsUs: 123456789012, type: 'close', netns: 4026532785, line: 4 });
  });

  it('reads -6v and -p output, a COMM with spaces, and the U type', () => {
    const text = [
      '# tcptracer -6v -p 4242',
      'TYPE         PID    COMM             IP SADDR            DADDR            SPORT  DPORT  NETNS',
      bccLine({ ...base, verbose: true, ip: 6, comm: 'Web Content', saddr: '[fd00:10:244::7]', daddr: '[2001:db8::1]', netns: 4026531992 }),
      bccLine({ ...base, verbose: true, type: 'unknown', ip: 6, saddr: '[::ffff:10.0.0.1]', daddr: '[::1]', netns: 4026531992 }),
      '# tcptracer -4',
      'T  PID    COMM             IP SADDR            DADDR            SPORT  DPORT',
      bccLine({ ...base, verbose: false, type: 'U' }),
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.type, x.comm, x.saddr, x.daddr, x.ipVersion])).toEqual([
      ['connect', 'Web Content', 'fd00:10:244::7', '2001:db8::1', 6],
      ['unknown', 'curl', '::ffff:10.0.0.1', '::1', 6],
      ['unknown', 'curl', '10.244.1.7', '20.50.2.1', 4],
    ]);
  });

  it('guesses the layout of grep\'d rows without a header', () => {
    const text = [
      bccLine({ ...base, ns: 5000, verbose: true, netns: 4026532785 }),
      bccLine({ ...base, verbose: true, type: 'accept', netns: 4026532785 }),
      bccLine({ ...base, s: '1.250', verbose: false, type: 'X' }),
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.tsUs, x.type, x.netns])).toEqual([[5, 'connect', 4026532785], [undefined, 'accept', 4026532785], [1_250_000, 'close', undefined]]);
    expect(tcptracerFormat.sniff(text, 'grep.txt')).toBeGreaterThanOrEqual(0.5);
  });

  it('reports bcc\'s lost-sample notice as data loss', () => {
    const text = `T  PID    COMM             IP SADDR            DADDR            SPORT  DPORT\n${bccLine({ ...base, verbose: false, type: 'C' })}\nPossibly lost 12 samples\n`;
    const r = parse(text);
    expect(r.records).toHaveLength(1);
    expect(r.diagnostics).toMatchObject([{ code: 'TEXT_SOURCE_LOST_EVENTS', severity: 'dataLoss', line: 3 }]);
  });
});

describe('tcptracer robustness', () => {
  const original = sample('aks-snat-runbook/01_tcptracer_-t4v.txt');
  const garbage = ['@@ this is not a row @@', 'connect 12 x 4 1.2.3.4', '4026532785', 'TYPE PID'];

  it('reports interleaved garbage lines at their 1-based line numbers and keeps every event', () => {
    const { text, at } = interleave(original, garbage, 2);
    const r = parse(text);
    expect(r.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE').map((d) => d.line)).toEqual(at);
    const want = parse(original).records;
    expect(r.records.map(strip)).toEqual(want.map(strip));
    expect(r.records.map((x) => x.line)).toEqual(want.map((x) => shifted(x.line, 2)));
  });

  it('parses line by line: each row alone under its header gives the same record', () => {
    const lines = original.trimEnd().split('\n');
    const whole = parse(original).records;
    for (let i = 2; i < lines.length; i++) {
      const one = parse(`${lines[1]}\n${lines[i]}\n`).records;
      expect(one.map(strip)).toEqual([strip(whole[i - 2])]);
    }
  });

  it('reports a last line cut at any point as truncation, not as a malformed line or a wrong event', () => {
    const lastLen = original.trimEnd().split('\n').at(-1)!.length;
    for (let cut = 1; cut < lastLen; cut++) {
      const r = parse(truncate(original, cut));
      expect(r.records, `cut ${cut}`).toHaveLength(7);
      expect(r.diagnostics.at(-1), `cut ${cut}`).toMatchObject({ code: 'TEXT_TRUNCATED', severity: 'dataLoss', line: 10 });
    }
  });
});

describe('tcptracer-count (awk | sort | uniq -c by SADDR, NETNS)', () => {
  const parseCount = (t: string) => tcptracerCountFormat.parse(t, { source: 'test' });

  it('reads the runbook count with exact values', () => {
    const r = parseCount(sample('aks-snat-runbook/02_tcptracer_count_by_saddr_netns.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { count: 387, saddr: '1.2.3.4', netns: 4026532785, line: 2 },
      { count: 8, saddr: '11.22.33.44', netns: 4026532184, line: 3 },
      { count: 8, saddr: '55.66.77.88', netns: 4026531992, line: 4 },
    ]);
  });

  it('reads headerless uniq -c output and other counted columns', () => {
    const bare = '    387 1.2.3.4 4026532785\n      8 11.22.33.44 4026532184\n';
    expect(tcptracerCountFormat.sniff(bare, 'x')).toBeGreaterThanOrEqual(0.5);
    expect(tcptracerFormat.sniff(bare, 'x')).toBe(0);
    expect(parseCount(bare).records[1]).toEqual({ count: 8, saddr: '11.22.33.44', netns: 4026532184, line: 2 });
    const byComm = parseCount('COUNT COMM DPORT\n12 Web Content 443\n3 curl 80\n');
    expect(byComm.records.map((x) => [x.count, x.comm, x.dport])).toEqual([[12, 'Web Content', 443], [3, 'curl', 80]]);
  });

  it('reports garbage with line numbers', () => {
    const { text, at } = interleave(sample('aks-snat-runbook/02_tcptracer_count_by_saddr_netns.txt'), ['%% nope'], 1);
    const r = parseCount(text);
    expect(r.records).toHaveLength(3);
    expect(r.diagnostics.map((d) => d.line)).toEqual(at);
  });
});
