/**
 * Every conn_state, on hand-built packet sequences. Expected values come from running Zeek's code by
 * hand: TCPSessionAdapter.cc (Update*State, ConnectionClosed), TCP_Endpoint.cc (Size) and
 * conn_state() in scripts/base/protocols/conn/main.zeek. Client 10.0.0.1:40000 (ISN 1000),
 * server 10.0.0.2:80 (ISN 9000).
 */
import { describe, expect, it } from 'vitest';
import { TcpTalk, udpPacket } from '../helpers/packets.js';
import { only, run } from './run-tracker.js';

describe('conn_state (TCP)', () => {
  it('SF: handshake, data both ways, FIN both ways', () => {
    // UpdateEstablishedState: FIN -> CLOSED on each side; conn_state: both CLOSED -> SF.
    // Size(): orig last_seq 1102 - start 1000 = 102, minus SYN and FIN octets = 100.
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 100), k.s('A'), k.s('PA', 200), k.c('A'), k.c('FA'), k.s('FA'), k.c('A')]));
    expect(c.state).toBe('SF');
    expect(c.history).toBe('ShADadFf');
    expect([c.origBytes, c.respBytes]).toEqual([100, 200]);
    expect([c.origPkts, c.respPkts]).toEqual([6, 4]);
    // ConnSize: IP total lengths (40-byte headers here).
    expect([c.origIpBytes, c.respIpBytes]).toEqual([6 * 40 + 100, 4 * 40 + 200]);
    expect(c.originGuessed).toBe(false);
    expect([c.origIsn, c.respIsn]).toEqual([1000, 9000]);
    expect([c.origIp, c.origPort, c.respIp, c.respPort]).toEqual(['10.0.0.1', 40000, '10.0.0.2', 80]);
    // The last ACK comes after both sides closed: Zeek does not move last_time for it.
    expect(c.endUs).toBe(c.startUs + 8 * 1000);
    expect(c.lastPktUs).toBe(c.startUs + 9 * 1000);
  });

  it('SF after FIN then RST from the originator, once the responder closes too', () => {
    // UpdateClosedState: RST after our FIN -> RESET; UpdateEstablishedState: the peer's FIN turns a
    // RESET whose previous state was CLOSED back into CLOSED ("actually normal termination").
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A'), k.c('FA'), k.c('R'), k.s('FA')]));
    expect(c.history).toBe('ShAFRf');
    expect(c.state).toBe('SF');
  });

  it('S0: SYN only, retransmitted with the same ISN', () => {
    // UpdateInactiveState: SYN -> SYN_SENT; a repeated SYN with the same relative seq adds no 'S'
    // (update_history compares with hist_last_SYN); conn_state: SYN_SENT/INACTIVE -> S0.
    const k = new TcpTalk();
    const syn = k.c('S');
    const again = k.c('S', 0, { seq: 1000, keepSeq: true, ts: syn.tsUs + 1_000_000 });
    const c = only(run([syn, again]));
    expect(c.state).toBe('S0');
    expect(c.history).toBe('S');
    expect(c.origPkts).toBe(2);
    expect(c.origBytes).toBe(0);
  });

  it('REJ: SYN answered by RST-ACK', () => {
    // Responder INACTIVE + RST while orig is SYN_SENT: is_reject; conn_state: rs RESET, os SYN_SENT -> REJ.
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('RA', 0, { seq: 0 })]));
    expect(c.state).toBe('REJ');
    expect(c.history).toBe('Sr');
    expect(c.rstBy).toBe('resp');
  });

  it('REJ also when both sides reset with no data (os RESET, both sizes 0)', () => {
    // conn_state: rs RESET and os RESET with orig size 0 and resp size 0 -> REJ.
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('RA', 0, { seq: 0 }), k.c('R', 0, { seq: 1001 })]));
    expect(c.state).toBe('REJ');
    expect(c.history).toBe('SrR');
    expect(c.rstBy).toBe('both');
  });

  it('S1: established, never closed', () => {
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A')]));
    expect(c.state).toBe('S1');
    expect(c.history).toBe('ShA');
  });

  it('S2: originator closed, responder never answered the FIN', () => {
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A'), k.c('FA')]));
    expect(c.state).toBe('S2');
    expect(c.history).toBe('ShAF');
  });

  it('S3: responder closed, originator never answered the FIN', () => {
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A'), k.s('FA')]));
    expect(c.state).toBe('S3');
    expect(c.history).toBe('ShAf');
  });

  it('RSTO: established, originator aborts', () => {
    // UpdateEstablishedState: RST -> RESET; conn_state: os RESET, responder not inactive -> RSTO.
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 10), k.s('A'), k.c('R')]));
    expect(c.state).toBe('RSTO');
    expect(c.history).toBe('ShADaR');
    expect(c.rstBy).toBe('orig');
    expect(c.origBytes).toBe(10);
  });

  it('RSTR: established, responder aborts', () => {
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SA'), k.c('A'), k.c('PA', 10), k.s('A'), k.s('R')]));
    expect(c.state).toBe('RSTR');
    expect(c.history).toBe('ShADar');
  });

  it('RSTOS0: SYN then the originator\'s RST, no SYN-ACK', () => {
    // UpdateSYN_SentState: RST -> RESET; conn_state: os RESET, rs INACTIVE, history ~ /^\^?S[^HAFGIQ]*R.*/.
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.c('R')]));
    expect(c.state).toBe('RSTOS0');
    expect(c.history).toBe('SR');
  });

  it('OTH (not RSTOS0) when a partial originator resets: history lacks the leading S', () => {
    // First packet without SYN -> PARTIAL; RST -> RESET; rs INACTIVE; history "DR" fails the pattern.
    const k = new TcpTalk();
    const c = only(run([k.c('PA', 50), k.c('RA')]));
    expect(c.state).toBe('OTH');
    expect(c.history).toBe('DR');
    expect(c.originGuessed).toBe(true);
  });

  it('OTH (not RSTOS0) when the originator\'s history has an ACK between its SYN and RST', () => {
    // "SAR" does not match /^\^?S[^HAFGIQ]*R.*/: the A rules RSTOS0 out.
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.c('A', 0, { ack: 9001 }), k.c('R')]));
    expect(c.history).toBe('SAR');
    expect(c.state).toBe('OTH');
  });

  it('RSTRH: SYN-ACK seen first (flipped), then the responder resets', () => {
    // NewConn flips a SYN-ACK ('^'); the SYN-ACK sender becomes ESTABLISHED with its peer INACTIVE;
    // RST -> RESET; conn_state: rs RESET, os INACTIVE -> RSTRH.
    const k = new TcpTalk();
    const c = only(run([k.s('SA', 0, { ack: 1001 }), k.s('R', 0, { seq: 9001 })]));
    expect(c.state).toBe('RSTRH');
    expect(c.history).toBe('^hr');
    expect([c.origIp, c.origPort]).toEqual(['10.0.0.1', 40000]);
    expect(c.originGuessed).toBe(false);
    expect(c.respIsn).toBe(9000);
  });

  it('SH: SYN then FIN from the originator, no SYN-ACK', () => {
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.c('F')]));
    expect(c.state).toBe('SH');
    expect(c.history).toBe('SF');
  });

  it('SHR: SYN-ACK seen first, then the responder\'s FIN', () => {
    const k = new TcpTalk();
    const c = only(run([k.s('SA', 0, { ack: 1001 }), k.s('FA')]));
    expect(c.state).toBe('SHR');
    expect(c.history).toBe('^hf');
  });

  it('OTH: midstream traffic, no SYN seen', () => {
    // Both sides PARTIAL (UpdateInactiveState else-branch) -> OTH; the first sender is the guessed originator.
    const k = new TcpTalk();
    const c = only(run([k.c('PA', 100), k.s('A')]));
    expect(c.state).toBe('OTH');
    expect(c.history).toBe('Da');
    expect(c.originGuessed).toBe(true);
    expect(c.origIsn).toBe(-1);
  });

  it('a missed SYN but seen SYN-ACK and ACK still establishes (S1 after the flip)', () => {
    // UpdateInactiveState: "ACK && peer ESTABLISHED" establishes the originator instead of PARTIAL.
    const k = new TcpTalk();
    k.c('S'); // not captured
    const c = only(run([k.s('SA'), k.c('A'), k.c('PA', 20)]));
    expect(c.state).toBe('S1');
    expect(c.history).toBe('^hAD');
    expect(c.origBytes).toBe(20);
  });
});

describe('conn_state (UDP)', () => {
  const q = (ts: number, len = 30) => udpPacket({ src: '10.0.0.1', sport: 5353, dst: '10.0.0.53', dport: 53, len, ts });
  const a = (ts: number, len = 90) => udpPacket({ src: '10.0.0.53', sport: 53, dst: '10.0.0.1', dport: 5353, len, ts });

  it('SF: both sides sent', () => {
    const c = only(run([q(1000), a(2000)]));
    expect(c.proto).toBe('udp');
    expect(c.state).toBe('SF');
    expect(c.history).toBe('Dd');
    expect([c.origBytes, c.respBytes]).toEqual([30, 90]);
    expect([c.origIpBytes, c.respIpBytes]).toEqual([58, 118]);
  });

  it('S0: only the originator sent', () => {
    const c = only(run([q(1000), q(2000)]));
    expect(c.state).toBe('S0');
    expect(c.history).toBe('D');
    expect(c.origBytes).toBe(60);
  });

  it('SHR: only the responder sent (flipped by likely_server_ports)', () => {
    // UDPAnalyzer::WantConnection: source port likely, destination not -> FlipRoles ('^').
    const c = only(run([a(1000)], { likelyServerPorts: { udp: [53] } }));
    expect(c.state).toBe('SHR');
    expect(c.history).toBe('^d');
    expect([c.origIp, c.respPort]).toEqual(['10.0.0.1', 53]);
  });

  it('without likely ports the first sender is the originator', () => {
    const c = only(run([a(1000)], { likelyServerPorts: { tcp: [], udp: [] } }));
    expect(c.state).toBe('S0');
    expect(c.history).toBe('D');
    expect(c.origIp).toBe('10.0.0.53');
    expect(c.originGuessed).toBe(true);
  });
});
