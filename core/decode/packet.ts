/**
 * A decoded packet. The decoder fills ONE reused object per call (no per-packet allocation on the
 * hot path): consumers must copy what they keep. Fields not present in the packet are left at
 * their zero values (0 / '' / false); check `l4` and `ipVersion` before reading them.
 */
export const enum L4 {
  None = 0,
  ICMP = 1,
  TCP = 6,
  UDP = 17,
  ICMPv6 = 58,
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export interface Packet {
  tsUs: number;
  /** Index of the interface within its capture (see CaptureInterface). */
  iface: number;
  /** Linux SLL2 ifindex of the capturing interface (-1 when unknown). */
  sllIfindex: number;
  /** SLL/SLL2 packet type: 0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing (-1 unknown). */
  sllPktType: number;
  wireLen: number;
  capLen: number;
  /** True when the snaplen cut the packet before its transport payload ended. */
  truncated: boolean;

  /** 0 when no IP layer was decoded. */
  ipVersion: 0 | 4 | 6;
  src: string;
  dst: string;
  /**
   * IP length from the header, as Zeek's orig_ip_bytes counts it: IPv4 total length, IPv6 payload
   * length + 40. 0 when no IP layer (the tracker then estimates it from the payload length).
   */
  ipLen: number;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl: number;
  /** IPv4 identification; -1 for IPv6. */
  ipId: number;
  /** IPv4 DF bit. */
  dontFragment: boolean;
  /** True for any fragment (MF set or offset > 0); only first fragments carry L4 headers. */
  fragment: boolean;
  /** IP protocol number of the transport header (after IPv6 extension headers). */
  proto: number;
  /** L4 decoded: TCP/UDP/ICMP/ICMPv6, or None (unknown proto, non-first fragment, cut header). */
  l4: L4;
  sport: number;
  dport: number;

  // TCP
  tcpFlags: number;
  seq: number;
  ack: number;
  window: number;
  /**
   * TCP or UDP payload bytes per the IP length (not what was captured). For ICMP: the bytes after
   * the 8-byte ICMP header (Zeek's ICMP payload size).
   */
  payloadLen: number;
  /** -1 when absent. */
  mss: number;
  wscale: number;
  sackPermitted: boolean;
  /** TCP timestamp option value (TSval), -1 when absent. */
  tsVal: number;

  // ICMP / ICMPv6
  icmpType: number;
  icmpCode: number;
  /** For ICMP errors: the embedded original packet's tuple (as the original sender sent it). */
  icmpInner: IcmpInner | null;

  /** Outer header of a VXLAN/Geneve tunnel; the fields above describe the inner packet. */
  tunnel: Tunnel | null;
}

export interface IcmpInner {
  proto: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export interface Tunnel {
  kind: 'vxlan' | 'geneve';
  vni: number;
  outerSrc: string;
  outerDst: string;
  /** The outer UDP datagram, tracked as its own connection as Zeek does. */
  outer: Packet;
}

export function newPacket(): Packet {
  return {
    tsUs: 0, iface: 0, sllIfindex: -1, sllPktType: -1, wireLen: 0, capLen: 0, truncated: false,
    ipVersion: 0, src: '', dst: '', ipLen: 0, ttl: 0, ipId: -1, dontFragment: false, fragment: false, proto: 0,
    l4: L4.None, sport: 0, dport: 0, tcpFlags: 0, seq: 0, ack: 0, window: 0, payloadLen: 0,
    mss: -1, wscale: -1, sackPermitted: false, tsVal: -1, icmpType: 0, icmpCode: 0, icmpInner: null,
    tunnel: null,
  };
}
