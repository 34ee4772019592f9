/**
 * Post-ingest passes over hand-built tracker records: NAT halves whose RST was seen on both sides
 * become one RST event, even when nothing tells which half is pre-NAT (equal TTLs, no node
 * identity), a case where each pair is found from both sides.
 */
import { describe, expect, it } from 'vitest';
import { CaseWriter } from '../../core/db/case-writer.js';
import { openCase } from '../../core/db/open-case.js';
import { afterIngest } from '../../core/ingest/correlate-phase.js';
import type { ConnRecord, RstEvent } from '../../core/flows/types.js';

const T = 1_790_000_000_000_000;

function conn(c: Partial<ConnRecord> & Pick<ConnRecord, 'origIp' | 'origPort' | 'connId'>): ConnRecord {
  return {
    proto: 'tcp', respIp: '203.0.113.10', respPort: 443, startUs: T, endUs: T + 5000, lastPktUs: T + 5000, state: 'RSTR', history: 'ShADadr',
    origPkts: 4, respPkts: 3, origBytes: 100, respBytes: 200, origIpBytes: 300, respIpBytes: 360, missedBytes: 0, originGuessed: false, rstBy: 'resp',
    origIsn: 1234567, respIsn: 7654321, origTtl: 64, respTtl: 52, origRequests: 1, sightings: [], tunnel: null, duplicatePkts: 0, icmpErrors: 0, lastIcmpError: null,
    ...c,
  };
}

function rst(connId: number, receiverIp: string, receiverPort: number): RstEvent {
  return {
    connId, tsUs: T + 5000, senderIp: '203.0.113.10', senderPort: 443, receiverIp, receiverPort, senderRole: 'resp', flags: 0x14, seq: 7654321 + 201, ack: 0,
    ttl: 52, ipId: 900, senderPrevTtl: 52, senderPrevIpId: 899, idleBeforeUs: 1000, quietBeforeUs: 1000, answersSyn: false, payloadLen: 0, sightings: [],
  };
}

describe('correlate-phase NAT passes', () => {
  it('keeps one RST event for NAT halves with equal TTLs', () => {
    const db = openCase(':memory:');
    const w = new CaseWriter(db);
    db.exec('BEGIN');
    const src = w.addSource({ path: 'x.pcap', kind: 'pcap', node: null, sha256: 'x', bytes: 0 });
    const sight = [{ sourceId: src, iface: 0, ifindex: -1 }];
    w.addRst({ ...rst(1, '10.244.1.21', 40000), sightings: sight });
    w.addConn(src, conn({ origIp: '10.244.1.21', origPort: 40000, connId: 1, sightings: sight }));
    w.addRst({ ...rst(2, '10.240.0.5', 1024), sightings: sight });
    w.addConn(src, conn({ origIp: '10.240.0.5', origPort: 1024, connId: 2, sightings: sight }));
    db.exec('COMMIT');
    expect((db.prepare('SELECT count(*) AS n FROM flows WHERE nat_peer IS NOT NULL').get() as { n: number }).n).toBe(2);
    expect(() => afterIngest(db, [src])).not.toThrow();
    expect((db.prepare('SELECT count(*) AS n FROM rst_events').get() as { n: number }).n).toBe(1);
    expect((db.prepare('SELECT count(*) AS n FROM rst_sightings').get() as { n: number }).n).toBe(1);
    db.close();
  });
});

describe('RST origin between capture points', () => {
  /** Node A's capture sees the server reset a pod's connection; node B's capture sees the same server on B's uplink with a higher TTL. */
  function twoNodes(rstSeenOnB: boolean, flowSeenOnB: boolean) {
    const db = openCase(':memory:');
    const w = new CaseWriter(db);
    db.exec('BEGIN');
    const a = w.addSource({ path: 'node-a/veth.pcap', kind: 'pcap', node: 'node-a', sha256: 'a', bytes: 0 });
    const b = w.addSource({ path: 'node-b/eth0.pcap', kind: 'pcap', node: 'node-b', sha256: 'b', bytes: 0 });
    const atA = [{ sourceId: a, iface: 0, ifindex: -1 }];
    const atB = [{ sourceId: b, iface: 0, ifindex: -1 }];
    // a RST is written with its connection: queued first, stored by addConn
    w.addRst({ ...rst(1, '10.244.1.21', 40000), ttl: 51, senderPrevTtl: 51, sightings: rstSeenOnB ? [...atA, ...atB] : atA });
    w.addConn(a, conn({ origIp: '10.244.1.21', origPort: 40000, connId: 1, respTtl: 51, sightings: flowSeenOnB ? [...atA, ...atB] : atA }));
    w.addConn(a, conn({ origIp: '10.244.1.21', origPort: 40001, connId: 2, respTtl: 51, state: 'SF', rstBy: null, sightings: atA }));
    w.addConn(b, conn({ origIp: '10.240.0.6', origPort: 50000, connId: 3, respTtl: 52, state: 'SF', rstBy: null, sightings: atB }));
    w.addConn(b, conn({ origIp: '10.240.0.6', origPort: 50001, connId: 4, respTtl: 52, state: 'SF', rstBy: null, sightings: atB }));
    db.exec('COMMIT');
    afterIngest(db, [a, b]);
    const r = db.prepare('SELECT verdict, reason FROM rst_events').get() as { verdict: string; reason: string };
    db.close();
    return r;
  }

  it('another host\'s capture with a higher TTL for the sender is not on this RST\'s path unless it carried the connection', () => {
    expect(twoNodes(false, false).verdict).toBe('endpoint');
  });

  it('a capture that carried the connection but not its RST: made between the two hosts, a middlebox', () => {
    const r = twoNodes(false, true);
    expect(r.verdict).toBe('middlebox-suspect');
    expect(r.reason).toContain('not on the capture eth0.pcap');
  });

  it('seen at both: the endpoint\'s', () => {
    expect(twoNodes(true, true).verdict).toBe('endpoint');
  });
});
