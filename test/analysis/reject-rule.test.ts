import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejectRuleFor } from '../../core/analysis/reject-rule.js';
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
