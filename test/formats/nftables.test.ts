import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nftablesFormat } from '../../core/formats/nftables/index.js';
import { iptablesFormat, type IptablesRule } from '../../core/formats/iptables/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';

const V = 'fixtures/node-tools/lab/variants';
const read = (n: string) => readFileSync(`${V}/${n}`, 'utf8');
const rules = (n: string) => {
  const r = nftablesFormat.parse(read(n), { source: n });
  expect(r.diagnostics, n).toEqual([]);
  return r.records.filter((x): x is IptablesRule => x.type === 'rule');
};

describe('nft list ruleset (lab, fixtures/node-tools/lab/variants/README.md)', () => {
  it('is detected as nftables, and an iptables ruleset is not', () => {
    expect(detectTextFormat(read('nft_list_ruleset_native.txt'), 'x')?.format.kind).toBe('nftables');
    expect(detectTextFormat(read('nft_list_ruleset_iptables-nft.txt'), 'x')?.format.kind).toBe('nftables');
    expect(nftablesFormat.sniff(read('iptables-save_-c.txt'), 'x')).toBe(0);
  });

  it('REJECT, DROP and DNAT rules read as the iptables reader reads them, with counters', () => {
    const r = rules('nft_list_ruleset_native.txt');
    expect(r.map((x) => [x.table, x.chain, x.num, x.target, x.protocol ?? null, x.dportNumbers ?? null, x.destination ?? x.source ?? null, x.packets, x.rejectWith ?? x.toDestination ?? null, x.comment ?? null])).toEqual([
      ['kube-proxy', 'services', 1, 'DNAT', 'udp', [53], '10.96.0.10', 2, '10.99.13.4:53', 'kube-system/kube-dns:dns'],
      ['kube-proxy', 'filter-services', 1, 'REJECT', 'tcp', [80], '10.96.0.20', 0, 'icmp-host-unreachable', 'default/empty:http has no endpoints'],
      ['kube-proxy', 'nat-output', 1, 'services', null, null, null, 3, null, null],
      ['kube-proxy', 'filter-output', 1, 'filter-services', null, null, null, 6, null, null],
      ['kube-proxy', 'filter-input', 1, 'REJECT', 'tcp', [10250], null, 1, 'tcp-reset', null],
      ['kube-proxy', 'filter-input', 2, 'DROP', 'tcp', [22, 2222], '192.0.2.0/24', 0, null, null],
    ]);
  });

  it('the iptables-nft view of an iptables-save dump holds the same rules and counters', () => {
    const nft = rules('nft_list_ruleset_iptables-nft.txt');
    const save = iptablesFormat.parse(read('iptables-save_-c.txt'), { source: 's' }).records.filter((x): x is IptablesRule => x.type === 'rule');
    const key = (x: IptablesRule) => `${x.table} ${x.chain} ${x.target} ${x.packets} ${x.bytes} ${(x.dportNumbers ?? []).join(',')}`;
    expect(nft.map(key).sort()).toEqual(save.map(key).sort());
  });

  it('a dump cut inside a table says so', () => {
    const text = read('nft_list_ruleset_native.txt').split('\n').slice(0, 10).join('\n');
    const r = nftablesFormat.parse(text, { source: 'cut' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
    expect(r.records.some((x) => x.type === 'rule' && x.target === 'DNAT')).toBe(true);
  });
});

describe('nftables rules in a case', () => {
  it('a REJECT of the kubelet port in nft makes the kubelet-blocked finding, citing the line', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openCase } = await import('../../core/db/open-case.js');
    const { ingestPaths } = await import('../../core/ingest/ingest.js');
    const { listFindings } = await import('../../core/analysis/findings/findings.js');
    const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-nft-')), 'c.db'));
    await ingestPaths(db, [`${V}/nft_list_ruleset_native.txt`]);
    const f = listFindings(db).find((x) => x.id === 'kubelet-blocked');
    expect(f?.evidence).toEqual([{ source: `${V}/nft_list_ruleset_native.txt`, lines: [28] }]);
  });
});
