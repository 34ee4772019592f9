/**
 * ICMP "connections" (ICMPAnalyzer::InitConnKey, ICMP4/6_counterpart, ICMPSessionAdapter sizes),
 * ICMP errors tied to the TCP/UDP flow they quote, and byte accounting details.
 */
import { describe, expect, it } from 'vitest';
import { icmpPacket, TcpTalk, tcpPacket, udpPacket } from '../helpers/packets.js';
import { only, run } from './run-tracker.js';

const A = '10.0.0.1';
const B = '10.0.0.2';

describe('ICMP connections', () => {
  it('echo request and reply pair up: orig_p = type, resp_p = counterpart type; state OTH, no history', () => {
    const c = only(run([
      icmpPacket({ src: A, dst: B, type: 8, len: 56, ts: 1000 }),
      icmpPacket({ src: B, dst: A, type: 0, len: 56, ts: 2000 }),
      icmpPacket({ src: A, dst: B, type: 8, len: 56, ts: 1_001_000 }),
      icmpPacket({ src: B, dst: A, type: 0, len: 56, ts: 1_002_000 }),
    ]));
    expect(c).toMatchObject({
      proto: 'icmp', origIp: A, origPort: 8, respIp: B, respPort: 0, state: 'OTH', history: '',
      origPkts: 2, respPkts: 2, origBytes: 112, respBytes: 112, origIpBytes: 168, respIpBytes: 168, originGuessed: false,
    });
  });

  it('a reply seen first: its sender is the (guessed) originator', () => {
    const c = only(run([icmpPacket({ src: B, dst: A, type: 0, len: 8, ts: 1000 })]));
    expect(c).toMatchObject({ origIp: B, origPort: 0, respPort: 8, originGuessed: true });
  });

  it('ICMPv6 echo uses types 128/129', () => {
    const c = only(run([
      icmpPacket({ src: 'fd00::1', dst: 'fd00::2', type: 128, len: 16, ts: 1000 }),
      icmpPacket({ src: 'fd00::2', dst: 'fd00::1', type: 129, len: 16, ts: 2000 }),
    ]));
    expect(c).toMatchObject({ origPort: 128, respPort: 129, origPkts: 1, respPkts: 1, origIpBytes: 64 });
  });

  it('one-way messages keep their direction and use the code as resp_p', () => {
    const { conns } = run([
      icmpPacket({ src: A, dst: B, type: 3, code: 3, ts: 1000 }),
      icmpPacket({ src: B, dst: A, type: 3, code: 3, ts: 2000 }),
    ]);
    expect(conns.map((c) => [c.origIp, c.origPort, c.respPort])).toEqual([[A, 3, 3], [B, 3, 3]]);
  });

  it('ends after icmp_inactivity_timeout (1 min)', () => {
    const p = (ts: number) => icmpPacket({ src: A, dst: B, type: 8, ts });
    expect(run([p(0), p(59_000_000)]).conns).toHaveLength(1);
    expect(run([p(0), p(60_000_000)]).conns).toHaveLength(2);
  });
});

describe('ICMP errors tied to their flow', () => {
  it('port unreachable counts on the UDP flow it quotes', () => {
    const r = run([
      udpPacket({ src: A, sport: 5000, dst: B, dport: 9999, len: 10, ts: 1000 }),
      icmpPacket({ src: B, dst: A, type: 3, code: 3, len: 38, ts: 1500, inner: { proto: 17, src: A, sport: 5000, dst: B, dport: 9999 } }),
    ]);
    const udp = r.conns.find((c) => c.proto === 'udp');
    const icmp = r.conns.find((c) => c.proto === 'icmp');
    expect(udp).toMatchObject({ state: 'S0', icmpErrors: 1, lastIcmpError: { tsUs: 1500, type: 3, code: 3, reporterIp: B } });
    expect(icmp).toMatchObject({ origIp: B, origPort: 3, respPort: 3, icmpErrors: 0 });
    expect(r.tracker.stats.icmpErrorsLinked).toBe(1);
  });

  it('time exceeded from a router counts on the TCP flow, whichever direction it quotes', () => {
    const k = new TcpTalk();
    const syn = k.c('S');
    const sa = k.s('SA');
    const r = run([syn, sa, icmpPacket({ src: '192.168.1.1', dst: B, type: 11, code: 0, ts: sa.tsUs + 10, inner: { proto: 6, src: B, sport: 80, dst: A, dport: 40000 } })]);
    expect(r.conns.find((c) => c.proto === 'tcp')).toMatchObject({ icmpErrors: 1, lastIcmpError: { type: 11, reporterIp: '192.168.1.1' } });
  });

  it('an error for an unknown flow changes nothing', () => {
    const r = run([icmpPacket({ src: B, dst: A, type: 3, code: 1, ts: 1, inner: { proto: 6, src: A, sport: 1, dst: B, dport: 2 } })]);
    expect(r.conns).toHaveLength(1);
    expect(r.tracker.stats.icmpErrorsLinked).toBe(0);
  });
});

describe('byte accounting', () => {
  it('orig_ip_bytes uses the IP length; estimated from the payload when the decoder gave none', () => {
    const mk = (ipLen?: number) => tcpPacket({ src: A, sport: 1, dst: B, dport: 2, flags: 'PA', seq: 5, ack: 1, len: 100, ts: 1, ipLen });
    expect(only(run([mk(160)])).origIpBytes).toBe(160);
    expect(only(run([mk(0)])).origIpBytes).toBe(140);
  });

  it('UDP sizes are payload bytes; IPv6 IP bytes include the 40-byte header', () => {
    const c = only(run([udpPacket({ src: 'fd00::1', sport: 1, dst: 'fd00::2', dport: 2, len: 12, ts: 1 })]));
    expect([c.origBytes, c.origIpBytes]).toEqual([12, 60]);
  });

  it('the outer header of a VXLAN/Geneve packet is kept on the connection', () => {
    const p = udpPacket({ src: A, sport: 1, dst: B, dport: 2, ts: 1 });
    p.tunnel = { kind: 'vxlan', vni: 4096, outerSrc: '192.168.0.1', outerDst: '192.168.0.2', outer: udpPacket({ src: '192.168.0.1', sport: 40000, dst: '192.168.0.2', dport: 4789, ts: 1 }) };
    const c = only(run([p]));
    expect(c.tunnel).toEqual({ kind: 'vxlan', vni: 4096, outerSrc: '192.168.0.1', outerDst: '192.168.0.2' });
    expect(c.tunnel).not.toBe(p.tunnel);
  });

  it('packets the tracker cannot use are counted as ignored', () => {
    const p = udpPacket({ src: A, sport: 1, dst: B, dport: 2, ts: 1 });
    const r = run([{ ...p, l4: 0 as never }, { ...p, ipVersion: 0 }]);
    expect(r.conns).toHaveLength(0);
    expect(r.tracker.stats.ignored).toBe(2);
  });

  it('sequence-number wrap-around keeps counting bytes (seq_wraps)', () => {
    const k = new TcpTalk({ cIsn: 0xffffff00 });
    const pk = [k.c('S'), k.s('SA'), k.c('A')];
    for (let i = 0; i < 10; i++) pk.push(k.c('PA', 100), k.s('A'));
    pk.push(k.c('FA'), k.s('FA'), k.c('A'));
    const c = only(run(pk));
    expect(c.origBytes).toBe(1000);
    expect(c.state).toBe('SF');
    expect(c.history).toBe('ShADaFf');
  });
});
