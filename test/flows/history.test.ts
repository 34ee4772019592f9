/**
 * Every history letter Zeek writes for TCP/UDP (except 'C': checksums are not checked, as with
 * `zeek -C`). Expected strings follow update_history() / update_last_seq() / update_window() in
 * TCPSessionAdapter.cc, TCP_Reassembler::Gap, Session::CheckHistory and ScaledHistoryEntry.
 */
import { describe, expect, it } from 'vitest';
import { TcpTalk } from '../helpers/packets.js';
import { only, run } from './run-tracker.js';

function handshake(k: TcpTalk) {
  return [k.c('S'), k.s('SA'), k.c('A')];
}

describe('history letters', () => {
  it('S h A D d F f: upper case for the originator, lower for the responder, once each', () => {
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.c('PA', 5), k.c('PA', 5), k.s('PA', 7), k.s('PA', 7), k.c('A'), k.c('FA'), k.s('FA'), k.c('A')]));
    expect(c.history).toBe('ShADdFf');
  });

  it('T: a retransmission (payload at or below the highest seq sent), logarithmic: 1st, 10th, 100th', () => {
    // update_last_seq: delta_last <= 0 && len > 0 -> DidRxmit -> ScaledHistoryEntry('T', thresholds 1, 10, 100).
    const mk = (n: number) => {
      const k = new TcpTalk();
      const pk = [...handshake(k), k.c('PA', 100)];
      for (let i = 0; i < n; i++) pk.push(k.c('PA', 100, { seq: 1001, keepSeq: true }));
      return only(run(pk)).history;
    };
    expect(mk(0)).toBe('ShAD');
    expect(mk(1)).toBe('ShADT');
    expect(mk(9)).toBe('ShADT');
    expect(mk(10)).toBe('ShADTT');
    expect(mk(99)).toBe('ShADTT');
    expect(mk(100)).toBe('ShADTTT');
  });

  it('t: the responder retransmits', () => {
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.s('PA', 30), k.s('PA', 30, { seq: 9001, keepSeq: true })]));
    expect(c.history).toBe('ShAdt');
    expect(c.respBytes).toBe(30);
  });

  it('W/w: zero window advertisements, logarithmic', () => {
    // update_window: window 0, no RST, peer not CLOSED, sender not RESET -> ZeroWindow().
    const k = new TcpTalk();
    const pk = [...handshake(k), k.c('PA', 10)];
    for (let i = 0; i < 10; i++) pk.push(k.s('A', 0, { window: 0 }));
    pk.push(k.c('A', 0, { window: 0 }));
    expect(only(run(pk)).history).toBe('ShADawwW');
  });

  it('no W for a zero window on a RST', () => {
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.s('RA', 0, { window: 0 })]));
    expect(c.history).toBe('ShAr');
  });

  it('I: FIN and RST in one packet', () => {
    // bits_set > 1 with FIN+RST -> 'I'; UpdateEstablishedState: RST -> RESET -> RSTO.
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.c('FRA')]));
    expect(c.history).toBe('ShAI');
    expect(c.state).toBe('RSTO');
  });

  it('Q: SYN with FIN (multi-flag)', () => {
    // bits_set > 1 without FIN+RST -> 'Q'; SYN -> SYN_SENT then FIN -> CLOSED with responder INACTIVE -> SH.
    const k = new TcpTalk();
    const c = only(run([k.c('SF')]));
    expect(c.history).toBe('Q');
    expect(c.state).toBe('SH');
  });

  it('q: SYN with RST from the responder', () => {
    const k = new TcpTalk();
    const c = only(run([k.c('S'), k.s('SRA')]));
    expect(c.history).toBe('Sq');
  });

  it('G: acked data never seen is a content gap, counted in missed_bytes', () => {
    // AckReceived -> TrimToSeq -> Undelivered -> Gap(): established both sides -> 'G' (data sender).
    const k = new TcpTalk();
    const hs = handshake(k);
    const d1 = k.c('PA', 100);
    k.c('PA', 100); // lost: never captured
    const d3 = k.c('PA', 100);
    const c = only(run([...hs, d1, d3, k.s('A')]));
    expect(c.history).toBe('ShADaG');
    expect(c.missedBytes).toBe(100);
    // Size() uses the highest of last seq and acked seq: all 300 bytes.
    expect(c.origBytes).toBe(300);
  });

  it('G when acked data was never captured at all', () => {
    const k = new TcpTalk();
    const hs = handshake(k);
    k.c('PA', 100); // never captured
    const c = only(run([...hs, k.s('A')]));
    expect(c.history).toBe('ShAaG');
    expect(c.missedBytes).toBe(100);
    expect(c.origBytes).toBe(100);
  });

  it('out-of-order data that fills the hole before the ACK is no gap', () => {
    const k = new TcpTalk();
    const hs = handshake(k);
    const x = k.c('PA', 100);
    const y = k.c('PA', 100);
    const c = only(run([...hs, y, x, k.s('A')]));
    // x arrives below the highest seq already sent: Zeek counts it as a retransmission ('T').
    expect(c.history).toBe('ShADTa');
    expect(c.missedBytes).toBe(0);
  });

  it('no G and no missed bytes on a partial connection (gaps there are not trusted)', () => {
    // TCP_Reassembler::Gap only reports for cleanly established/closing endpoints.
    const k = new TcpTalk();
    const d1 = k.c('PA', 100);
    k.c('PA', 100); // lost
    const d3 = k.c('PA', 100);
    const c = only(run([d1, d3, k.s('A')]));
    expect(c.history).toBe('Da');
    expect(c.missedBytes).toBe(0);
    expect(c.origBytes).toBe(300);
  });

  it('g: the gap is in the responder\'s data', () => {
    const k = new TcpTalk();
    const hs = handshake(k);
    k.s('PA', 40); // never captured
    const c = only(run([...hs, k.c('A')]));
    expect(c.history).toBe('ShAg');
    expect(c.missedBytes).toBe(40);
  });

  it('snaplen-cut payload that is acked counts as a gap (Zeek hands only full payloads to the reassembler)', () => {
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.c('PA', 1400, { truncated: true }), k.s('A')]));
    expect(c.history).toBe('ShADaG');
    expect(c.missedBytes).toBe(1400);
  });

  it('R/F repeat only when their sequence number changes', () => {
    // update_history: 'R' again when rel_seq != hist_last_RST; 'F' when rel_seq+len != hist_last_FIN.
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.c('FA'), k.c('FA', 0, { seq: 1001, keepSeq: true }), k.s('R', 0, { seq: 9001 }), k.s('R', 0, { seq: 9001 }), k.s('R', 0, { seq: 9500 })]));
    expect(c.history).toBe('ShAFrr');
  });

  it('^: a SYN-ACK seen first flips the roles', () => {
    const k = new TcpTalk();
    k.c('S'); // not captured
    const c = only(run([k.s('SA'), k.c('A'), k.c('PA', 10), k.s('PA', 10), k.c('FA'), k.s('FA'), k.c('A')]));
    expect(c.history).toBe('^hADdFf');
    expect(c.state).toBe('SF');
    expect([c.origIp, c.respIp]).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('^: a SYN arriving after its SYN-ACK (flipped at the SYN-ACK) leaves the originator in SYN_SENT, as Zeek does', () => {
    // IsReuse: the SYN's seq equals the originator start seq set from the SYN-ACK's ack -> not reuse.
    // UpdateInactiveState: SYN -> SYN_SENT; nothing moves it to ESTABLISHED afterwards -> OTH.
    const k = new TcpTalk();
    const syn = k.c('S');
    const sa = k.s('SA', 0, { ts: syn.tsUs - 100 });
    const c = only(run([sa, syn, k.c('A'), k.c('PA', 10)]));
    expect(c.history).toBe('^hSAD');
    expect(c.state).toBe('OTH');
  });

  it('^ from likely_server_ports on a partial TCP connection', () => {
    // TCPAnalyzer::WantConnection: no SYN, source port likely and destination not -> flip.
    const k = new TcpTalk({ sport: 443 });
    const c = only(run([k.s('PA', 100), k.c('A')], { likelyServerPorts: { tcp: [443] } }));
    expect(c.history).toBe('^dA');
    expect(c.origIp).toBe('10.0.0.1');
    expect(c.originGuessed).toBe(true);
  });

  it('i: FIN+RST from the responder', () => {
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.s('FRA')]));
    expect(c.history).toBe('ShAi');
    expect(c.state).toBe('RSTR');
  });

  it('s: a pure SYN from the responder that is not a reuse (its seq matches the originator start seq)', () => {
    // IsReuse compares with the ORIGINATOR's start seq (init_endpoint: first data seq - 1 = 4999).
    // UpdateInactiveState: responder SYN without ACK -> simultaneous_open weird, responder ESTABLISHED.
    const k = new TcpTalk({ cIsn: 4999 });
    const d = k.c('PA', 10, { seq: 5000 });
    const c = only(run([d, k.s('S', 0, { seq: 4999 })]));
    expect(c.history).toBe('Ds');
  });

  it('G is logarithmic too: 10 gaps give GG', () => {
    const k = new TcpTalk();
    const pk = handshake(k);
    for (let i = 0; i < 10; i++) {
      k.c('PA', 100); // lost
      pk.push(k.c('PA', 100), k.s('A'));
    }
    const c = only(run(pk));
    expect(c.history).toBe('ShADaGG');
    expect(c.missedBytes).toBe(1000);
  });

  it('never C: checksums are not verified', () => {
    const k = new TcpTalk();
    const c = only(run([...handshake(k), k.c('PA', 10), k.s('A')]));
    expect(c.history).not.toMatch(/[Cc]/);
  });
});
