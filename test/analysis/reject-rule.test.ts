import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nftRejectRuleFor, nftRuleText, rejectRuleFor } from '../../core/analysis/rst/reject-rule.js';
import { nftFormat, type NftRule, type NftSet } from '../../core/formats/nft/index.js';
import { iptablesFormat, type IptablesRule } from '../../core/formats/iptables/index.js';
import { LAB, parseFile } from '../formats/node-tools-fixtures.js';

/** Real `iptables-save -c` from a lab netns (fixtures/node-tools/lab): two tcp-reset REJECTs, one icmp REJECT. */
const rules = parseFile(iptablesFormat, join(LAB, 'iptables-save_-c.txt')).records.filter((r): r is IptablesRule => r.type === 'rule');
const pkt = { proto: 'tcp', srcIp: '203.0.113.7', srcPort: 40000, dstIp: '10.66.0.9', dstPort: 9000, syn: true };

describe('rejectRuleFor', () => {
  it('names the tcp-reset REJECT that matches the answered packet, not the earlier icmp-port-unreachable one', () => {
    // 203.0.113.7 → :9000 matches the icmp REJECT first (no RST from that one) and then the tcp-reset rule
    expect(rejectRuleFor(rules, pkt)?.text).toBe('-i eth0 -p tcp -m tcp --dport 9000 -j REJECT --reject-with tcp-reset');
  });
  it('matches destination address and port of the OUTPUT rule, and nothing for another port or protocol', () => {
    expect(rejectRuleFor(rules, { ...pkt, srcIp: '10.66.0.9', dstIp: '198.51.100.9', dstPort: 443 })?.chain).toBe('OUTPUT');
    expect(rejectRuleFor(rules, { ...pkt, srcIp: '10.66.0.9', dstIp: '198.51.100.10', dstPort: 443 })).toBeNull();
    expect(rejectRuleFor(rules, { ...pkt, dstPort: 9001 })).toBeNull();
    expect(rejectRuleFor(rules, { ...pkt, proto: 'udp' })).toBeNull();
  });
  it('honours source CIDRs, their negation and conntrack states', () => {
    const save = parseFile(iptablesFormat, join(LAB, 'iptables-save_-c.txt')).records; // same file, to build variants from real records
    const base = save.find((r): r is IptablesRule => r.type === 'rule' && r.target === 'REJECT' && r.rejectWith === 'tcp-reset' && r.chain === 'INPUT')!;
    const fromPods: IptablesRule = { ...base, source: '10.244.0.0/16' };
    expect(rejectRuleFor([fromPods], { ...pkt, srcIp: '10.244.3.21' })).not.toBeNull();
    expect(rejectRuleFor([fromPods], pkt)).toBeNull();
    expect(rejectRuleFor([{ ...fromPods, sourceNegated: true }], pkt)).not.toBeNull();
    const invalidOnly: IptablesRule = { ...base, states: ['INVALID'] };
    expect(rejectRuleFor([invalidOnly], pkt)).toBeNull(); // a SYN is NEW
    expect(rejectRuleFor([invalidOnly], { ...pkt, syn: false })).not.toBeNull();
  });
});

describe('nftRejectRuleFor', () => {
  // Real `nft list ruleset` from a lab netns (fixtures/node-tools/lab/netns-tools/README.md).
  const recs = parseFile(nftFormat, join(LAB, 'nft_list_ruleset.txt')).records;
  const nft = recs.filter((r): r is NftRule => r.type === 'rule');
  const sets = recs.filter((r): r is NftSet => r.type === 'set');
  const from = (dstIp: string, dstPort: number, more: Partial<typeof pkt> = {}) => nftRejectRuleFor(nft, sets, { ...pkt, srcIp: '10.244.3.21', dstIp, dstPort, ...more });

  it('names the rule by address and port, by port set, by named set and by port range', () => {
    expect(from('203.0.113.10', 25)?.text).toBe('ip daddr 203.0.113.10 tcp dport 25 reject with tcp reset');
    expect(from('198.51.100.77', 8082)?.text).toMatch(/^ip saddr 10\.244\.0\.0\/16 ip daddr != 10\.0\.0\.0\/8 tcp dport \{ 8081, 8082 \}/);
    expect(from('203.0.113.12', 587)?.text).toBe('ip daddr @blocked_smtp tcp dport 587 reject with tcp reset');
    expect(from('198.51.100.30', 9050)?.text).toMatch(/tcp dport 9000-9100/);
    expect(nftRuleText(from('203.0.113.10', 25)!)).toBe('nft table inet filter chain forward: ip daddr 203.0.113.10 tcp dport 25 reject with tcp reset');
  });

  it('no rule for a negated destination, an address outside the set, an ICMP reject, or the other IP version', () => {
    expect(from('10.1.2.3', 8081)).toBeNull();
    expect(from('203.0.113.13', 587)).toBeNull();
    expect(from('192.0.2.40', 80)).toBeNull();
    expect(nftRejectRuleFor(nft, sets, { ...pkt, srcIp: 'fd00::1', dstIp: '2001:db8::10', dstPort: 25 })?.ipVersion).toBe(6);
    expect(nftRejectRuleFor(nft, sets, { ...pkt, srcIp: 'fd00::1', dstIp: '2001:db8::11', dstPort: 25 })).toBeNull();
  });

  it('ct state invalid answers a non-SYN packet of any address, never a SYN', () => {
    expect(from('192.0.2.99', 443, { syn: false })?.ctState?.values).toEqual(['invalid']);
    expect(from('192.0.2.99', 443)).toBeNull();
  });

  it('a named set that was not collected claims nothing', () => {
    expect(nftRejectRuleFor(nft, [], { ...pkt, srcIp: '10.244.3.21', dstIp: '203.0.113.12', dstPort: 587 })).toBeNull();
  });
});
