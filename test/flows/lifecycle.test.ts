/**
 * When a connection ends and what the same 5-tuple means next: Zeek's timers (TCPSessionAdapter
 * AttemptTimer, ExpireTimer, close/reset delete timers, Session::InactivityTimer) and IsReuse().
 */
import { describe, expect, it } from 'vitest';
import { ConnTracker } from '../../core/flows/tracker.js';
import type { ConnRecord } from '../../core/flows/types.js';
import { TcpTalk, udpPacket } from '../helpers/packets.js';
import { run } from './run-tracker.js';

const S = 1_000_000;

describe('connection reuse (IsReuse)', () => {
  it('a new SYN with a new ISN after a FIN close starts a new connection', () => {
    const k = new TcpTalk();
    const first = [k.c('S'), k.s('SA'), k.c('A'), k.c('FA'), k.s('FA'), k.c('A')];
    const k2 = new TcpTalk({ t0: k.t + 0.5 * S, cIsn: 777777, sIsn: 555 });
    const { conns, tracker } = run([...first, k2.c('S'), k2.s('SA'), k2.c('A')]);
    expect(conns.map((c) => [c.state, c.history, c.origIsn])).toEqual([['SF', 'ShAFf', 1000], ['S1', 'ShA', 777777]]);
    expect(tracker.stats.reused).toBe(1);
  });

  it('a new SYN after a RST starts a new connection', () => {
    const k = new TcpTalk();
    const first = [k.c('S'), k.s('SA'), k.c('A'), k.s('R')];
    const k2 = new TcpTalk({ t0: k.t + 100, cIsn: 424242 });
    const { conns } = run([...first, k2.c('S')]);
    expect(conns.map((c) => [c.state, c.history])).toEqual([['RSTR', 'ShAr'], ['S0', 'S']]);
  });

  it('a SYN with a different ISN on an open connection is a reuse too', () => {
    const k = new TcpTalk();
    const first = [k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 10)];
    const { conns } = run([...first, k.c('S', 0, { seq: 123456 })]);
    expect(conns.map((c) => [c.state, c.history])).toEqual([['S1', 'ShAD'], ['S0', 'S']]);
  });

  it('a SYN retransmitted with the same ISN stays in the connection', () => {
    const k = new TcpTalk();
    const syn = k.c('S');
    const { conns } = run([syn, k.c('S', 0, { seq: 1000, keepSeq: true }), k.s('SA'), k.c('A')]);
    expect(conns.length).toBe(1);
    expect(conns[0].origPkts).toBe(3);
  });
});

describe('timeouts (packet time)', () => {
  it('S0 ends tcp_attempt_delay (5 s) after the first SYN: a later retransmission is a new connection', () => {
    // AttemptTimer at first SYN + 5 s: orig SYN_SENT, resp INACTIVE -> removed.
    const k = new TcpTalk();
    const s0 = k.c('S');
    const re = (dt: number) => k.c('S', 0, { seq: 1000, keepSeq: true, ts: s0.tsUs + dt });
    const { conns } = run([s0, re(1 * S), re(3 * S), re(7 * S)]);
    expect(conns.map((c) => [c.state, c.history, c.origPkts])).toEqual([['S0', 'S', 3], ['S0', 'S', 1]]);
  });

  it('an established connection idle for 5 min ends (tcp_inactivity_timeout); less is the same connection', () => {
    const mk = (idle: number) => {
      const k = new TcpTalk();
      const pk = [k.c('S'), k.s('SA'), k.c('A')];
      pk.push(k.c('PA', 10, { ts: pk[2].tsUs + idle }));
      return run(pk).conns;
    };
    expect(mk(299 * S).map((c) => c.state)).toEqual(['S1']);
    const ended = mk(300 * S);
    expect(ended.map((c) => [c.state, c.history])).toEqual([['S1', 'ShA'], ['OTH', 'D']]);
  });

  it('a RST after our own FIN ends the connection tcp_reset_delay (5 s) later (ResetTimer)', () => {
    // UpdateClosedState: RST while the peer is not CLOSED -> RESET and a ResetTimer.
    const mk = (dt: number) => {
      const k = new TcpTalk();
      const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('FA'), k.c('R')];
      return run([...pk, k.s('PA', 5, { ts: pk[4].tsUs + dt })]).conns.map((c) => [c.state, c.history]);
    };
    expect(mk(4 * S)).toEqual([['RSTO', 'ShAFRd']]);
    // The server's late segment opens a new partial connection from port 80, a likely server port:
    // TCPAnalyzer::WantConnection flips it ('^'), so the client stays the originator.
    expect(mk(6 * S)).toEqual([['RSTO', 'ShAFR'], ['OTH', '^d']]);
  });

  it('a half-closed connection (S2) lingers until tcp_inactivity_timeout', () => {
    // ConnectionClosed without close_complete schedules ExpireTimer, which only removes once a side is
    // reset or inactive or both closed; so the 5 min inactivity timeout ends it.
    const k = new TcpTalk();
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('FA')];
    const t = pk[3].tsUs;
    const { conns } = run([...pk, k.s('PA', 5, { ts: t + 200 * S }), k.s('PA', 5, { ts: t + 200 * S + 301 * S })]);
    // The new partial connection starts from the server's port 80: flipped by likely_server_ports.
    expect(conns.map((c) => [c.state, c.history])).toEqual([['S2', 'ShAFd'], ['OTH', '^d']]);
  });

  it('after a full close the state lingers tcp_close_delay (5 s): a late ACK joins, a later one starts anew', () => {
    const k = new TcpTalk();
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.c('FA'), k.s('FA')];
    const last = pk[4].tsUs;
    const joined = run([...pk, k.c('A', 0, { ts: last + 4 * S })]).conns;
    expect(joined.map((c) => [c.state, c.origPkts])).toEqual([['SF', 4]]);
    const k2 = new TcpTalk();
    const pk2 = [k2.c('S'), k2.s('SA'), k2.c('A'), k2.c('FA'), k2.s('FA')];
    const apart = run([...pk2, k2.c('A', 0, { ts: last + 6 * S })]).conns;
    expect(apart.map((c) => [c.state, c.history])).toEqual([['SF', 'ShAFf'], ['OTH', 'A']]);
  });

  it('a RST ends the connection 5 s later; packets after that start a new (partial) one', () => {
    const k = new TcpTalk();
    const pk = [k.c('S'), k.s('SA'), k.c('A'), k.s('R')];
    const t = pk[3].tsUs;
    const { conns } = run([...pk, k.c('PA', 10, { ts: t + 2 * S }), k.c('PA', 10, { ts: t + 8 * S })]);
    expect(conns.map((c) => [c.state, c.history])).toEqual([['RSTR', 'ShArD'], ['OTH', 'D']]);
  });

  it('UDP ends after 1 min without packets', () => {
    const q = (ts: number) => udpPacket({ src: '10.0.0.1', sport: 1000, dst: '10.0.0.2', dport: 53, len: 10, ts });
    expect(run([q(0), q(59 * S)]).conns.length).toBe(1);
    expect(run([q(0), q(60 * S)]).conns.length).toBe(2);
  });

  it('custom timeouts apply', () => {
    const q = (ts: number) => udpPacket({ src: '10.0.0.1', sport: 1000, dst: '10.0.0.2', dport: 53, len: 10, ts });
    expect(run([q(0), q(2 * S)], { timeouts: { udpInactivityUs: 1 * S } }).conns.length).toBe(2);
  });

  it('ended connections are emitted while packets flow (bounded memory), not only at flush', () => {
    const seen: ConnRecord[] = [];
    const tr = new ConnTracker({ sourceId: 1, onConn: (c) => seen.push(c), onRst: () => {} });
    const k = new TcpTalk();
    for (const p of [k.c('S'), k.s('SA'), k.c('A'), k.c('FA'), k.s('FA'), k.c('A')]) tr.push(p);
    const other = new TcpTalk({ cport: 50000, t0: k.t });
    tr.push(other.c('S'));
    for (let i = 1; i <= 20; i++) tr.push(other.c('S', 0, { seq: 1000, keepSeq: true, ts: k.t + i * 0.5 * S }));
    expect(seen.map((c) => [c.origPort, c.state])).toContainEqual([40000, 'SF']);
    expect(tr.stats.active).toBeLessThanOrEqual(1);
    tr.flush();
    expect(tr.stats.active).toBe(0);
  });
});
