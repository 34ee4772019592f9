/**
 * Builders for decoded Packet objects (core/decode/packet.ts), so flow tests can state packet
 * sequences by hand. Each call returns a fresh object (the tracker copies what it keeps anyway).
 */
import { L4, newPacket, TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, type IcmpInner, type Packet } from '../../core/decode/packet.js';

/** Flags as tcpdump letters: S F R P A U E W ('.' alone is a pure ACK). */
export function flags(s: string): number {
  let f = 0;
  for (const ch of s) {
    if (ch === 'S') f |= TCP_SYN;
    else if (ch === 'F') f |= TCP_FIN;
    else if (ch === 'R') f |= TCP_RST;
    else if (ch === 'P') f |= TCP_PSH;
    else if (ch === 'A' || ch === '.') f |= TCP_ACK;
    else if (ch === 'U') f |= TCP_URG;
    else if (ch === 'E') f |= TCP_ECE;
    else if (ch === 'W') f |= TCP_CWR;
    else throw new Error(`unknown TCP flag letter ${ch}`);
  }
  return f;
}

export interface IpOpts {
  ts: number;
  iface?: number;
  sllPktType?: number;
  ttl?: number;
  ipId?: number;
  truncated?: boolean;
  /** Leave 0 to exercise the tracker's estimate. */
  ipLen?: number;
}

function ipBase(p: Packet, src: string, dst: string, o: IpOpts): void {
  p.tsUs = o.ts;
  p.iface = o.iface ?? 0;
  p.sllPktType = o.sllPktType ?? -1;
  const v6 = src.includes(':');
  p.ipVersion = v6 ? 6 : 4;
  p.src = src;
  p.dst = dst;
  p.ttl = o.ttl ?? 64;
  p.ipId = v6 ? -1 : o.ipId ?? 0;
  p.truncated = o.truncated ?? false;
}

export interface TcpOpts extends IpOpts {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  flags: string | number;
  seq: number;
  ack?: number;
  len?: number;
  window?: number;
}

export function tcpPacket(o: TcpOpts): Packet {
  const p = newPacket();
  ipBase(p, o.src, o.dst, o);
  p.proto = 6;
  p.l4 = L4.TCP;
  p.sport = o.sport;
  p.dport = o.dport;
  p.tcpFlags = typeof o.flags === 'number' ? o.flags : flags(o.flags);
  p.seq = o.seq >>> 0;
  p.ack = (o.ack ?? 0) >>> 0;
  p.window = o.window ?? 65535;
  p.payloadLen = o.len ?? 0;
  p.ipLen = o.ipLen ?? (p.ipVersion === 6 ? 40 : 20) + 20 + p.payloadLen;
  p.wireLen = p.capLen = p.ipLen + 14;
  return p;
}

export interface UdpOpts extends IpOpts {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  len?: number;
}

export function udpPacket(o: UdpOpts): Packet {
  const p = newPacket();
  ipBase(p, o.src, o.dst, o);
  p.proto = 17;
  p.l4 = L4.UDP;
  p.sport = o.sport;
  p.dport = o.dport;
  p.payloadLen = o.len ?? 0;
  p.ipLen = o.ipLen ?? (p.ipVersion === 6 ? 40 : 20) + 8 + p.payloadLen;
  p.wireLen = p.capLen = p.ipLen + 14;
  return p;
}

export interface IcmpOpts extends IpOpts {
  src: string;
  dst: string;
  type: number;
  code?: number;
  /** Bytes after the 8-byte ICMP header. */
  len?: number;
  inner?: IcmpInner;
}

export function icmpPacket(o: IcmpOpts): Packet {
  const p = newPacket();
  ipBase(p, o.src, o.dst, o);
  const v6 = p.ipVersion === 6;
  p.proto = v6 ? 58 : 1;
  p.l4 = v6 ? L4.ICMPv6 : L4.ICMP;
  p.icmpType = o.type;
  p.icmpCode = o.code ?? 0;
  p.payloadLen = o.len ?? 0;
  p.icmpInner = o.inner ?? null;
  p.ipLen = o.ipLen ?? (v6 ? 40 : 20) + 8 + p.payloadLen;
  p.wireLen = p.capLen = p.ipLen + 14;
  return p;
}

export interface Overrides {
  ts?: number;
  seq?: number;
  ack?: number;
  window?: number;
  ttl?: number;
  ipId?: number;
  iface?: number;
  sllPktType?: number;
  truncated?: boolean;
  /** Do not advance this side's sequence number (to build a retransmission by hand). */
  keepSeq?: boolean;
}

/**
 * One TCP conversation: `c(...)` sends from the client, `s(...)` from the server. Each side keeps
 * its next sequence number (advanced by payload, SYN and FIN), acks the other side's next sequence
 * number when the flags carry A, and numbers its IP IDs like Linux (one per packet). Time advances
 * by `step` µs per packet unless `ts` is given.
 */
export class TcpTalk {
  readonly client: string;
  readonly cport: number;
  readonly server: string;
  readonly sport: number;
  t: number;
  step: number;
  cNext: number;
  sNext: number;
  cIpId = 100;
  sIpId = 5000;
  cTtl = 64;
  sTtl = 64;

  constructor(o: { client?: string; cport?: number; server?: string; sport?: number; t0?: number; step?: number; cIsn?: number; sIsn?: number } = {}) {
    this.client = o.client ?? '10.0.0.1';
    this.cport = o.cport ?? 40000;
    this.server = o.server ?? '10.0.0.2';
    this.sport = o.sport ?? 80;
    this.t = o.t0 ?? 1_000_000_000_000;
    this.step = o.step ?? 1000;
    this.cNext = (o.cIsn ?? 1000) >>> 0;
    this.sNext = (o.sIsn ?? 9000) >>> 0;
  }

  c(fl: string, len = 0, ov: Overrides = {}): Packet {
    return this.send(true, fl, len, ov);
  }

  s(fl: string, len = 0, ov: Overrides = {}): Packet {
    return this.send(false, fl, len, ov);
  }

  private send(fromClient: boolean, fl: string, len: number, ov: Overrides): Packet {
    const f = flags(fl);
    const ts = ov.ts ?? this.t;
    this.t = ts + this.step;
    const seq = ov.seq ?? (fromClient ? this.cNext : this.sNext);
    const ackNo = ov.ack ?? ((f & TCP_ACK) !== 0 ? (fromClient ? this.sNext : this.cNext) : 0);
    const ipId = ov.ipId ?? (fromClient ? this.cIpId++ : this.sIpId++);
    const p = tcpPacket({
      src: fromClient ? this.client : this.server,
      sport: fromClient ? this.cport : this.sport,
      dst: fromClient ? this.server : this.client,
      dport: fromClient ? this.sport : this.cport,
      flags: f, seq, ack: ackNo, len, ts,
      window: ov.window,
      ttl: ov.ttl ?? (fromClient ? this.cTtl : this.sTtl),
      ipId, iface: ov.iface, sllPktType: ov.sllPktType, truncated: ov.truncated,
    });
    if (!ov.keepSeq) {
      let adv = (f & TCP_RST) !== 0 ? 0 : len;
      if ((f & TCP_SYN) !== 0) adv++;
      if ((f & TCP_FIN) !== 0) adv++;
      const next = (seq + adv) >>> 0;
      if (fromClient) this.cNext = next;
      else this.sNext = next;
    }
    return p;
  }
}

/** Where a copy was captured: capture interface, SLL2 ifindex, SLL packet type (4 = outgoing). */
export interface CapturePoint {
  iface?: number;
  ifindex?: number;
  sllPktType?: number;
}

/** `p` as captured at a cooked (`-i any`, SLL2) capture point. */
export function at(p: Packet, where: CapturePoint): Packet {
  return { ...p, iface: where.iface ?? p.iface, sllIfindex: where.ifindex ?? p.sllIfindex, sllPktType: where.sllPktType ?? p.sllPktType };
}

/** A copy of `p` as another capture point saw it: `dUs` later, TTL lower by the forwarding `hops`. */
export function copyAt(p: Packet, where: CapturePoint, dUs = 20, hops = 1): Packet {
  return { ...at(p, where), tsUs: p.tsUs + dUs, ttl: p.ttl - hops };
}
