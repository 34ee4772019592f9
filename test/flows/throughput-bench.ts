/**
 * Tracker throughput workload, shared by tracker-throughput.test.ts (in vitest, and bundled by
 * esbuild and run in plain node as the CLI is). Packets are prepared up front and written into ONE
 * reused Packet object per push, as the decoder does.
 */
import { newPacket, type Packet } from '../../core/decode/packet.js';
import { ConnTracker } from '../../core/flows/tracker.js';
import { TcpTalk } from '../helpers/packets.js';

export interface Prepared {
  n: number;
  ts: Float64Array;
  src: string[];
  dst: string[];
  sp: Uint16Array;
  dp: Uint16Array;
  fl: Uint8Array;
  seq: Float64Array;
  ack: Float64Array;
  len: Uint16Array;
  ipId: Int32Array;
  ttl: Uint8Array;
  ifindex: Int32Array;
  pktType: Int8Array;
}

/** `conns` TCP connections of 18 packets (handshake, 6 data + ACK, FINs), overlapping in time. */
export function prepare(conns: number, copies: boolean): Prepared {
  const memo = new Map<string, string>(); // the decoder memoises IPv4 text: same string objects
  const intern = (s: string) => memo.get(s) ?? (memo.set(s, s), s);
  const all: Packet[] = [];
  for (let i = 0; i < conns; i++) {
    const k = new TcpTalk({ client: `10.1.${(i >> 8) & 255}.${i & 255}`, cport: 30000 + (i % 30000), server: '10.2.0.9', sport: 443, t0: 1e12 + i * 5, step: 1000, cIsn: i * 7919 });
    const one = [k.c('S'), k.s('SA'), k.c('A')];
    for (let j = 0; j < 6; j++) one.push(k.c('PA', 1000), k.s('A'));
    one.push(k.c('FA'), k.s('FA'), k.c('A'));
    for (const p of one) {
      all.push({ ...p, sllIfindex: copies ? 12 : -1, sllPktType: copies ? 0 : -1 });
      if (copies) all.push({ ...p, tsUs: p.tsUs + 2, ttl: p.ttl - 1, sllIfindex: 2, sllPktType: 4 });
    }
  }
  all.sort((a, b) => a.tsUs - b.tsUs);
  const n = all.length;
  const w: Prepared = {
    n, ts: new Float64Array(n), src: [], dst: [], sp: new Uint16Array(n), dp: new Uint16Array(n), fl: new Uint8Array(n),
    seq: new Float64Array(n), ack: new Float64Array(n), len: new Uint16Array(n), ipId: new Int32Array(n), ttl: new Uint8Array(n),
    ifindex: new Int32Array(n), pktType: new Int8Array(n),
  };
  all.forEach((p, i) => {
    w.ts[i] = p.tsUs; w.src.push(intern(p.src)); w.dst.push(intern(p.dst)); w.sp[i] = p.sport; w.dp[i] = p.dport;
    w.fl[i] = p.tcpFlags; w.seq[i] = p.seq; w.ack[i] = p.ack; w.len[i] = p.payloadLen; w.ipId[i] = p.ipId; w.ttl[i] = p.ttl;
    w.ifindex[i] = p.sllIfindex; w.pktType[i] = p.sllPktType;
  });
  return w;
}

export function measure(w: Prepared, conns: number, rounds = 10): number {
  const p = newPacket();
  p.ipVersion = 4;
  p.proto = 6;
  p.l4 = 6 as Packet['l4'];
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    let n = 0;
    let sf = 0;
    const tr = new ConnTracker({ sourceId: 1, onConn: (c) => { n++; if (c.state === 'SF' && c.history === 'ShADaFf') sf++; }, onRst: () => {} });
    const t0 = performance.now();
    for (let i = 0; i < w.n; i++) {
      p.tsUs = w.ts[i]; p.src = w.src[i]; p.dst = w.dst[i]; p.sport = w.sp[i]; p.dport = w.dp[i];
      p.tcpFlags = w.fl[i]; p.seq = w.seq[i]; p.ack = w.ack[i]; p.payloadLen = w.len[i]; p.ipLen = 40 + w.len[i];
      p.ipId = w.ipId[i]; p.ttl = w.ttl[i]; p.window = 65535; p.sllIfindex = w.ifindex[i]; p.sllPktType = w.pktType[i];
      tr.push(p);
    }
    tr.flush();
    const ms = performance.now() - t0;
    if (n !== conns || sf !== conns) throw new Error(`tracker emitted ${n} connections, ${sf} as expected; want ${conns}`);
    best = Math.max(best, w.n / (ms / 1000));
  }
  return best;
}
