import { describe, expect, it } from 'vitest';
import { rstVerdict, type RstEvidence } from '../../core/analysis/rst/verdict.js';

// The numbers are those of the REJECT-node bundle (fixtures/corpus/reject): the server's packets reach the pod's veth with TTL 63.
const forged: RstEvidence = { ttl: 64, ttlBaseline: 63, ttlBaselineAtPoint: true, ttlBaselinePoint: 'lxc8ab9e4b08f84', ipId: 0, senderPrevIpId: -1, idleBeforeUs: 30, quietBeforeUs: 30, answersSyn: true };
const RULE = '-A FORWARD -d 203.0.113.10/32 -p tcp -m tcp --dport 25 -j REJECT --reject-with tcp-reset';

describe('rstVerdict', () => {
  it('calls a RST made between two interfaces of one node "node", with the matching rule', () => {
    const v = rstVerdict({ ...forged, madeBetween: { seenAt: 'lxc8ab9e4b08f84', missingAt: 'eth0', sameNode: true }, rejectRule: RULE });
    expect(v.verdict).toBe('node');
    expect(v.rule).toBe(RULE);
    expect(v.evidence.join('\n')).toContain('not on eth0');
    expect(v.evidence.join('\n')).toContain('TTL 64 differs from the sender\'s 63 on lxc8ab9e4b08f84');
  });
  it('a one-hop TTL difference at the same capture point is evidence (the old cross-point tolerance of 1 hid the node)', () => {
    expect(rstVerdict(forged).verdict).toBe('middlebox-suspect');
    expect(rstVerdict({ ...forged, ttlBaselineAtPoint: false }).verdict).toBe('endpoint');
  });
  it('a matching REJECT rule with an odd TTL is the node; seen before the node, it is not', () => {
    expect(rstVerdict({ ...forged, rejectRule: RULE }).verdict).toBe('node');
    expect(rstVerdict({ ...forged, rejectRule: RULE, seenUpstream: true }).verdict).toBe('middlebox-suspect');
  });
  it('made between points of different hosts is a middlebox, not this node', () => {
    const v = rstVerdict({ ...forged, ttl: 63, madeBetween: { seenAt: 'eth0', missingAt: 'the capture fw.pcap', sameNode: false } });
    expect(v.verdict).toBe('middlebox-suspect');
    expect(v.rule).toBeNull();
  });
  it('a refused port answered with the server\'s own TTL is the endpoint', () => {
    expect(rstVerdict({ ...forged, ttl: 63 })).toMatchObject({ verdict: 'endpoint', rule: null });
    expect(rstVerdict({ ...forged, ttl: 63, ttlBaseline: -1, answersSyn: false }).verdict).toBe('unknown');
  });
});
