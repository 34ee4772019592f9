/**
 * What the connection tracker emits. Field meanings follow Zeek's conn.log
 * (scripts/base/protocols/conn/main.zeek) so users can compare with Zeek.
 */
import type { ConnState } from '../net/conn-state.js';

export type { ConnState };
export type ConnProto = 'tcp' | 'udp' | 'icmp';

/** A capture point a connection (or a RST) was seen at: capture source + interface within it. */
export interface Sighting {
  sourceId: number;
  iface: number;
  /**
   * Linux ifindex from the SLL2 header, -1 when the capture has none. A `tcpdump -i any` capture has
   * one capture interface ("any"); this is what tells its real interfaces apart.
   */
  ifindex: number;
}

export interface ConnRecord {
  proto: ConnProto;
  origIp: string;
  /** For ICMP: the type (Zeek's orig_p). */
  origPort: number;
  respIp: string;
  /**
   * For ICMP, Zeek's resp_p: the type of the other half of a request/reply pair (echo request 8 ->
   * 0, ICMPv6 128 -> 129, ...), otherwise the message's code.
   */
  respPort: number;
  startUs: number;
  /**
   * Zeek's last_time: time of the last packet that counted for the duration. As in Zeek, packets
   * after both sides closed (e.g. the final ACK) do not move it; `lastPktUs` has those too.
   */
  endUs: number;
  /** Time of the last packet of any kind (including trailing ones after both sides closed). */
  lastPktUs: number;
  state: ConnState;
  history: string;
  origPkts: number;
  respPkts: number;
  /** Payload bytes, as Zeek's orig_bytes/resp_bytes (TCP: from sequence numbers). */
  origBytes: number;
  respBytes: number;
  origIpBytes: number;
  respIpBytes: number;
  /** Zeek's missed_bytes: sequence space not seen (content gaps). */
  missedBytes: number;
  /** No SYN (or SYN-ACK) fixed the direction: the originator is the first sender, a guess. */
  originGuessed: boolean;
  rstBy: 'orig' | 'resp' | 'both' | null;
  /** Initial sequence numbers (TCP), -1 when not seen. Used to link NAT halves and merge sightings. */
  origIsn: number;
  respIsn: number;
  /** TTL/hop limit of the first packet in each direction (-1 when none). */
  origTtl: number;
  respTtl: number;
  /**
   * TCP: originator data bursts that began after responder data (or first): the requests a
   * connection carried. 1 on a connection used once and closed (no reuse); 0 with no data.
   */
  origRequests: number;
  /** Capture points where this connection's packets were seen (deduplicated). */
  sightings: Sighting[];
  /** Outer tunnel of the connection's packets, when they were VXLAN/Geneve encapsulated. */
  tunnel: { kind: 'vxlan' | 'geneve'; vni: number; outerSrc: string; outerDst: string } | null;
  /** Packets counted once though seen again at another capture point (`-i any` dedup). */
  duplicatePkts: number;
  /** Tracker-local id, unique within one tracker run; RstEvent.connId refers to it. */
  connId: number;
  /** ICMP errors (unreachable, time exceeded, ...) whose embedded packet belongs to this flow. */
  icmpErrors: number;
  /** The most recent such ICMP error (null when none). */
  lastIcmpError: IcmpErrorRef | null;
}

export interface IcmpErrorRef {
  tsUs: number;
  /** ICMP/ICMPv6 type and code of the error. */
  type: number;
  code: number;
  /** Who sent the error (router, or the destination host itself). */
  reporterIp: string;
}

export interface RstEvent {
  connId: number;
  tsUs: number;
  senderIp: string;
  senderPort: number;
  receiverIp: string;
  receiverPort: number;
  /** Which side of the connection sent it. */
  senderRole: 'orig' | 'resp' | 'unknown';
  flags: number;
  seq: number;
  ack: number;
  ttl: number;
  /** IPv4 identification, -1 for IPv6. */
  ipId: number;
  /** TTL of the sender's previous non-RST packet on this connection (-1 when none). */
  senderPrevTtl: number;
  /** IP ID of the sender's previous non-RST packet on this connection (-1 when none/IPv6). */
  senderPrevIpId: number;
  /** Microseconds since the connection's previous packet (any direction); -1 for the first packet. */
  idleBeforeUs: number;
  /**
   * The longer of idleBeforeUs and the gap before the packet the RST answers: a middlebox whose
   * idle timer expired resets the first packet after the quiet period, so the quiet shows there.
   */
  quietBeforeUs: number;
  /** True when this RST answers a SYN (nothing else was seen from the sender): a refused port. */
  answersSyn: boolean;
  payloadLen: number;
  /** Capture points it was seen at (one RST seen on several interfaces is one event). */
  sightings: Sighting[];
}
