import { TCP_ACK, TCP_RST, TCP_SYN, type Packet } from '../decode/packet.js';
import { Conn, P_ICMP, P_TCP, P_UDP, type Side } from './conn.js';
import { ConnTable } from './conn-table.js';
import { capturePoint, DedupRing, findCopy, remember } from './dedup.js';
import { ZEEK_LIKELY_SERVER_PORTS } from './likely-server-ports.js';
import { addExpire, flipAfterSynAck, tcpConnState, tcpExpired, tcpIsReuse, tcpProcess, tcpSize } from './tcp-session.js';
import { ZEEK_TIMEOUTS, type FlowTimeouts } from './timeouts.js';
import type { ConnRecord, ConnState, RstEvent, Sighting } from './types.js';
import { icmpCounterpart, icmpIsReply, icmpProcess, udpConnState, udpProcess } from './udp-icmp.js';

// Packet.l4 values (L4 is a const enum; literals keep the hot path free of enum lookups).
const L4_ICMP = 1;
const L4_TCP = 6;
const L4_UDP = 17;
const L4_ICMPV6 = 58;

// ConnTable kinds.
const K_TCP = 0;
const K_UDP = 1;
const K_ICMP = 2;
const K_ICMP6 = 3;

export interface TrackerOptions {
  sourceId: number;
  onConn(c: ConnRecord): void;
  onRst(e: RstEvent): void;
  timeouts?: Partial<FlowTimeouts>;
  /** Copies of one packet at several capture points must arrive within this (µs). Default 10 ms. */
  dedupWindowUs?: number;
  /** Largest TTL difference between copies (forwarding hops inside the node). Default 8. */
  dedupMaxTtlDelta?: number;
  /**
   * Zeek's likely_server_ports: a connection whose first packet is not a bare SYN (TCP) or any UDP
   * flow is flipped ('^') when its source port is one of these (see newTcp for the TCP details).
   * Default: the ports Zeek's base protocol scripts load (ZEEK_LIKELY_SERVER_PORTS); pass empty
   * lists to keep the first sender as the originator.
   */
  likelyServerPorts?: { tcp?: Iterable<number>; udp?: Iterable<number> };
  /** How often (packet time) ended connections are looked for and emitted. Default 5 s. */
  sweepIntervalUs?: number;
}

export interface TrackerStats {
  packets: number;
  /** Packets with no IP or transport layer the tracker uses (non-first fragments, other protocols). */
  ignored: number;
  /** Copies of an already counted packet seen at another capture point. */
  duplicates: number;
  connsStarted: number;
  connsEnded: number;
  active: number;
  /** Connections ended because a new SYN reopened their 5-tuple. */
  reused: number;
  rstEvents: number;
  /** ICMP errors tied to a tracked TCP/UDP flow. */
  icmpErrorsLinked: number;
}

interface PendingRst {
  ev: RstEvent;
  conn: Conn;
  due: number;
  /** Already given out with its connection (which ended before the wait was over). */
  done?: boolean;
}

/**
 * Connection tracker with Zeek conn.log semantics. Feed it packets of one capture source in
 * capture order; it emits each connection when Zeek's timers would end it (or at flush), so memory
 * holds only live connections, and each RST as an event (after the dedup window when the capture
 * has several capture points, so copies of the RST join the same event).
 */
export class ConnTracker {
  private readonly sourceId: number;
  private readonly onConn: (c: ConnRecord) => void;
  private readonly onRst: (e: RstEvent) => void;
  private readonly tm: FlowTimeouts;
  private readonly windowUs: number;
  private readonly maxTtlDelta: number;
  private readonly sweepUs: number;
  private readonly tcpServerPorts: Set<number>;
  private readonly udpServerPorts: Set<number>;
  private readonly conns = new ConnTable();
  private nextConnId = 1;
  private nextSweepUs = -Infinity;
  private firstCap: number | null = null;
  /**
   * Copies are looked for from now on: the capture is a Linux cooked one (`-i any`), or a second
   * capture point was seen. Until then connections keep no dedup ring.
   */
  private multiCap = false;
  private readonly pending: PendingRst[] = [];
  private pendHead = 0;
  private readonly st: Omit<TrackerStats, 'active'> = {
    packets: 0, ignored: 0, duplicates: 0, connsStarted: 0, connsEnded: 0, reused: 0, rstEvents: 0, icmpErrorsLinked: 0,
  };

  constructor(opts: TrackerOptions) {
    this.sourceId = opts.sourceId;
    this.onConn = opts.onConn;
    this.onRst = opts.onRst;
    this.tm = { ...ZEEK_TIMEOUTS, ...opts.timeouts };
    this.windowUs = opts.dedupWindowUs ?? 10_000;
    this.maxTtlDelta = opts.dedupMaxTtlDelta ?? 8;
    this.sweepUs = opts.sweepIntervalUs ?? 5_000_000;
    this.tcpServerPorts = new Set(opts.likelyServerPorts?.tcp ?? ZEEK_LIKELY_SERVER_PORTS.tcp);
    this.udpServerPorts = new Set(opts.likelyServerPorts?.udp ?? ZEEK_LIKELY_SERVER_PORTS.udp);
  }

  get stats(): TrackerStats {
    return { ...this.st, active: this.conns.size };
  }

  push(p: Packet): void {
    this.st.packets++;
    const l4 = p.l4;
    if (p.ipVersion === 0 || (l4 !== L4_TCP && l4 !== L4_UDP && l4 !== L4_ICMP && l4 !== L4_ICMPV6)) {
      this.st.ignored++;
      return;
    }
    const t = p.tsUs;
    if (t >= this.nextSweepUs) this.sweep(t);
    if (this.pendHead < this.pending.length && this.pending[this.pendHead].due < t) this.releaseRsts(t);
    const cap = capturePoint(p);
    if (cap !== this.firstCap) {
      if (this.firstCap === null) {
        this.firstCap = cap;
        if (p.sllPktType >= 0) this.multiCap = true;
      } else this.multiCap = true;
    }
    if (l4 === L4_TCP) this.tcp(p, t, cap);
    else if (l4 === L4_UDP) this.udp(p, t, cap);
    else this.icmp(p, t, cap);
  }

  /** Emit every connection still open (end of the capture) and any RST still waiting for copies. */
  flush(): void {
    this.releaseRsts(Infinity);
    this.conns.forEach((c) => this.emit(c));
    this.conns.clear();
  }

  // --- per protocol -------------------------------------------------------------------------------

  private tcp(p: Packet, t: number, cap: number): void {
    const src = p.src;
    const sp = p.sport;
    let c = this.conns.find(K_TCP, src, sp, p.dst, p.dport);
    if (c !== undefined) {
      if (this.multiCap && this.isCopy(c, p, cap)) return;
      if (tcpExpired(c, t, this.tm)) {
        this.end(c);
        c = undefined;
      } else if (tcpIsReuse(c, p)) {
        this.st.reused++;
        this.end(c);
        c = undefined;
      }
    }
    if (c === undefined) c = this.newTcp(p, t);
    else flipAfterSynAck(c, p, this.tm);
    const isOrig = src === c.origIp && sp === c.origPort;
    const ep = isOrig ? c.o : c.r;
    const prevPktUs = c.lastPktUs;
    const senderPrevPkts = ep.pkts;
    const prevTtl = ep.lastTtl;
    const prevIpId = ep.lastIpId;
    this.sighting(c, p, cap);

    tcpProcess(c, isOrig, p, t, this.tm);

    this.count(ep, p);
    if (p.payloadLen > 0) {
      const from = isOrig ? 1 : 2;
      if (c.lastDataFrom !== from) {
        ep.turns++;
        c.lastDataFrom = from;
      }
    }
    const fl = p.tcpFlags;
    if ((fl & TCP_SYN) !== 0) {
      if ((fl & TCP_ACK) === 0) ep.sentSyn = true;
      else ep.sentSynAck = true;
      if (ep.isn < 0 && (fl & TCP_RST) === 0) ep.isn = p.seq >>> 0;
    }
    if ((fl & TCP_RST) !== 0) {
      ep.sentRst = true;
      this.rstEvent(c, ep, p, t, prevPktUs, senderPrevPkts, prevTtl, prevIpId);
    } else {
      ep.lastTtl = p.ttl;
      ep.lastIpId = p.ipId;
    }
    c.gapBeforeLastUs = prevPktUs < 0 ? -1 : t - prevPktUs;
    c.lastPktUs = t;
  }

  private newTcp(p: Packet, t: number): Conn {
    const fl = p.tcpFlags;
    const syn = (fl & TCP_SYN) !== 0;
    let flip = false;
    // TCPAnalyzer::WantConnection (src/packet_analysis/protocol/tcp/TCP.cc, Zeek 5.x-6.x as read): only a connection that
    // starts without a SYN or with a SYN-ACK is a flip candidate, and only by its ports: source port
    // likely and destination not -> flip; both likely -> flip only if it is not a SYN-ACK and the
    // source port is the lower one. A SYN-ACK on other ports keeps its sender as the originator
    // ("doesn't work for stealth scans"); flipAfterSynAck turns it round once the peer answers.
    if (!syn || (fl & TCP_ACK) !== 0) {
      if (this.tcpServerPorts.has(p.sport)) flip = this.tcpServerPorts.has(p.dport) ? !syn && p.sport < p.dport : true;
    }
    if (p.dst === '255.255.255.255') flip = false;
    // Zeek gives a TCP connection udp_inactivity_timeout until its handshake is over.
    const c = this.newConn(P_TCP, K_TCP, p, t, flip, this.tm.udpInactivityUs);
    addExpire(c, t + this.tm.tcpSynTimeoutUs);
    return c;
  }

  private udp(p: Packet, t: number, cap: number): void {
    const src = p.src;
    const sp = p.sport;
    let c = this.conns.find(K_UDP, src, sp, p.dst, p.dport);
    if (c !== undefined) {
      if (this.multiCap && this.isCopy(c, p, cap)) return;
      if (c.lastTime + this.tm.udpInactivityUs <= t) {
        this.end(c);
        c = undefined;
      }
    }
    if (c === undefined) {
      // UDPAnalyzer::WantConnection (src/packet_analysis/protocol/udp/UDP.cc, Zeek 5.x-6.x): source port
      // likely and destination not.
      const flip = this.udpServerPorts.has(sp) && !this.udpServerPorts.has(p.dport) && p.dst !== '255.255.255.255';
      c = this.newConn(P_UDP, K_UDP, p, t, flip, this.tm.udpInactivityUs);
    }
    const isOrig = src === c.origIp && sp === c.origPort;
    const ep = isOrig ? c.o : c.r;
    this.sighting(c, p, cap);
    udpProcess(c, isOrig, p.payloadLen, t);
    this.count(ep, p);
    ep.lastTtl = p.ttl;
    ep.lastIpId = p.ipId;
    c.lastPktUs = t;
  }

  private icmp(p: Packet, t: number, cap: number): void {
    const v6 = p.l4 === L4_ICMPV6;
    const type = p.icmpType;
    const counter = icmpCounterpart(v6, type);
    // ICMPAnalyzer::InitConnKey: orig "port" = type, resp "port" = counterpart type, or the code for
    // one-way messages, whose key keeps its direction.
    const oneWay = counter < 0;
    const rp = oneWay ? p.icmpCode : counter;
    const kind = (v6 ? K_ICMP6 : K_ICMP) + (oneWay ? 2 : 0);
    const src = p.src;
    let c = this.conns.find(kind, src, type, p.dst, rp);
    if (c !== undefined) {
      if (this.multiCap && this.isCopy(c, p, cap)) return;
      if (c.lastTime + this.tm.icmpInactivityUs <= t) {
        this.end(c);
        c = undefined;
      }
    }
    if (c === undefined) {
      c = this.newConnTuple(P_ICMP, kind, src, type, p.dst, rp, t, false, this.tm.icmpInactivityUs);
      c.icmpV6 = v6;
      c.icmpReplyFirst = icmpIsReply(v6, type);
    }
    const isOrig = src === c.origIp && type === c.origPort;
    const ep = isOrig ? c.o : c.r;
    this.sighting(c, p, cap);
    icmpProcess(c, isOrig, p.payloadLen, t);
    this.count(ep, p);
    ep.lastTtl = p.ttl;
    ep.lastIpId = p.ipId;
    c.lastPktUs = t;

    const inner = p.icmpInner;
    if (inner !== null && (inner.proto === 6 || inner.proto === 17)) {
      const flow = this.conns.find(inner.proto === 6 ? K_TCP : K_UDP, inner.src, inner.sport, inner.dst, inner.dport);
      if (flow !== undefined) {
        flow.icmpErrors++;
        flow.lastIcmpError = { tsUs: t, type, code: p.icmpCode, reporterIp: src };
        this.st.icmpErrorsLinked++;
      }
    }
  }

  // --- shared ----------------------------------------------------------------------------------

  private newConn(proto: number, kind: number, p: Packet, t: number, flip: boolean, inactivityUs: number): Conn {
    return flip
      ? this.newConnTuple(proto, kind, p.dst, p.dport, p.src, p.sport, t, true, inactivityUs)
      : this.newConnTuple(proto, kind, p.src, p.sport, p.dst, p.dport, t, false, inactivityUs);
  }

  private newConnTuple(proto: number, kind: number, oIp: string, oPort: number, rIp: string, rPort: number, t: number, flipped: boolean, inactivityUs: number): Conn {
    const c = new Conn(proto, kind, this.nextConnId++, oIp, oPort, rIp, rPort, t, inactivityUs);
    // Connection::FlipRoles before any packet: only the '^' shows.
    if (flipped) c.history = '^';
    this.conns.insert(c);
    this.st.connsStarted++;
    return c;
  }

  /** ConnSize: packets and IP bytes per direction, plus the first TTL. */
  private count(ep: Side, p: Packet): void {
    ep.pkts++;
    ep.ipBytes += p.ipLen > 0 ? p.ipLen : estimateIpLen(p);
    if (ep.firstTtl < 0) ep.firstTtl = p.ttl;
  }

  private sighting(c: Conn, p: Packet, cap: number): void {
    const sg = c.sightings;
    if (sg.length !== 2 || sg[0] !== p.iface || sg[1] !== p.sllIfindex) addSighting(sg, p.iface, p.sllIfindex);
    if (c.tunnel === null && p.tunnel !== null) c.tunnel = { kind: p.tunnel.kind, vni: p.tunnel.vni, outerSrc: p.tunnel.outerSrc, outerDst: p.tunnel.outerDst };
    if (this.multiCap) {
      if (c.ring === null) c.ring = new DedupRing();
      remember(c.ring, p, direction(p), cap);
    }
  }

  /** The same packet already counted at another capture point: note where, count once. */
  private isCopy(c: Conn, p: Packet, cap: number): boolean {
    const ring = c.ring;
    if (ring === null) return false;
    if (findCopy(ring, p, direction(p), cap, this.windowUs, this.maxTtlDelta) < 0) return false;
    c.duplicatePkts++;
    this.st.duplicates++;
    addSighting(c.sightings, p.iface, p.sllIfindex);
    if (c.tunnel === null && p.tunnel !== null) c.tunnel = { kind: p.tunnel.kind, vni: p.tunnel.vni, outerSrc: p.tunnel.outerSrc, outerDst: p.tunnel.outerDst };
    const ev = c.pendingRst;
    if (ev !== null && p.l4 === L4_TCP && (p.tcpFlags & TCP_RST) !== 0 && ev.seq === p.seq >>> 0 && ev.senderIp === p.src) {
      if (!ev.sightings.some((s) => s.iface === p.iface && s.ifindex === p.sllIfindex)) {
        ev.sightings.push({ sourceId: this.sourceId, iface: p.iface, ifindex: p.sllIfindex });
      }
    }
    return true;
  }

  private rstEvent(c: Conn, ep: Side, p: Packet, t: number, prevPktUs: number, senderPrevPkts: number, prevTtl: number, prevIpId: number): void {
    const guessed = !(c.o.sentSyn || c.r.sentSynAck);
    const ev: RstEvent = {
      connId: c.connId,
      tsUs: t,
      senderIp: p.src,
      senderPort: p.sport,
      receiverIp: p.dst,
      receiverPort: p.dport,
      senderRole: guessed ? 'unknown' : ep.isOrig ? 'orig' : 'resp',
      flags: p.tcpFlags,
      seq: p.seq >>> 0,
      ack: p.ack >>> 0,
      ttl: p.ttl,
      ipId: p.ipId,
      senderPrevTtl: prevTtl,
      senderPrevIpId: prevIpId,
      idleBeforeUs: prevPktUs < 0 ? -1 : t - prevPktUs,
      quietBeforeUs: Math.max(prevPktUs < 0 ? -1 : t - prevPktUs, c.gapBeforeLastUs),
      answersSyn: senderPrevPkts === 0 && ep.peer.sentSyn,
      payloadLen: p.payloadLen,
      sightings: [{ sourceId: this.sourceId, iface: p.iface, ifindex: p.sllIfindex }],
    };
    this.st.rstEvents++;
    if (!this.multiCap) {
      this.onRst(ev);
      return;
    }
    c.pendingRst = ev;
    this.pending.push({ ev, conn: c, due: t + this.windowUs });
  }

  private releaseRstsOf(c: Conn): void {
    const q = this.pending;
    for (let i = this.pendHead; i < q.length; i++) {
      if (q[i].conn === c && !q[i].done) {
        q[i].done = true;
        this.onRst(q[i].ev);
      }
    }
    c.pendingRst = null;
  }

  private releaseRsts(t: number): void {
    const q = this.pending;
    let h = this.pendHead;
    while (h < q.length && q[h].due < t) {
      const { ev, conn, done } = q[h];
      if (conn.pendingRst === ev) conn.pendingRst = null;
      if (!done) this.onRst(ev);
      h++;
    }
    if (h === q.length) {
      q.length = 0;
      h = 0;
    } else if (h > 1024 && h * 2 > q.length) {
      q.splice(0, h);
      h = 0;
    }
    this.pendHead = h;
  }

  private sweep(t: number): void {
    this.nextSweepUs = t + this.sweepUs;
    const quiet = t - this.windowUs;
    this.conns.forEach((c) => {
      if (c.proto === P_TCP ? tcpExpired(c, t, this.tm)
        : c.lastTime + (c.proto === P_UDP ? this.tm.udpInactivityUs : this.tm.icmpInactivityUs) <= t) {
        this.end(c);
      } else if (c.ring !== null && c.lastPktUs < quiet && c.pendingRst === null) {
        // Copies come within the dedup window: a connection quiet for longer needs no ring (the
        // next packet starts a new one). Closed connections linger ~11 s for Zeek's timers, and at
        // thousands of connections a second their rings were a fifth of the live heap.
        c.ring = null;
      }
    });
  }

  private end(c: Conn): void {
    this.conns.remove(c);
    this.emit(c);
  }

  private emit(c: Conn): void {
    // A RST still waiting for copies from other capture points goes out before its connection:
    // the writer stores RSTs with their connection, and a connection can end inside the wait
    // (a SYN retried right after the RST starts a new one).
    if (c.pendingRst !== null) this.releaseRstsOf(c);
    this.st.connsEnded++;
    this.onConn(this.record(c));
  }

  private record(c: Conn): ConnRecord {
    const tcp = c.proto === P_TCP;
    const o = c.o;
    const r = c.r;
    let state: ConnState;
    let originGuessed: boolean;
    if (tcp) {
      state = tcpConnState(c);
      originGuessed = !(o.sentSyn || r.sentSynAck);
    } else if (c.proto === P_UDP) {
      state = udpConnState(c);
      originGuessed = true; // no handshake: the first sender is the originator by flow semantics
    } else {
      state = 'OTH';
      originGuessed = c.icmpReplyFirst;
    }
    const sightings: Sighting[] = [];
    const sg = c.sightings;
    for (let i = 0; i < sg.length; i += 2) sightings.push({ sourceId: this.sourceId, iface: sg[i], ifindex: sg[i + 1] });
    return {
      proto: tcp ? 'tcp' : c.proto === P_UDP ? 'udp' : 'icmp',
      origIp: c.origIp,
      origPort: c.origPort,
      respIp: c.respIp,
      respPort: c.respPort,
      startUs: c.startUs,
      endUs: c.lastTime,
      lastPktUs: c.lastPktUs,
      state,
      history: c.history,
      origPkts: o.pkts,
      respPkts: r.pkts,
      origBytes: tcp ? tcpSize(o) : Math.max(0, o.size),
      respBytes: tcp ? tcpSize(r) : Math.max(0, r.size),
      origIpBytes: o.ipBytes,
      respIpBytes: r.ipBytes,
      missedBytes: c.missedBytes,
      originGuessed,
      rstBy: o.sentRst ? (r.sentRst ? 'both' : 'orig') : r.sentRst ? 'resp' : null,
      origIsn: tcp ? o.isn : -1,
      respIsn: tcp ? r.isn : -1,
      origTtl: o.firstTtl,
      respTtl: r.firstTtl,
      origRequests: o.turns,
      sightings,
      tunnel: c.tunnel,
      duplicatePkts: c.duplicatePkts,
      connId: c.connId,
      icmpErrors: c.icmpErrors,
      lastIcmpError: c.lastIcmpError,
    };
  }
}

/** Which way along the tuple a packet goes, independent of roles (which may flip later). */
function direction(p: Packet): number {
  const a = p.src;
  const b = p.dst;
  return a < b ? 0 : a > b ? 1 : p.sport <= p.dport ? 0 : 1;
}

function addSighting(sg: number[], iface: number, ifindex: number): void {
  for (let i = 0; i < sg.length; i += 2) if (sg[i] === iface && sg[i + 1] === ifindex) return;
  sg.push(iface, ifindex);
}

/** When the decoder gave no IP length: payload plus minimal IP and transport headers. */
function estimateIpLen(p: Packet): number {
  return p.payloadLen + (p.ipVersion === 6 ? 40 : 20) + (p.l4 === L4_TCP ? 20 : 8);
}
