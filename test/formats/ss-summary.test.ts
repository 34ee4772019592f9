import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTextFormat } from '../../core/formats/registry.js';
import { ssSummaryFormat } from '../../core/formats/ss-summary/index.js';
import { codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

/** Made by iproute2's ss in lab namespaces and on the lab host (fixtures/node-tools/iproute-ss-ipvs/README.md). */
const DIR = join(__dirname, '../../fixtures/node-tools/iproute-ss-ipvs');
const parse = (text: string) => ssSummaryFormat.parse(text, { source: 't' });

describe('ss -s', () => {
  it('is detected for every lab summary', () => {
    for (const n of ['ss_-s_netns.txt', 'ss_-s_netns_busy.txt', 'ss_-s_host.txt']) expect(detectTextFormat(read(join(DIR, n)), n)?.format.kind, n).toBe('ss-summary');
  });

  it('reads the totals, the TCP state counters and the transport table', () => {
    const r = parseFile(ssSummaryFormat, join(DIR, 'ss_-s_netns_busy.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { type: 'total', sockets: 4, line: 1 },
      { type: 'tcp', total: 26, estab: 2, closed: 23, orphaned: 0, timewait: 4, line: 2 },
      { type: 'transport', transport: 'RAW', total: 0, ip: 0, ipv6: 0, line: 5 },
      { type: 'transport', transport: 'UDP', total: 1, ip: 0, ipv6: 1, line: 6 },
      { type: 'transport', transport: 'TCP', total: 3, ip: 3, ipv6: 0, line: 7 },
      { type: 'transport', transport: 'INET', total: 4, ip: 3, ipv6: 1, line: 8 },
      { type: 'transport', transport: 'FRAG', total: 0, ip: 0, ipv6: 0, line: 9 },
    ]);
    expect(parseFile(ssSummaryFormat, join(DIR, 'ss_-s_host.txt')).records[1]).toMatchObject({ type: 'tcp', total: 3, closed: 2, timewait: 1 });
  });

  it('reads the old layout with the kernel total, synrecv, time-wait buckets and ports', () => {
    // Layout printed by iproute2 before 4.x (misc/ss.c print_summary): `(kernel N)`, `synrecv`, `timewait X/Y), ports P`.
    const r = parse('Total: 1081 (kernel 1101)\nTCP:   245 (estab 166, closed 56, orphaned 0, synrecv 0, timewait 55/0), ports 0\n\nTransport Total     IP        IPv6\n*\t  1101      -         -        \nRAW\t  0         0         0        \n');
    expect(r.diagnostics).toEqual([]);
    expect(r.records.slice(0, 3)).toEqual([
      { type: 'total', sockets: 1081, kernel: 1101, line: 1 },
      { type: 'tcp', total: 245, estab: 166, closed: 56, orphaned: 0, timewait: 55, synrecv: 0, timewaitBuckets: 0, ports: 0, line: 2 },
      { type: 'transport', transport: '*', total: 1101, ip: 0, ipv6: 0, line: 5 },
    ]);
  });

  it('reports garbage and a cut last line', () => {
    const text = read(join(DIR, 'ss_-s_netns_busy.txt'));
    const lines = text.split('\n');
    lines.splice(2, 0, 'TCP:   26 (estab two)');
    expect(codes(parse(lines.join('\n')).diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3']);
    expect(codes(parse(cutEnd(text, 12)).diagnostics)).toEqual(['TEXT_TRUNCATED@9']);
  });
});
