import type { IcmpErrorRef, RstEvent } from './types.js';
import type { DedupRing } from './dedup.js';

/** Zeek's TCP endpoint states (TCP_Endpoint.h EndpointState); UDP/ICMP use only INACTIVE/ACTIVE via `size`. */
export const INACTIVE = 0;
export const SYN_SENT = 1;
export const SYN_ACK_SENT = 2;
export const PARTIAL = 3;
export const ESTABLISHED = 4;
export const CLOSED = 5;
export const RESET = 6;

export const P_TCP = 0;
export const P_UDP = 1;
export const P_ICMP = 2;

/**
 * One direction of a connection: Zeek's TCP_Endpoint (sequence bookkeeping, history thresholds),
 * the little of TCP_Reassembler that decides content gaps, ConnSize's counters, and the evidence
 * RST events need. Flipping roles swaps whole Side objects, so everything here moves together.
 */
export class Side {
  isOrig: boolean;
  peer!: Side;

  state = INACTIVE;
  prevState = INACTIVE;
  /** uint32 sequence numbers; `wraps` count 32-bit wrap-arounds as Zeek does. */
  startSeq = 0;
  lastSeq = 0;
  ackSeq = 0;
  seqWraps = 0;
  ackWraps = 0;
  finCnt = 0;
  rstCnt = 0;
  /** Relative sequence number just past the FIN. */
  finSeq = 0;
  didClose = false;
  histLastSyn = 0;
  histLastFin = 0;
  histLastRst = 0;
  rxmtCnt = 0;
  rxmtThresh = 1;
  win0Cnt = 0;
  win0Thresh = 1;
  gapCnt = 0;
  gapThresh = 1;

  /** Reassembler: relative seq delivered so far, trim point, and [seq, upper) ranges above a hole. */
  lastReassem = 1;
  trimSeq = 1;
  blocks: number[] | null = null;
  /** Too many holes to follow: stop gap accounting, as Zeek stops delivering (skip_deliveries). */
  skipReassembly = false;

  /** UDP/ICMP payload bytes (Zeek's request_len/reply_len); -1 until a packet is seen. */
  size = -1;

  pkts = 0;
  ipBytes = 0;
  firstTtl = -1;
  /** Data bursts that started after the peer's data (requests, for the originator). */
  turns = 0;
  lastTtl = -1;
  lastIpId = -1;
  sentSyn = false;
  sentSynAck = false;
  sentRst = false;
  isn = -1;

  constructor(isOrig: boolean) {
    this.isOrig = isOrig;
  }
}

export class Conn {
  proto: number;
  /** Who sent the last payload: 0 nobody yet, 1 originator, 2 responder (for request counting). */
  lastDataFrom = 0;
  /** ConnTable kind (protocol, ICMP version, one-way ICMP). */
  kind: number;
  bucket = 0;
  nextInBucket: Conn | undefined = undefined;
  connId: number;
  origIp: string;
  origPort: number;
  respIp: string;
  respPort: number;
  o: Side;
  r: Side;
  startUs: number;
  /** Zeek's last_time (what the duration ends at). */
  lastTime: number;
  /** Last counted packet of any kind; -1 before the first. */
  lastPktUs = -1;
  /** The quiet gap that ended with the latest (non-copy) packet: what an idle timer would see. */
  gapBeforeLastUs = -1;
  history = '';
  /** Zeek's hist_seen: one bit per once-only letter, responder bits shifted by 16. */
  histSeen = 0;

  // TCPSessionAdapter
  isPartial = false;
  firstPacketSeen = 0;
  isActive = true;
  /** Pending AttemptTimers (-1: none); a second one only after a flip. */
  attemptAt = -1;
  attemptAt2 = -1;
  /** Next firing time of the pending ExpireTimer chains (-1: none); rarely more than one. */
  expireNext = -1;
  expireMore: number[] | null = null;
  deleteAt = -1;
  resetAt = -1;
  inactivityUs: number;
  /** No timer can fire before this packet time (lets most packets skip the timer checks). */
  wakeUs: number;
  missedBytes = 0;

  // ICMP key parts
  icmpV6 = false;
  /** ICMP: the first message was the reply half of a request/reply pair. */
  icmpReplyFirst = false;

  // Capture points and dedup
  /** Distinct (iface, ifindex) pairs seen, flattened. */
  sightings: number[] = [];
  duplicatePkts = 0;
  ring: DedupRing | null = null;
  tunnel: { kind: 'vxlan' | 'geneve'; vni: number; outerSrc: string; outerDst: string } | null = null;

  icmpErrors = 0;
  lastIcmpError: IcmpErrorRef | null = null;
  pendingRst: RstEvent | null = null;

  constructor(proto: number, kind: number, connId: number, origIp: string, origPort: number, respIp: string, respPort: number, t: number, inactivityUs: number) {
    this.proto = proto;
    this.kind = kind;
    this.connId = connId;
    this.origIp = origIp;
    this.origPort = origPort;
    this.respIp = respIp;
    this.respPort = respPort;
    this.startUs = t;
    this.lastTime = t;
    this.inactivityUs = inactivityUs;
    this.wakeUs = t + inactivityUs;
    const o = new Side(true);
    const r = new Side(false);
    o.peer = r;
    r.peer = o;
    this.o = o;
    this.r = r;
  }
}
