import { LINKTYPE } from '../net/linktype.js';
import { ipv4Text, ipv6Text } from '../net/ip-text.js';
import { L4, type Packet } from './packet.js';

/** Why a frame did or did not yield a transport-level packet; ingest counts these. */
export const enum DecodeStatus {
  Ok = 0,
  UnsupportedLink = 1,
  NotIp = 2,
  Malformed = 3,
  /** IP decoded but the transport header is missing (non-first fragment, unknown protocol, cut). */
  NoTransport = 4,
}

const VXLAN_PORTS = new Set([4789, 8472]);
const GENEVE_PORT = 6081;
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_TEB = 0x6558; // transparent Ethernet bridging, what Geneve carries
const ETH_MPLS_UC = 0x8847;
const ETH_MPLS_MC = 0x8848;

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function reset(p: Packet): void {
  p.sllIfindex = -1; p.sllPktType = -1; p.truncated = false;
  p.ipVersion = 0; p.src = ''; p.dst = ''; p.ipLen = 0; p.ttl = 0; p.ipId = -1; p.dontFragment = false; p.fragment = false;
  p.proto = 0; p.l4 = L4.None; p.sport = 0; p.dport = 0; p.tcpFlags = 0; p.seq = 0; p.ack = 0; p.window = 0;
  p.payloadLen = 0; p.mss = -1; p.wscale = -1; p.sackPermitted = false; p.tsVal = -1;
  p.icmpType = 0; p.icmpCode = 0; p.icmpInner = null; p.tunnel = null;
}

/**
 * Decodes one frame into `p` (reused). `end` is the offset one past the captured bytes, so
 * snaplen-cut packets decode as far as they go. Nothing here allocates except address strings
 * and the rare tunnel/ICMP-inner objects.
 */
export function decodeFrame(b: Uint8Array, off: number, capLen: number, linkType: number, p: Packet): DecodeStatus {
  reset(p);
  const end = off + capLen;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return ethernet(b, off, end, p, 0);
    case LINKTYPE.LINUX_SLL: {
      if (end - off < 16) return DecodeStatus.Malformed;
      p.sllPktType = u16(b, off);
      return byEthertype(b, u16(b, off + 14), off + 16, end, p, 0);
    }
    case LINKTYPE.LINUX_SLL2: {
      if (end - off < 20) return DecodeStatus.Malformed;
      p.sllIfindex = u32(b, off + 4);
      p.sllPktType = b[off + 10];
      return byEthertype(b, u16(b, off), off + 20, end, p, 0);
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_OPENBSD:
    case LINKTYPE.RAW_BSDOS:
      return rawIp(b, off, end, p, 0);
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      // Like Wireshark, trust the version nibble over a link type that names the other version.
      return rawIp(b, off, end, p, 0);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (end - off < 4) return DecodeStatus.Malformed;
      // NULL stores the address family in the capturing host's byte order, LOOP in network order.
      let af = u32(b, off);
      if (linkType === LINKTYPE.NULL && (af & 0xffff) === 0) af = ((b[off + 3] << 24) | (b[off + 2] << 16) | (b[off + 1] << 8) | b[off]) >>> 0;
      if (af === 2) return ipv4(b, off + 4, end, p, 0);
      if (af === 10 || af === 24 || af === 28 || af === 30) return ipv6(b, off + 4, end, p, 0);
      return DecodeStatus.NotIp;
    }
    case LINKTYPE.NFLOG:
      return nflog(b, off, end, p);
    default:
      return DecodeStatus.UnsupportedLink;
  }
}

/** NFULA_PAYLOAD: the logged packet, from its IP header on. */
const NFULA_PAYLOAD = 9;

/**
 * `tcpdump -i nflog:N` (iptables `-j NFLOG`): a 4-byte header (address family, version, group),
 * then TLVs padded to 4 bytes, one of which carries the packet. The TLV length and type are in the
 * capturing host's byte order (libpcap's LINKTYPE_NFLOG notes): little-endian first, as on x86 and
 * arm64 nodes, big-endian when that reads as nonsense.
 */
function nflog(b: Uint8Array, off: number, end: number, p: Packet): DecodeStatus {
  if (end - off < 4) return DecodeStatus.Malformed;
  const family = b[off];
  const tlv = (o: number, le: boolean) => (le ? { len: b[o] | (b[o + 1] << 8), type: b[o + 2] | (b[o + 3] << 8) } : { len: u16(b, o), type: u16(b, o + 2) });
  const fits = (o: number, le: boolean) => { const t = tlv(o, le); return t.len >= 4 && o + t.len <= end; };
  const le = end - off < 8 || fits(off + 4, true) || !fits(off + 4, false);
  for (let o = off + 4; o + 4 <= end;) {
    const { len, type } = tlv(o, le);
    if (len < 4) return DecodeStatus.Malformed;
    if (type === NFULA_PAYLOAD) {
      const vEnd = Math.min(end, o + len);
      if (family === 2) return ipv4(b, o + 4, vEnd, p, 0);
      if (family === 10) return ipv6(b, o + 4, vEnd, p, 0);
      return rawIp(b, o + 4, vEnd, p, 0);
    }
    o += (len + 3) & ~3;
  }
  return DecodeStatus.NotIp;
}

function ethernet(b: Uint8Array, o: number, end: number, p: Packet, depth: number): DecodeStatus {
  if (end - o < 14) return DecodeStatus.Malformed;
  return byEthertype(b, u16(b, o + 12), o + 14, end, p, depth);
}

function byEthertype(b: Uint8Array, type: number, o: number, end: number, p: Packet, depth: number): DecodeStatus {
  // 802.1Q / 802.1ad / old QinQ tags, stacked any number of times.
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200) {
    if (end - o < 4) return DecodeStatus.Malformed;
    type = u16(b, o + 2);
    o += 4;
  }
  if (type === ETH_IPV4) return ipv4(b, o, end, p, depth);
  if (type === ETH_IPV6) return ipv6(b, o, end, p, depth);
  if (type === ETH_MPLS_UC || type === ETH_MPLS_MC) return mpls(b, o, end, p, depth);
  return DecodeStatus.NotIp;
}

/**
 * An MPLS label stack (RFC 3032): 4-byte entries, the bottom one with the S bit (byte 2, bit 0).
 * As Zeek's MPLSAnalyzer::AnalyzePacket (src/packet_analysis/protocol/mpls/MPLS.cc, Zeek 4.x-6.x) does: skip the
 * labels, then hand the rest to the IP analyzer, which goes by the version nibble since the label
 * does not say what it carries. Zeek registers only 0x8847 on Ethernet; 0x8848 (multicast) frames
 * carry the same stack, so they are read too. A stack that runs off the frame is malformed.
 */
function mpls(b: Uint8Array, o: number, end: number, p: Packet, depth: number): DecodeStatus {
  for (;;) {
    if (end - o < 4) return DecodeStatus.Malformed;
    const bottom = (b[o + 2] & 0x01) !== 0;
    o += 4;
    if (bottom) return rawIp(b, o, end, p, depth);
  }
}

function rawIp(b: Uint8Array, o: number, end: number, p: Packet, depth: number): DecodeStatus {
  if (end - o < 1) return DecodeStatus.Malformed;
  const v = b[o] >> 4;
  if (v === 4) return ipv4(b, o, end, p, depth);
  if (v === 6) return ipv6(b, o, end, p, depth);
  return DecodeStatus.NotIp;
}

function ipv4(b: Uint8Array, o: number, end: number, p: Packet, depth: number): DecodeStatus {
  if (end - o < 20 || b[o] >> 4 !== 4) return DecodeStatus.Malformed;
  const ihl = (b[o] & 0x0f) * 4;
  if (ihl < 20) return DecodeStatus.Malformed;
  let total = u16(b, o + 2);
  // Total length 0 is what a capture taken before TCP segmentation offload shows (Wireshark:
  // "presumed TSO"): the packet runs to the end of the frame.
  if (total === 0) total = end - o;
  if (total < ihl) return DecodeStatus.Malformed;
  p.ipVersion = 4;
  p.ipLen = total;
  p.ipId = u16(b, o + 4);
  const frag = u16(b, o + 6);
  p.dontFragment = (frag & 0x4000) !== 0;
  const fragOffset = frag & 0x1fff;
  p.fragment = (frag & 0x2000) !== 0 || fragOffset !== 0;
  p.ttl = b[o + 8];
  p.proto = b[o + 9];
  p.src = ipv4Text(b, o + 12);
  p.dst = ipv4Text(b, o + 16);
  if (end - o < ihl) { p.truncated = true; return DecodeStatus.NoTransport; }
  if (fragOffset !== 0) return DecodeStatus.NoTransport;
  return transport(b, o + ihl, end, total - ihl, p, depth);
}

function ipv6(b: Uint8Array, o: number, end: number, p: Packet, depth: number): DecodeStatus {
  if (end - o < 40 || b[o] >> 4 !== 6) return DecodeStatus.Malformed;
  p.ipVersion = 6;
  p.ttl = b[o + 7];
  p.src = ipv6Text(b, o + 8);
  p.dst = ipv6Text(b, o + 24);
  let payload = u16(b, o + 4);
  p.ipLen = payload + 40;
  let next = b[o + 6];
  let q = o + 40;
  // Walk extension headers to the transport header.
  for (;;) {
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (end - q < 8) { p.truncated = true; p.proto = next; return DecodeStatus.NoTransport; }
      const len = (b[q + 1] + 1) * 8;
      next = b[q];
      q += len;
      payload -= len;
    } else if (next === 44) {
      if (end - q < 8) { p.truncated = true; p.proto = next; return DecodeStatus.NoTransport; }
      const fo = u16(b, q + 2);
      p.fragment = true;
      next = b[q];
      q += 8;
      payload -= 8;
      if ((fo & 0xfff8) !== 0) { p.proto = next; return DecodeStatus.NoTransport; }
    } else if (next === 51) {
      if (end - q < 8) { p.truncated = true; p.proto = next; return DecodeStatus.NoTransport; }
      const len = (b[q + 1] + 2) * 4;
      next = b[q];
      q += len;
      payload -= len;
    } else break;
  }
  p.proto = next;
  if (payload < 0) return DecodeStatus.Malformed;
  return transport(b, q, end, payload, p, depth);
}

/** `len` is the transport length per the IP header (payload lengths come from it, not capLen). */
function transport(b: Uint8Array, o: number, end: number, len: number, p: Packet, depth: number): DecodeStatus {
  const proto = p.proto;
  if (proto === 6) {
    if (end - o < 20) { p.truncated = true; return DecodeStatus.NoTransport; }
    const doff = (b[o + 12] >> 4) * 4;
    if (doff < 20) return DecodeStatus.Malformed;
    p.l4 = L4.TCP;
    p.sport = u16(b, o);
    p.dport = u16(b, o + 2);
    p.seq = u32(b, o + 4);
    p.ack = u32(b, o + 8);
    p.tcpFlags = b[o + 13];
    p.window = u16(b, o + 14);
    p.payloadLen = Math.max(0, len - doff);
    if (end - o < doff) p.truncated = true;
    else tcpOptions(b, o + 20, o + doff, p);
    if (end - o < len) p.truncated = true;
    return DecodeStatus.Ok;
  }
  if (proto === 17) {
    if (end - o < 8) { p.truncated = true; return DecodeStatus.NoTransport; }
    p.l4 = L4.UDP;
    p.sport = u16(b, o);
    p.dport = u16(b, o + 2);
    p.payloadLen = Math.max(0, len - 8);
    if (end - o < len) p.truncated = true;
    if (depth === 0) {
      if (VXLAN_PORTS.has(p.dport) && end - o >= 16 && (b[o + 8] & 0x08) !== 0) return tunnel(b, 'vxlan', u32(b, o + 12) >>> 8, o + 16, end, p, ETH_TEB);
      if (p.dport === GENEVE_PORT && end - o >= 16 && b[o + 8] >> 6 === 0) {
        const optLen = (b[o + 8] & 0x3f) * 4;
        return tunnel(b, 'geneve', u32(b, o + 12) >>> 8, o + 16 + optLen, end, p, u16(b, o + 10));
      }
    }
    return DecodeStatus.Ok;
  }
  if (proto === 1 || proto === 58) {
    if (end - o < 4) { p.truncated = true; return DecodeStatus.NoTransport; }
    p.l4 = proto === 1 ? L4.ICMP : L4.ICMPv6;
    p.icmpType = b[o];
    p.icmpCode = b[o + 1];
    p.payloadLen = Math.max(0, len - 8);
    const isError = proto === 1
      ? p.icmpType === 3 || p.icmpType === 4 || p.icmpType === 5 || p.icmpType === 11 || p.icmpType === 12
      : p.icmpType >= 1 && p.icmpType <= 4;
    if (isError) icmpInner(b, o + 8, end, p);
    return DecodeStatus.Ok;
  }
  return DecodeStatus.NoTransport;
}

function tcpOptions(b: Uint8Array, o: number, end: number, p: Packet): void {
  while (o < end) {
    const kind = b[o];
    if (kind === 0) return;
    if (kind === 1) { o++; continue; }
    if (o + 1 >= end) return;
    const len = b[o + 1];
    if (len < 2 || o + len > end) return;
    if (kind === 2 && len === 4) p.mss = u16(b, o + 2);
    else if (kind === 3 && len === 3) p.wscale = b[o + 2];
    else if (kind === 4) p.sackPermitted = true;
    else if (kind === 8 && len === 10) p.tsVal = u32(b, o + 2);
    o += len;
  }
}

/** The inner packet becomes the flow; the outer addresses are kept as tunnel metadata. */
function tunnel(b: Uint8Array, kind: 'vxlan' | 'geneve', vni: number, o: number, end: number, p: Packet, innerType: number): DecodeStatus {
  const outerSrc = p.src;
  const outerDst = p.dst;
  const saved = snapshot(p);
  const t = { kind, vni, outerSrc, outerDst, outer: saved };
  let st: DecodeStatus;
  const ifindex = p.sllIfindex;
  const pktType = p.sllPktType;
  reset(p);
  p.sllIfindex = ifindex;
  p.sllPktType = pktType;
  if (innerType === ETH_TEB) st = ethernet(b, o, end, p, 1);
  else st = byEthertype(b, innerType, o, end, p, 1);
  if (st === DecodeStatus.Ok || st === DecodeStatus.NoTransport) {
    p.tunnel = t;
    return st;
  }
  // Not a decodable inner packet: fall back to the outer UDP datagram.
  restore(p, saved);
  return DecodeStatus.Ok;
}

function snapshot(p: Packet): Packet {
  return { ...p };
}
function restore(p: Packet, s: Packet): void {
  Object.assign(p, s);
}

function icmpInner(b: Uint8Array, o: number, end: number, p: Packet): void {
  if (end - o < 1) return;
  const v = b[o] >> 4;
  if (v === 4 && end - o >= 20) {
    const ihl = (b[o] & 0x0f) * 4;
    const proto = b[o + 9];
    const q = o + ihl;
    const ports = (proto === 6 || proto === 17) && end - q >= 4;
    p.icmpInner = { proto, src: ipv4Text(b, o + 12), dst: ipv4Text(b, o + 16), sport: ports ? u16(b, q) : 0, dport: ports ? u16(b, q + 2) : 0 };
  } else if (v === 6 && end - o >= 40) {
    const proto = b[o + 6];
    const q = o + 40;
    const ports = (proto === 6 || proto === 17) && end - q >= 4;
    p.icmpInner = { proto, src: ipv6Text(b, o + 8), dst: ipv6Text(b, o + 24), sport: ports ? u16(b, q) : 0, dport: ports ? u16(b, q + 2) : 0 };
  }
}
