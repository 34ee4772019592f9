/**
 * Which side Zeek calls the originator when the first packet is not a bare SYN, and what a 5-tuple
 * becomes once it goes on after its RST or FIN. Expected values come from Zeek's code by hand:
 * TCPAnalyzer::WantConnection (packet_analysis/protocol/tcp/TCP.cc), UDPAnalyzer::WantConnection,
 * TCPSessionAdapter::IsReuse / UpdateInactiveState / ConnectionClosed, Connection::FlipRoles, and
 * the Zeek >= 5.1 flip of SYN-ACK-first connections (PR #2191). Client 10.0.0.1, server 10.0.0.2.
 */
import { describe, expect, it } from 'vitest';
import { ZEEK_LIKELY_SERVER_PORTS } from '../../core/flows/likely-server-ports.js';
import { TcpTalk, udpPacket } from '../helpers/packets.js';
import { only, run } from './run-tracker.js';

const S = 1_000_000;

describe('direction of a connection first seen mid-stream (TCP)', () => {
  it('the default likely ports are the server ports Zeek 8.2\'s base protocol scripts register', () => {
    for (const p of [22, 25, 53, 80, 443, 445, 3306, 5432, 6379, 8080]) expect(ZEEK_LIKELY_SERVER_PORTS.tcp).toContain(p);
    for (const p of [53, 123, 137, 161, 443]) expect(ZEEK_LIKELY_SERVER_PORTS.udp).toContain(p);
    // Ports no base analyzer registers stay unlikely, e.g. Kubernetes' own.
    for (const p of [6443, 10250, 2379, 9100]) expect(ZEEK_LIKELY_SERVER_PORTS.tcp).not.toContain(p);
  });

  it('data from a likely server port first: flipped, the other side is the originator', () => {
    const k = new TcpTalk({ sport: 443, cport: 51000 });
    const c = only(run([k.s('PA', 100), k.c('A'), k.c('PA', 20)]));
    expect([c.origIp, c.origPort, c.respPort]).toEqual(['10.0.0.1', 51000, 443]);
    expect(c.history).toBe('^dAD');
    expect(c.state).toBe('OTH');
  });

  it('data from an unlikely port first: the first sender stays the originator, even if it is the server', () => {
    const k = new TcpTalk({ sport: 9100, cport: 51000 });
    const c = only(run([k.s('PA', 100), k.c('A')]));
    expect([c.origIp, c.origPort]).toEqual(['10.0.0.2', 9100]);
    expect(c.history).toBe('Da');
    expect(c.originGuessed).toBe(true);
  });

  it('both ports likely: flipped only when the source port is the lower one', () => {
    // WantConnection: flip_roles = !SYN && src_port < dst_port.
    const low = new TcpTalk({ sport: 80, cport: 443 });
    expect(only(run([low.s('PA', 10)])).history).toBe('^d');
    const high = new TcpTalk({ sport: 443, cport: 80 });
    const c = only(run([high.s('PA', 10)]));
    expect(c.history).toBe('D');
    expect(c.origPort).toBe(443);
  });

  it('no likely ports configured: never flipped by ports', () => {
    const k = new TcpTalk({ sport: 443 });
    const c = only(run([k.s('PA', 100), k.c('A')], { likelyServerPorts: { tcp: [], udp: [] } }));
    expect(c.history).toBe('Da');
    expect(c.origPort).toBe(443);
  });

  it('a SYN-ACK from a likely port first is flipped at once (RSTRH when it then resets)', () => {
    const k = new TcpTalk({ sport: 443 });
    const c = only(run([k.s('SA', 0, { ack: 1001 }), k.s('RA', 0, { seq: 9001 })]));
    expect([c.state, c.history]).toEqual(['RSTRH', '^hr']);
  });

  it('a SYN-ACK from an unlikely port is not flipped by itself: its sender is the originator', () => {
    // WantConnection: "for SYN acks we could safely flip the roles, but that doesn't work for stealth scans".
    const k = new TcpTalk({ sport: 9014 });
    const alone = only(run([k.s('SA', 0, { ack: 1001 })]));
    expect([alone.origPort, alone.state, alone.history]).toEqual([9014, 'OTH', 'H']);
    const k2 = new TcpTalk({ sport: 9014 });
    const reset = only(run([k2.s('SA', 0, { ack: 1001 }), k2.s('RA', 0, { seq: 9001 })]));
    // The RST-ACK resets the SYN_ACK_SENT originator; 'HR' is not RSTOS0's pattern.
    expect([reset.origPort, reset.state, reset.history]).toEqual([9014, 'OTH', 'HR']);
  });

  it('a SYN-ACK from an unlikely port answered by a bare RST is a reject (stealth-scan shape)', () => {
    const k = new TcpTalk({ sport: 9500 });
    const c = only(run([k.s('SA', 0, { ack: 1001 }), k.c('R', 0, { seq: 1001 })]));
    expect([c.origPort, c.state, c.history]).toEqual([9500, 'REJ', 'Hr']);
  });

  it('a SYN-ACK followed by an ACK or data is flipped then (PR #2191), as if flipped at once', () => {
    const mk = (sport: number) => {
      const k = new TcpTalk({ sport });
      k.c('S'); // not captured
      return only(run([k.s('SA'), k.c('A'), k.c('PA', 20), k.s('A'), k.c('FA'), k.s('FA'), k.c('A')]));
    };
    const late = mk(9400);
    const early = mk(443);
    expect([late.origIp, late.origPort, late.respPort]).toEqual(['10.0.0.1', 40000, 9400]);
    expect([late.state, late.history]).toEqual(['SF', '^hADaFf']);
    expect([early.state, early.history]).toEqual(['SF', '^hADaFf']);
    expect([late.origBytes, late.respBytes]).toEqual([20, 0]);
  });

  it('the late flip also happens on the SYN-ACK sender\'s own next ACK', () => {
    const k = new TcpTalk({ sport: 9400 });
    const c = only(run([k.s('SA', 0, { ack: 1001 }), k.s('A', 0, { seq: 9001, ack: 1001 })]));
    expect([c.origIp, c.history]).toEqual(['10.0.0.1', '^ha']);
  });

  it('a SYN after its SYN-ACK on an unlikely port is Zeek\'s SYN/SYN-ACK reversal, not the late flip', () => {
    // UpdateInactiveState: a SYN from the responder whose seq matches, with the originator in
    // SYN_ACK_SENT, flips the roles and establishes both ('^' after the letters seen so far).
    const k = new TcpTalk({ sport: 9400 });
    const syn = k.c('S');
    const sa = k.s('SA', 0, { ts: syn.tsUs - 100 });
    const c = only(run([sa, syn, k.c('A'), k.c('PA', 10)], { likelyServerPorts: { tcp: [], udp: [] } }));
    expect([c.origIp, c.history, c.state]).toEqual(['10.0.0.1', 'Hs^AD', 'S1']);
  });
});

describe('direction of a connection first seen mid-stream (UDP)', () => {
  it('flipped when the source port is likely and the destination is not', () => {
    const c = only(run([udpPacket({ src: '10.0.0.53', sport: 53, dst: '10.0.0.1', dport: 41000, len: 80, ts: 1000 })]));
    expect([c.origIp, c.respPort, c.history, c.state]).toEqual(['10.0.0.1', 53, '^d', 'SHR']);
  });

  it('not flipped when both ports are likely', () => {
    const c = only(run([udpPacket({ src: '10.0.0.53', sport: 53, dst: '10.0.0.1', dport: 5353, len: 80, ts: 1000 })]));
    expect([c.origIp, c.history]).toEqual(['10.0.0.53', 'D']);
  });
});

describe('a 5-tuple that goes on after its RST or FIN', () => {
  const rsto = () => {
    const k = new TcpTalk({ sport: 9301 });
    return { k, pk: [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 64), k.s('PA', 100), k.c('A'), k.c('RA')] };
  };

  it('a SYN after a RST starts a new connection at once (IsReuse: closed)', () => {
    const { k, pk } = rsto();
    const next = new TcpTalk({ sport: 9301, cIsn: 77000, t0: k.t + 100_000 });
    const { conns } = run([...pk, next.c('S'), next.s('SA'), next.c('A'), next.c('FA'), next.s('FA'), next.c('A')]);
    expect(conns.map((c) => [c.state, c.history])).toEqual([['RSTO', 'ShADdR'], ['SF', 'ShAFf']]);
  });

  it('non-SYN packets after a RST join the same record until the delete timer; the peer\'s RST makes it RSTR', () => {
    const { k, pk } = rsto();
    const t = k.t;
    const strayAck = k.c('A', 0, { ts: t + 1 * S, seq: 5000, ack: 6000 });
    const answer = k.s('R', 0, { ts: t + 1 * S + 50, seq: 6000, ack: 0 });
    // tcp_close_delay after the last close (the answer's ConnectionClosed re-arms it): 5 s.
    const later = k.c('A', 0, { ts: t + 1 * S + 50 + 5 * S + 1, seq: 5000, ack: 6000 });
    const laterAnswer = k.s('R', 0, { ts: t + 1 * S + 100 + 5 * S + 1, seq: 6000, ack: 0 });
    const { conns } = run([...pk, strayAck, answer, later, laterAnswer]);
    expect(conns.map((c) => [c.state, c.history])).toEqual([['RSTR', 'ShADdRr'], ['RSTRH', 'Ar']]);
  });

  it('just inside tcp_close_delay the late packet still joins the old record', () => {
    const { k, pk } = rsto();
    const last = pk[pk.length - 1].tsUs;
    const { conns } = run([...pk, k.c('A', 0, { ts: last + 5 * S - 1, seq: 5000, ack: 6000 })]);
    expect(conns.map((c) => c.state)).toEqual(['RSTO']);
    expect(conns[0].origPkts).toBe(6);
  });
});
