/**
 * NAT pairing as flows are written: paired halves leave the waiting map at once, and unpaired ones
 * are let go from the oldest when the map is full, so a long capture costs O(1) per flow (a full
 * scan per flow over the cap made a 2 GB capture take minutes).
 */
import { describe, expect, it } from 'vitest';
import { CaseWriter, FIND_TWIN_NO_ISN_SQL, FIND_TWIN_SQL, NAT_MAP_MAX } from '../../core/db/case-writer.js';
import { openCase } from '../../core/db/open-case.js';
import type { ConnRecord } from '../../core/flows/types.js';

const T = 1_790_000_000_000_000;

function conn(i: number, origIp: string, origPort: number, isn: number): ConnRecord {
  return {
    proto: 'tcp', origIp, origPort, respIp: '203.0.113.10', respPort: 443, startUs: T + i, endUs: T + i + 1000, lastPktUs: T + i + 1000, state: 'SF', history: 'ShADadFf',
    origPkts: 4, respPkts: 3, origBytes: 10, respBytes: 20, origIpBytes: 100, respIpBytes: 100, missedBytes: 0, originGuessed: false, rstBy: null,
    origIsn: isn, respIsn: isn + 7, origTtl: 64, respTtl: 52, origRequests: 1, sightings: [], tunnel: null, duplicatePkts: 0, icmpErrors: 0, lastIcmpError: null, connId: i,
  };
}

describe('NAT pairing while writing', () => {
  it('pairs the two halves and keeps neither waiting', () => {
    const db = openCase(':memory:');
    const w = new CaseWriter(db);
    const src = w.addSource({ path: 'x.pcap', kind: 'pcap', node: null, sha256: 'x', bytes: 0 });
    const a = w.addConn(src, conn(1, '10.244.1.21', 40000, 1234));
    const b = w.addConn(src, conn(2, '10.240.0.5', 1024, 1234));
    expect(w.natLinked).toBe(2);
    expect(w.natCandidatesWaiting).toBe(0);
    expect(db.prepare('SELECT id, nat_peer FROM flows ORDER BY id').all()).toEqual([{ id: a, nat_peer: b }, { id: b, nat_peer: a }]);
    db.close();
  });

  it('keeps at most NAT_MAP_MAX unpaired halves, and still pairs recent ones', () => {
    const db = openCase(':memory:');
    const w = new CaseWriter(db);
    const src = w.addSource({ path: 'x.pcap', kind: 'pcap', node: null, sha256: 'x', bytes: 0 });
    db.exec('BEGIN');
    const n = NAT_MAP_MAX + 20_000;
    for (let i = 0; i < n; i++) w.addConn(src, conn(i, `10.244.${(i >> 16) & 255}.${(i >> 8) & 255}`, 1024 + (i & 0xff), i));
    expect(w.natCandidatesWaiting).toBeLessThanOrEqual(NAT_MAP_MAX);
    // The newest unpaired half finds its partner.
    w.addConn(src, conn(n, '10.240.0.5', 2000, n - 1));
    expect(w.natLinked).toBe(2);
    db.exec('COMMIT');
    db.close();
  });
});

describe('finding the same connection in another source', () => {
  // Many earlier flows to one service is what made the lookup walk: the plan must not depend on it.
  function caseWithOneBusyService(n: number) {
    const db = openCase(':memory:');
    const w = new CaseWriter(db);
    const a = w.addSource({ path: 'a.pcap', kind: 'pcap', node: null, sha256: 'a', bytes: 0 });
    db.exec('BEGIN');
    for (let i = 0; i < n; i++) w.addConn(a, conn(i * 10, `10.244.0.${1 + (i % 200)}`, 20000 + i, 5000 + i));
    db.exec('COMMIT');
    db.exec('ANALYZE');
    return db;
  }

  it('looks twins up by the full tuple, not by the service and a time range (EXPLAIN QUERY PLAN)', () => {
    const db = caseWithOneBusyService(2000);
    for (const [sql, args] of [[FIND_TWIN_SQL, 10], [FIND_TWIN_NO_ISN_SQL, 8]] as const) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(args).fill(1)) as { detail: string }[];
      expect(plan.map((p) => p.detail)).toEqual(['SEARCH flows USING INDEX flows_tuple (orig_ip=? AND orig_port=? AND resp_ip=? AND resp_port=?)']);
    }
    db.close();
  });

  it('still merges each connection a second capture saw again', () => {
    const db = caseWithOneBusyService(500);
    const w = new CaseWriter(db);
    const b = w.addSource({ path: 'b.pcap', kind: 'pcap', node: null, sha256: 'b', bytes: 0 });
    db.exec('BEGIN');
    for (let i = 0; i < 500; i++) w.addConn(b, conn(i * 10 + 3, `10.244.0.${1 + (i % 200)}`, 20000 + i, 5000 + i));
    db.exec('COMMIT');
    expect(w.flowsMerged).toBe(500);
    expect(w.flowsWritten).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n).toBe(500);
    db.close();
  });
});
