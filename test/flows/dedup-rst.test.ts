/**
 * `-i any` dedup (one packet at several capture points counts once, retransmissions still count)
 * and the RST events: sender role, TTL/IP-ID evidence, idle time, answersSyn, sightings.
 */
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../core/decode/packet.js';
import { ConnTracker } from '../../core/flows/tracker.js';
import type { RstEvent } from '../../core/flows/types.js';
import { at, copyAt, TcpTalk, udpPacket } from '../helpers/packets.js';
import { only, run } from './run-tracker.js';

const S = 1_000_000;

const VETH = { ifindex: 12, sllPktType: 0 };
const ETH0 = { ifindex: 2, sllPktType: 4 };

/** An `-i any` capture: each packet as the pod's veth saw it, then its forwarded copy leaving eth0. */
function twice(pkts: Packet[]): Packet[] {
  return pkts.flatMap((p) => [at(p, VETH), copyAt(p, ETH0)]);
}

describe('-i any dedup', () => {
  it('a connection seen on two interfaces is counted once, with both sightings', () => {
    const k = new TcpTalk();
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 100), k.s('A'), k.c('FA'), k.s('FA'), k.c('A')];
    const single = only(run(pk));
    const r = run(twice(pk));
    const c = only(r);
    expect(c.history).toBe(single.history);
    expect(c.history).toBe('ShADaFf');
    expect([c.origPkts, c.respPkts, c.origBytes, c.origIpBytes]).toEqual([single.origPkts, single.respPkts, 100, single.origIpBytes]);
    expect(c.duplicatePkts).toBe(pk.length);
    expect(c.sightings).toEqual([{ sourceId: 7, iface: 0, ifindex: 12 }, { sourceId: 7, iface: 0, ifindex: 2 }]);
    expect(r.tracker.stats.duplicates).toBe(pk.length);
    // The first copy's TTL is the one kept.
    expect(c.origTtl).toBe(64);
  });

  it('still counts copies once after a quiet spell longer than the sweep (the ring is dropped, then rebuilt)', () => {
    const k = new TcpTalk();
    const hs = [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 100), k.s('A')];
    // 30 s of quiet: several sweeps (every 5 s of packet time) pass while the connection is open.
    k.t += 30 * S;
    const later = [k.c('PA', 50), k.s('A'), k.c('FA'), k.s('FA'), k.c('A')];
    const single = only(run([...hs, ...later]));
    const c = only(run(twice([...hs, ...later])));
    expect([c.origPkts, c.respPkts, c.origBytes, c.history]).toEqual([single.origPkts, single.respPkts, 150, single.history]);
    expect(c.duplicatePkts).toBe(hs.length + later.length);
  });

  it('a genuine retransmission (new IP ID) on the other interface still counts and makes a T', () => {
    const k = new TcpTalk();
    const hs = [k.c('S'), k.s('SA'), k.c('A')];
    const data = k.c('PA', 100);
    const rexmit = at(k.c('PA', 100, { seq: 1001, keepSeq: true, ts: data.tsUs + 50 }), ETH0);
    const c = only(run([...twice(hs), at(data, VETH), rexmit]));
    expect(c.history).toBe('ShADT');
    expect(c.origPkts).toBe(4);
    expect(c.duplicatePkts).toBe(3);
  });

  it('the same IP ID later than the dedup window is a retransmission, not a copy', () => {
    const k = new TcpTalk();
    const hs = [k.c('S'), k.s('SA'), k.c('A')];
    const data = k.c('PA', 100);
    const late = copyAt(data, ETH0, 200_000);
    const c = only(run([...twice(hs), at(data, VETH), late]));
    expect(c.history).toBe('ShADT');
    expect(c.duplicatePkts).toBe(3);
  });

  it('a repeat on the same capture point is not a copy (it is a retransmission)', () => {
    const k = new TcpTalk();
    const hs = twice([k.c('S'), k.s('SA'), k.c('A')]);
    const data = at(k.c('PA', 100), VETH);
    const c = only(run([...hs, data, { ...data, tsUs: data.tsUs + 10 }]));
    expect(c.history).toBe('ShADT');
    expect(c.duplicatePkts).toBe(3);
  });

  it('SLL v1 (no ifindex): a copy at the "same" point counts once only when forwarding changed its TTL', () => {
    const k = new TcpTalk();
    const syn = at(k.c('S'), { sllPktType: 0 });
    const data = at(k.c('PA', 10, { ts: syn.tsUs + 1000 }), { sllPktType: 0 });
    const r = run([syn, copyAt(syn, { sllPktType: 0 }), data, { ...data, tsUs: data.tsUs + 5 }]);
    const c = only(r);
    expect(c.duplicatePkts).toBe(1);
    expect(c.history).toBe('SDT');
  });

  it('loopback: outgoing and incoming copies on the same interface are one packet', () => {
    const k = new TcpTalk({ client: '127.0.0.1', server: '127.0.0.1', sport: 8080 });
    const lo = { ifindex: 1 };
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 10)].flatMap((p) => [at(p, { ...lo, sllPktType: 4 }), copyAt(p, { ...lo, sllPktType: 0 }, 3, 0)]);
    const c = only(run(pk));
    expect(c.history).toBe('ShAD');
    expect(c.duplicatePkts).toBe(4);
    expect(c.sightings).toEqual([{ sourceId: 7, iface: 0, ifindex: 1 }]);
  });

  it('UDP copies are deduplicated by IP ID and length', () => {
    const q = udpPacket({ src: '10.1.0.5', sport: 3333, dst: '10.96.0.10', dport: 53, len: 40, ts: 1000, ipId: 77 });
    const q2 = udpPacket({ src: '10.1.0.5', sport: 3333, dst: '10.96.0.10', dport: 53, len: 40, ts: 500_000, ipId: 78 });
    const c = only(run([at(q, VETH), copyAt(q, ETH0), at(q2, VETH)]));
    expect([c.origPkts, c.duplicatePkts, c.origBytes]).toEqual([2, 1, 80]);
  });

  it('stays off while the capture has a single, non-cooked capture point', () => {
    const k = new TcpTalk();
    const data = k.c('PA', 10);
    const c = only(run([data, { ...data, tsUs: data.tsUs + 5, ttl: 63 }]));
    expect(c.history).toBe('DT');
    expect(c.duplicatePkts).toBe(0);
  });

  it('multi-interface pcapng (no SLL): copies are found once the second interface has appeared', () => {
    // The packet that first shows interface 1 cannot be matched (nothing was remembered before).
    const k = new TcpTalk();
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 100), k.s('A')].flatMap((p) => [p, copyAt(p, { iface: 1 })]);
    const c = only(run(pk));
    expect(c.duplicatePkts).toBe(4);
    expect(c.origPkts).toBe(4);
    expect(c.history).toBe('ShADa');
    expect(c.sightings).toEqual([{ sourceId: 7, iface: 0, ifindex: -1 }, { sourceId: 7, iface: 1, ifindex: -1 }]);
  });
});

describe('RST events', () => {
  it('responder RST after idle: role, TTL and IP ID baselines, idle time', () => {
    const k = new TcpTalk();
    k.sTtl = 60;
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 10), k.s('PA', 20)];
    const lastServer = pk[4];
    const rst = k.s('R', 0, { ts: lastServer.tsUs + 30 * S, ttl: 250, ipId: 7 });
    const { rsts, conns } = run([...pk, rst]);
    expect(rsts).toHaveLength(1);
    const e = rsts[0];
    expect(e).toMatchObject({
      connId: conns[0].connId, senderIp: '10.0.0.2', senderPort: 80, receiverIp: '10.0.0.1', receiverPort: 40000,
      senderRole: 'resp', ttl: 250, ipId: 7, senderPrevTtl: 60, senderPrevIpId: lastServer.ipId,
      idleBeforeUs: 30 * S, answersSyn: false, seq: 9021, payloadLen: 0,
    });
    expect(e.sightings).toEqual([{ sourceId: 7, iface: 0, ifindex: -1 }]);
    expect(conns[0].rstBy).toBe('resp');
  });

  it('a RST answering a SYN: answersSyn, no sender baseline', () => {
    const k = new TcpTalk();
    const { rsts } = run([k.c('S'), k.s('RA', 0, { seq: 0 })]);
    expect(rsts[0]).toMatchObject({ senderRole: 'resp', answersSyn: true, senderPrevTtl: -1, senderPrevIpId: -1, idleBeforeUs: 1000 });
  });

  it('originator RST', () => {
    const k = new TcpTalk();
    const { rsts } = run([k.c('S'), k.s('SA'), k.c('A'), k.c('RA')]);
    expect(rsts[0]).toMatchObject({ senderRole: 'orig', answersSyn: false, senderPrevTtl: 64 });
  });

  it('RST on a connection without a SYN: role unknown; first packet: idle -1', () => {
    const k = new TcpTalk();
    const { rsts } = run([k.s('R', 0, { seq: 123 })]);
    expect(rsts[0]).toMatchObject({ senderRole: 'unknown', idleBeforeUs: -1, answersSyn: false });
  });

  it('one RST seen on two interfaces is one event with two sightings, emitted after the dedup window', () => {
    const got: RstEvent[] = [];
    const tr = new ConnTracker({ sourceId: 3, onConn: () => {}, onRst: (e) => got.push(e) });
    const k = new TcpTalk();
    for (const p of twice([k.c('S'), k.s('SA'), k.c('A')])) tr.push(p);
    const r = at(k.s('RA'), ETH0);
    tr.push(r);
    tr.push(copyAt(r, VETH, 40, 1));
    expect(got).toHaveLength(0); // still collecting copies
    tr.push(at(k.c('A', 0, { ts: r.tsUs + 50_000 }), VETH));
    expect(got).toHaveLength(1);
    expect(got[0].sightings).toEqual([{ sourceId: 3, iface: 0, ifindex: 2 }, { sourceId: 3, iface: 0, ifindex: 12 }]);
    tr.flush();
    expect(got).toHaveLength(1);
  });
});
