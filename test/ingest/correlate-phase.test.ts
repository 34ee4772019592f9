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
