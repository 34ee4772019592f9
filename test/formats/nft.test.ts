import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nftFormat, type NftChain, type NftRecord, type NftRule, type NftSet } from '../../core/formats/nft/index.js';
import { LAB, parseFile } from './node-tools-fixtures.js';

/** Real `nft list ruleset` / `nft -a list ruleset` output (fixtures/node-tools/lab/netns-tools/README.md). */
const plain = parseFile(nftFormat, join(LAB, 'nft_list_ruleset.txt'));
const handles = parseFile(nftFormat, join(LAB, 'nft_-a_list_ruleset.txt'));
const rules = (rs: NftRecord[]) => rs.filter((r): r is NftRule => r.type === 'rule');

describe('nft list ruleset', () => {
  it('reads tables, base chains, named sets and every rule, without diagnostics', () => {
    expect(plain.diagnostics).toEqual([]);
    expect(plain.records.filter((r) => r.type === 'table').map((r) => `${r.family} ${r.table}`)).toEqual(['inet filter', 'ip nat', 'ip filter']);
    const fwd = plain.records.find((r): r is NftChain => r.type === 'chain' && r.chain === 'forward')!;
    expect(fwd).toMatchObject({ family: 'inet', table: 'filter', chainType: 'filter', hook: 'forward', policy: 'accept', line: 13 });
    expect(plain.records.find((r): r is NftSet => r.type === 'set')).toMatchObject({ set: 'blocked_smtp', elements: ['203.0.113.10', '203.0.113.12'] });
    expect(rules(plain.records)).toHaveLength(11);
  });

  it('takes each rule apart: addresses, sets, ports and ranges, conntrack state, the verdict and its reject type', () => {
    const r = rules(plain.records);
    const byLine = (n: number) => r.find((x) => x.line === n)!;
    expect(byLine(15)).toMatchObject({ l4proto: ['tcp'], ctState: { values: ['invalid'] }, verdict: 'reject', rejectWith: 'tcp reset' });
    expect(byLine(16)).toMatchObject({ ipVersion: 4, daddr: { values: ['203.0.113.10'] }, dport: { values: ['25'] }, rejectWith: 'tcp reset' });
    expect(byLine(17)).toMatchObject({ saddr: { values: ['10.244.0.0/16'] }, daddr: { values: ['10.0.0.0/8'], negated: true }, dport: { values: ['8081', '8082'] }, verdict: 'reject' });
    expect(byLine(17).unread).toBeUndefined(); // "counter packets 0 bytes 0" is not a match
    expect(byLine(18)).toMatchObject({ daddr: { set: 'blocked_smtp' } });
    expect(byLine(19)).toMatchObject({ sport: { values: ['1024-65535'] }, dport: { values: ['9000-9100'] } });
    expect(byLine(20)).toMatchObject({ verdict: 'reject', rejectWith: 'icmp admin-prohibited' });
    expect(byLine(21)).toMatchObject({ ipVersion: 6, daddr: { values: ['2001:db8::10'] } });
    expect(r.find((x) => x.table === 'nat')).toMatchObject({ saddr: { values: ['10.244.0.0/16'] }, oifname: { values: ['eth0'] }, verdict: 'masquerade' });
    expect(r.find((x) => x.chain === 'FORWARD')).toMatchObject({ family: 'ip', table: 'filter', daddr: { values: ['198.51.100.31'] }, dport: { values: ['8443'] } });
  });

  it('-a: the same rules with their handles, the handle not part of the text', () => {
    expect(handles.diagnostics).toEqual([]);
    const a = rules(handles.records);
    expect(a.map((r) => r.text)).toEqual(rules(plain.records).map((r) => r.text));
    expect(a.find((r) => r.text.startsWith('ip daddr 203.0.113.10 tcp dport 25'))?.handle).toBe(7);
  });

  it('sniffs as nft, and a line outside any table is a diagnostic naming its line', () => {
    expect(nftFormat.sniff(plain.text, 'x')).toBeGreaterThan(0.9);
    expect(nftFormat.sniff('Chain INPUT (policy ACCEPT)\n', 'x')).toBe(0);
    const bad = nftFormat.parse(`${plain.text}tcp dport 1 drop\n`, { source: 'r.txt' });
    expect(bad.diagnostics).toMatchObject([{ code: 'TEXT_MALFORMED_LINE', line: plain.text.split('\n').length }]);
  });
});
