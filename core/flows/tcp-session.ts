/**
 * Zeek's TCP connection analysis, re-implemented from its source so conn_state and history match
 * `zeek -C` (checksums ignored, so the 'C' letter never appears). References are to zeek/zeek:
 *   src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc  (Process, init_endpoint, update_history,
 *     update_last_seq, Update*State, ConnectionClosed, IsReuse, the timers, FlipRoles)
 *   src/analyzer/protocol/tcp/TCP_Endpoint.cc              (SetState, Size, CheckHistory, DidRxmit, ...)
 *   src/analyzer/protocol/tcp/TCP_Reassembler.cc           (AckReceived, Undelivered, Gap)
 *   src/session/Session.cc                                  (CheckHistory, ScaledHistoryEntry)
 *   scripts/base/protocols/conn/main.zeek                   (conn_state)
 * as read in Zeek 5.x-8.x (TCPSessionAdapter.cc of 2025 with the TCP timestamp option parsing).
 * Who is the originator of a connection first seen mid-stream is decided in tracker.ts (newTcp,
 * TCPAnalyzer::WantConnection) and here (flipAfterSynAck, the SYN/SYN-ACK reversal).
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type Packet } from '../decode/packet.js';
import { CLOSED, ESTABLISHED, INACTIVE, PARTIAL, RESET, SYN_ACK_SENT, SYN_SENT, type Conn, type Side } from './conn.js';
import type { FlowTimeouts } from './timeouts.js';
import type { ConnState } from './types.js';

const TOO_LARGE_SEQ_DELTA = 1048576;
const TWO32 = 4294967296;
const ORIG_SEEN = 1;
const RESP_SEEN = 2;
/** Most [seq, upper) ranges kept above a hole before gap accounting gives up for that side. */
const MAX_BLOCKS = 512;

// TCP_Endpoint::HistoryMasks
const HIST_SYN = 0x1;
const HIST_FIN = 0x2;
const HIST_RST = 0x4;
const HIST_FIN_RST = 0x8;
const HIST_DATA = 0x10;
const HIST_ACK = 0x20;
const HIST_MULTI_FLAG = 0x40;

// Out-parameters of the hot helpers (no per-packet allocation).
let seqUnderflow = false;
let doClose = false;
let genEvent = false;

function isHandshake(s: number): boolean {
  return s === INACTIVE || s === SYN_SENT || s === SYN_ACK_SENT;
}

/** TCP_Endpoint::SetState: leaving the handshake switches to tcp_inactivity_timeout. */
function setState(c: Conn, ep: Side, s: number, tm: FlowTimeouts): void {
  if (s === ep.state) return;
  if (!isHandshake(s) && isHandshake(ep.state) && isHandshake(ep.peer.state)) c.inactivityUs = tm.tcpInactivityUs;
  ep.prevState = ep.state;
  ep.state = s;
}

/** Session::CheckHistory via TCP_Endpoint::CheckHistory: once-only letters, lower case for the responder. */
function checkHistory(c: Conn, ep: Side, mask: number, upper: string, lower: string): boolean {
  const m = ep.isOrig ? mask : mask << 16;
  if ((c.histSeen & m) === 0) {
    c.histSeen |= m;
    c.history += ep.isOrig ? upper : lower;
    return false;
  }
  return true;
}

// Session::ScaledHistoryEntry: the letter at the 1st, 10th, 100th, ... occurrence.
function didRxmit(c: Conn, ep: Side): void {
  if (++ep.rxmtCnt === ep.rxmtThresh) {
    c.history += ep.isOrig ? 'T' : 't';
    ep.rxmtThresh *= 10;
  }
}
function zeroWindow(c: Conn, ep: Side): void {
  if (++ep.win0Cnt === ep.win0Thresh) {
    c.history += ep.isOrig ? 'W' : 'w';
    ep.win0Thresh *= 10;
  }
}
function gapLetter(c: Conn, ep: Side): void {
  if (++ep.gapCnt === ep.gapThresh) {
    c.history += ep.isOrig ? 'G' : 'g';
    ep.gapThresh *= 10;
  }
}

/** TCPSessionAdapter::get_relative_seq; sets `seqUnderflow`. Negative where Zeek's uint64 would wrap. */
function relSeq(ep: Side, cur: number, last: number, wraps: number): number {
  seqUnderflow = false;
  let d = (cur - last) | 0;
  if (d < 0) {
    if (wraps > 0 && cur > last) --wraps;
  } else if (d > 0) {
    if (cur < last) ++wraps;
  }
  if (wraps === 0) {
    d = (cur - ep.startSeq) | 0;
    if (d < 0) seqUnderflow = true;
    return d;
  }
  return wraps * TWO32 + cur - ep.startSeq;
}

function initEndpoint(ep: Side, syn: boolean, first: number, last: number): void {
  switch (ep.state) {
    case INACTIVE:
      if (syn) {
        ep.ackSeq = first;
        ep.startSeq = first;
      } else {
        // Partial connection: number as though a SYN had been seen.
        ep.ackSeq = (first - 1) >>> 0;
        ep.startSeq = (first - 1) >>> 0;
        last = first;
      }
      ep.lastSeq = last;
      break;
    case SYN_SENT:
    case SYN_ACK_SENT:
      if (syn && first !== ep.startSeq) {
        ep.startSeq = first;
        ep.ackSeq = first;
        ep.lastSeq = last;
      }
      break;
    case ESTABLISHED:
    case PARTIAL:
      if (syn) {
        ep.startSeq = first;
        ep.ackSeq = first;
        ep.lastSeq = last;
      }
      break;
    case RESET:
      if (syn && ep.prevState === INACTIVE) {
        ep.startSeq = first;
        ep.ackSeq = first;
        ep.lastSeq = last;
      }
      break;
    default:
      break;
  }
}

function updateHistory(c: Conn, ep: Side, syn: boolean, fin: boolean, rst: boolean, ack: boolean, rel: number, len: number): void {
  const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (bits > 1) {
    if (fin && rst) checkHistory(c, ep, HIST_FIN_RST, 'I', 'i');
    else checkHistory(c, ep, HIST_MULTI_FLAG, 'Q', 'q');
  } else if (bits === 1) {
    if (syn) {
      const up = ack ? 'H' : 'S';
      const low = ack ? 'h' : 's';
      if (checkHistory(c, ep, HIST_SYN, up, low) && rel !== ep.histLastSyn) c.history += ep.isOrig ? up : low;
      ep.histLastSyn = rel;
    }
    if (fin) {
      // A FIN's sequence number is at the end of its data.
      if (checkHistory(c, ep, HIST_FIN, 'F', 'f') && rel + len !== ep.histLastFin) c.history += ep.isOrig ? 'F' : 'f';
      ep.histLastFin = rel + len;
    }
    if (rst) {
      if (checkHistory(c, ep, HIST_RST, 'R', 'r') && rel !== ep.histLastRst) c.history += ep.isOrig ? 'R' : 'r';
      ep.histLastRst = rel;
    }
  } else if (len > 0) {
    checkHistory(c, ep, HIST_DATA, 'D', 'd');
  } else if (ack) {
    checkHistory(c, ep, HIST_ACK, 'A', 'a');
  }
}

function initPeer(peer: Side, ackSeq: number): void {
  const s = (ackSeq - 1) >>> 0;
  peer.startSeq = s;
  peer.ackSeq = s;
  peer.lastSeq = s;
}

function updateAckSeq(ep: Side, ackSeq: number): void {
  const d = (ackSeq - ep.ackSeq) | 0;
  if (ackSeq === 0 && d > TOO_LARGE_SEQ_DELTA) return; // more likely a broken ack than a wrap onto 0
  if (d > 0) {
    if (ackSeq < ep.ackSeq) ++ep.ackWraps;
    ep.ackSeq = ackSeq;
  }
}

function updateLastSeq(c: Conn, ep: Side, last: number, syn: boolean, fin: boolean, rst: boolean, len: number): number {
  const d = (last - ep.lastSeq) | 0;
  if ((syn || rst) && (d > TOO_LARGE_SEQ_DELTA || d < -TOO_LARGE_SEQ_DELTA)) {
    // untrusted jump
  } else if (fin && ep.lastSeq === ((ep.startSeq + 1) >>> 0)) {
    if (last < ep.lastSeq) ++ep.seqWraps;
    ep.lastSeq = last;
  } else if (ep.state === RESET) {
    // sequence numbers after a RST are not trusted
  } else if (d > 0) {
    if (last < ep.lastSeq) ++ep.seqWraps;
    ep.lastSeq = last;
  } else if (len > 0) {
    didRxmit(c, ep);
  }
  return d;
}

function setPartialStatus(c: Conn, syn: boolean, ack: boolean, isOrig: boolean): void {
  if (isOrig) {
    if ((c.firstPacketSeen & ORIG_SEEN) === 0) c.isPartial = !syn || ack;
  } else if ((c.firstPacketSeen & RESP_SEEN) === 0 && !c.isPartial) {
    c.isPartial = !syn;
  }
}

/** Connection::FlipRoles + TCPSessionAdapter::FlipRoles (ConnSize's counters live in Side, so they follow). */
export function flipRoles(c: Conn): void {
  const ip = c.origIp;
  c.origIp = c.respIp;
  c.respIp = ip;
  const port = c.origPort;
  c.origPort = c.respPort;
  c.respPort = port;
  const o = c.o;
  c.o = c.r;
  c.r = o;
  c.o.isOrig = !c.o.isOrig;
  c.r.isOrig = !c.r.isOrig;
  const f = c.firstPacketSeen;
  c.firstPacketSeen = ((f & ORIG_SEEN) !== 0 ? RESP_SEEN : 0) | ((f & RESP_SEEN) !== 0 ? ORIG_SEEN : 0);
  c.isPartial = false;
  c.history += '^';
}

function swapCase(h: string): string {
  let out = '';
  for (const ch of h) out += ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
  return out;
}

/**
 * Zeek >= 5.1 (zeek/zeek PR #2191, "flip connections that begin with SYN-ACKs if subsequent acks or
 * data seen"): a connection whose first packet was a SYN-ACK that WantConnection did not flip is
 * turned round when the next segment is an ACK or carries data, in either direction, since a
 * stealth scan's SYN-ACK draws a RST or nothing. The patch itself is not in the sources we could
 * read, so the letter of it is inferred from the PR text and from the conn.log it yields (PR #5047
 * shows "^haf" for such a connection): roles flipped, '^' first and the SYN-ACK re-lettered as the
 * responder's 'h', the SYN-ACK sender ESTABLISHED as a responder's SYN-ACK makes it
 * (UpdateInactiveState). The result equals a flip at the first packet. A SYN (the SYN/SYN-ACK
 * reversal UpdateInactiveState handles), a RST or a repeated SYN-ACK does not trigger it.
 */
export function flipAfterSynAck(c: Conn, p: Packet, tm: FlowTimeouts): boolean {
  // The state test first: it is the one almost every packet fails.
  if (c.o.state !== SYN_ACK_SENT || c.r.state !== INACTIVE || c.o.prevState !== INACTIVE || c.history !== 'H') return false;
  const fl = p.tcpFlags;
  if ((fl & (TCP_SYN | TCP_RST)) !== 0 || ((fl & TCP_ACK) === 0 && p.payloadLen === 0)) return false;
  const before = c.history;
  const seen = c.histSeen;
  flipRoles(c);
  c.history = `^${swapCase(before)}`;
  c.histSeen = ((seen & 0xffff) << 16) | (seen >>> 16);
  c.r.prevState = INACTIVE;
  c.r.state = INACTIVE;
  setState(c, c.r, ESTABLISHED, tm);
  // The AttemptTimer waited on an originator in SYN_ACK_SENT; the new originator never sent a SYN.
  c.attemptAt = -1;
  c.attemptAt2 = -1;
  return true;
}

function wake(c: Conn, at: number): void {
  if (at < c.wakeUs) c.wakeUs = at;
}

function cancelTimers(c: Conn): void {
  c.attemptAt = -1;
  c.attemptAt2 = -1;
  c.expireNext = -1;
  c.expireMore = null;
  c.resetAt = -1;
  c.deleteAt = -1;
}

/** Schedule an ExpireTimer chain starting at `at`. */
export function addExpire(c: Conn, at: number): void {
  if (c.expireNext < 0) c.expireNext = at;
  else if (c.expireMore === null) c.expireMore = [at];
  else c.expireMore.push(at);
  wake(c, at);
}

function updateInactiveState(c: Conn, t: number, ep: Side, peer: Side, baseSeq: number, len: number, isOrig: boolean,
  syn: boolean, fin: boolean, rst: boolean, ack: boolean, tm: FlowTimeouts): void {
  if (syn) {
    if (isOrig) {
      setState(c, ep, ack ? SYN_ACK_SENT : SYN_SENT, tm);
      const at = t + tm.tcpAttemptDelayUs;
      if (c.attemptAt < 0) c.attemptAt = at;
      else c.attemptAt2 = at;
      wake(c, at);
    } else {
      if (!ack && peer.state === SYN_ACK_SENT && baseSeq === ep.startSeq) {
        // SYN/SYN-ACK reversal (two interfaces, interrupt coalescing): flip and establish.
        c.isPartial = false;
        flipRoles(c);
        setState(c, peer, ESTABLISHED, tm);
        c.firstPacketSeen |= ORIG_SEEN;
      }
      if (peer.state === SYN_SENT) setState(c, peer, ESTABLISHED, tm);
      setState(c, ep, ESTABLISHED, tm);
    }
  }
  if (fin) {
    setState(c, ep, CLOSED, tm);
    doClose = genEvent = true;
  }
  if (rst) {
    setState(c, ep, RESET, tm);
    let isReject = false;
    if (isOrig) {
      // Our peer is established: we saw a SYN-ACK but no SYN (reverse scan).
      if (peer.state === ESTABLISHED) isReject = true;
    } else if (peer.state === SYN_SENT || peer.state === SYN_ACK_SENT) {
      isReject = true; // rejecting an initial SYN
    }
    doClose = true;
    genEvent = !isReject;
  }
  if (ep.state === INACTIVE) {
    if (!isOrig && len === 0 && c.o.state === SYN_SENT) {
      // Some stacks ACK an initial SYN before their SYN-ACK: not a partial connection.
    } else if (ack && peer.state === ESTABLISHED) {
      // Missed the originator's SYN but saw the SYN-ACK: establish rather than go partial.
      setState(c, ep, ESTABLISHED, tm);
      c.isPartial = false;
      c.firstPacketSeen |= isOrig ? ORIG_SEEN : RESP_SEEN;
    } else {
      setState(c, ep, PARTIAL, tm);
    }
  }
}

function updateSynSentState(c: Conn, ep: Side, fin: boolean, rst: boolean, tm: FlowTimeouts): void {
  if (fin) {
    setState(c, ep, CLOSED, tm);
    doClose = genEvent = true;
  }
  if (rst) {
    setState(c, ep, RESET, tm);
    c.isActive = false; // ConnectionReset
    doClose = true;
  }
}

function updateEstablishedState(c: Conn, ep: Side, peer: Side, syn: boolean, fin: boolean, rst: boolean, ack: boolean, tm: FlowTimeouts): void {
  if (syn && ep.state === PARTIAL && peer.state === INACTIVE && !ack) setState(c, ep, SYN_SENT, tm);
  if (fin && !rst) {
    setState(c, ep, CLOSED, tm);
    // The peer's FIN then RST was a normal termination after all.
    if (peer.state === RESET && peer.prevState === CLOSED) setState(c, peer, CLOSED, tm);
    doClose = genEvent = true;
  }
  if (rst) {
    setState(c, ep, RESET, tm);
    doClose = true;
    if (peer.state !== RESET || peer.prevState !== ESTABLISHED) c.isActive = false; // ConnectionReset
  }
}

function updateClosedState(c: Conn, t: number, ep: Side, rst: boolean, tm: FlowTimeouts): void {
  // After a FIN exchange, a RST does not change our state.
  if (rst && ep.peer.state !== CLOSED) {
    setState(c, ep, RESET, tm);
    if (!ep.didClose) doClose = true;
    const at = t + tm.tcpResetDelayUs;
    if (c.resetAt < 0 || at < c.resetAt) c.resetAt = at;
    wake(c, at);
  }
}

/**
 * TCPSessionAdapter::ConnectionClosed. Zeek defers the close while its reassembler still holds data
 * above a hole (close_deferred) and finishes it at the endpoint's EOF, usually the next ACK; this
 * tracker closes at once. That only moves when the close timers start (and so whether a packet in
 * between still moves last_time), not the states or the history.
 */
function connectionClosed(c: Conn, ep: Side, peer: Side, gen: boolean, tm: FlowTimeouts): void {
  if (ep.didClose) return;
  ep.didClose = true;
  const complete = ep.state === RESET || peer.didClose || peer.state === INACTIVE;
  if (complete) {
    if ((ep.prevState !== INACTIVE || peer.state !== INACTIVE) && gen) c.isActive = false; // ConnectionFinished
    cancelTimers(c);
    c.deleteAt = c.lastTime + tm.tcpCloseDelayUs;
    wake(c, c.deleteAt);
  } else if (ep.prevState !== INACTIVE) {
    // Look again later for the other side closing. (The PartialCloseTimer for a side whose first
    // packet was its FIN needs a connection_partial_close handler, which Zeek's base scripts lack.)
    addExpire(c, c.lastTime + tm.tcpSessionTimerUs);
  }
}

// --- Reassembler: only the accounting that makes 'G' and missed_bytes -------------------------

function isClean(a: Side): boolean {
  return a.state === ESTABLISHED || (a.state === CLOSED && a.prevState === ESTABLISHED);
}

function gap(c: Conn, ep: Side, len: number): void {
  // TCP_Reassembler::Gap: only for cleanly established or closing connections (report_gaps_for_partial=F).
  if (isClean(ep) && isClean(ep.peer)) {
    gapLetter(c, ep);
    c.missedBytes += len;
  }
}

/** Absorb ranges now contiguous with what was delivered. */
function deliverContiguous(ep: Side): void {
  const b = ep.blocks;
  if (b === null) return;
  let i = 0;
  while (i < b.length && b[i] <= ep.lastReassem) {
    if (b[i + 1] > ep.lastReassem) ep.lastReassem = b[i + 1];
    i += 2;
  }
  if (i > 0) b.splice(0, i);
}

function insertBlock(ep: Side, seq: number, upper: number): void {
  let b = ep.blocks;
  if (b === null) b = ep.blocks = [];
  // Merge into the sorted, disjoint list of [seq, upper) pairs.
  let i = 0;
  while (i < b.length && b[i + 1] < seq) i += 2;
  let j = i;
  let lo = seq;
  let hi = upper;
  while (j < b.length && b[j] <= hi) {
    if (b[j] < lo) lo = b[j];
    if (b[j + 1] > hi) hi = b[j + 1];
    j += 2;
  }
  b.splice(i, j - i, lo, hi);
  if (b.length > MAX_BLOCKS * 2) {
    ep.skipReassembly = true;
    ep.blocks = null;
  }
}

/** TCP_Reassembler::DataSent + Reassembler::NewBlock/BlockInserted. */
function dataSent(ep: Side, seq: number, len: number): void {
  if (ep.skipReassembly) return;
  const ack = ep.ackWraps * TWO32 + ep.ackSeq - ep.startSeq;
  const upper = seq + len;
  if (seq < ack) {
    if (upper <= ack) return; // already acknowledged: nothing new
    seq = ack;
  }
  if (upper <= ep.trimSeq) return;
  if (seq < ep.trimSeq) seq = ep.trimSeq;
  if (seq <= ep.lastReassem) {
    if (upper > ep.lastReassem) {
      ep.lastReassem = upper;
      deliverContiguous(ep);
    }
  } else {
    insertBlock(ep, seq, upper);
  }
}

/** TCP_Reassembler::Undelivered: acked data we never saw is a content gap. */
function undelivered(c: Conn, ep: Side, upTo: number): void {
  if (upTo <= 2 && c.isPartial) return;
  const b = ep.blocks;
  if (b !== null) {
    while (b.length > 0 && b[0] < upTo) {
      if (b[0] > ep.lastReassem) gap(c, ep, b[0] - ep.lastReassem);
      if (b[1] > ep.lastReassem) ep.lastReassem = b[1];
      b.splice(0, 2);
    }
  }
  if (upTo > ep.lastReassem) {
    gap(c, ep, upTo - ep.lastReassem);
    ep.lastReassem = upTo;
  }
  deliverContiguous(ep);
}

/** TCP_Reassembler::AckReceived + DataBlockList::Trim. */
function ackReceived(c: Conn, ep: Side, seq: number): void {
  if (ep.finCnt > 0 && seq >= ep.finSeq) seq = ep.finSeq - 1;
  if (seq <= ep.trimSeq) return;
  if (!ep.skipReassembly) {
    if (seq > ep.lastReassem) undelivered(c, ep, seq);
    const b = ep.blocks;
    if (b !== null) {
      let i = 0;
      while (i < b.length && b[i + 1] <= seq) i += 2;
      if (i > 0) b.splice(0, i);
    }
  }
  ep.trimSeq = seq;
}

// --- Per packet --------------------------------------------------------------------------------

/** TCPSessionAdapter::Process for one (already deduplicated) packet; `isOrig` is its direction on entry. */
export function tcpProcess(c: Conn, isOrig: boolean, p: Packet, t: number, tm: FlowTimeouts): void {
  const ep = isOrig ? c.o : c.r;
  const peer = ep.peer;
  const fl = p.tcpFlags;
  const syn = (fl & TCP_SYN) !== 0;
  const fin = (fl & TCP_FIN) !== 0;
  const rst = (fl & TCP_RST) !== 0;
  const ack = (fl & TCP_ACK) !== 0;
  const len = p.payloadLen;
  const baseSeq = p.seq >>> 0;
  const ackSeq = p.ack >>> 0;

  setPartialStatus(c, syn, ack, ep.isOrig);
  let segLen = len;
  if (syn) segLen++;
  if (fin) segLen++;
  if (rst) segLen -= len; // RST payload is not stream data
  const onePast = (baseSeq + segLen) >>> 0;
  initEndpoint(ep, syn, baseSeq, onePast);
  const rel = relSeq(ep, baseSeq, ep.lastSeq, ep.seqWraps);
  const underflow = seqUnderflow;

  updateHistory(c, ep, syn, fin, rst, ack, rel, len);
  // update_window: only its zero-window test shows in conn.log.
  if (p.window === 0 && !rst && peer.state !== CLOSED && ep.state !== RESET) zeroWindow(c, ep);

  if (!c.o.didClose || !c.r.didClose) c.lastTime = t;
  if (fin) {
    ep.finCnt++;
    ep.finSeq = rel + segLen;
  }
  if (rst) ep.rstCnt++;

  let relAck = 0;
  if (ack) {
    if (peer.state === INACTIVE) {
      relAck = 1;
      initPeer(peer, ackSeq);
    } else {
      const r = relSeq(peer, ackSeq, peer.ackSeq, peer.ackWraps);
      if (!seqUnderflow) {
        relAck = r;
        if (!rst) updateAckSeq(peer, ackSeq); // acks in RSTs are not trusted
      }
    }
  }

  updateLastSeq(c, ep, onePast, syn, fin, rst, len);

  doClose = false;
  genEvent = false;
  switch (ep.state) {
    case INACTIVE:
      updateInactiveState(c, t, ep, peer, baseSeq, len, isOrig, syn, fin, rst, ack, tm);
      break;
    case SYN_SENT:
    case SYN_ACK_SENT:
      updateSynSentState(c, ep, fin, rst, tm);
      break;
    case ESTABLISHED:
    case PARTIAL:
      updateEstablishedState(c, ep, peer, syn, fin, rst, ack, tm);
      break;
    case CLOSED:
      updateClosedState(c, t, ep, rst, tm);
      break;
    default:
      break; // RESET: only weirds in Zeek
  }

  // After the state machine, so a gap revealed by a final ACK sees the closing states.
  if (ack) ackReceived(c, peer, relAck);
  // Zeek hands the reassembler only fully captured payload (TCP_Endpoint::DataSent caplen >= len):
  // snaplen-cut data that is later acked counts as a content gap, as in Zeek.
  if (len > 0 && !rst && !underflow && !p.truncated) dataSent(ep, syn ? rel + 1 : rel, len);
  if (doClose) connectionClosed(c, ep, peer, genEvent, tm);
  c.firstPacketSeen |= isOrig ? ORIG_SEEN : RESP_SEEN;
}

/**
 * TCPSessionAdapter::IsReuse: a SYN (or a SYN-ACK on a half connection) that starts a new
 * connection on this 5-tuple: after any close or RST, or with a new initial sequence number.
 */
export function tcpIsReuse(c: Conn, p: Packet): boolean {
  const fl = p.tcpFlags;
  if ((fl & TCP_SYN) === 0) return false;
  let connOrig = c.o;
  if ((fl & TCP_ACK) !== 0) {
    if (c.o.state !== INACTIVE) return false; // not a half connection
    connOrig = c.r;
  }
  if (!(c.o.didClose || c.r.didClose)) {
    const base = p.seq >>> 0;
    if (base === connOrig.startSeq) return false;
    // SYN after its SYN-ACK (two interfaces): the state machine flips instead.
    if ((fl & TCP_ACK) === 0 && connOrig.state === SYN_ACK_SENT && c.r.state === INACTIVE && base === c.r.startSeq) return false;
  }
  return true;
}

/**
 * Would Zeek's timers have removed this connection by packet time `t`? Timers due at or before t
 * fire before the packet at t. Timers that fire without removing are advanced. Firing is assumed
 * at the scheduled time (Zeek fires at the next packet's time, which in busy captures is the same).
 */
export function tcpExpired(c: Conn, t: number, tm: FlowTimeouts): boolean {
  if (t < c.wakeUs) return false;
  if (expiredNow(c, t, tm)) return true;
  // Earliest time anything can fire next (the inactivity deadline only moves later).
  let w = c.inactivityUs > 0 ? c.lastTime + c.inactivityUs : Infinity;
  if (c.deleteAt >= 0 && c.deleteAt < w) w = c.deleteAt;
  if (c.resetAt >= 0 && c.resetAt < w) w = c.resetAt;
  if (c.attemptAt >= 0 && c.attemptAt < w) w = c.attemptAt;
  if (c.attemptAt2 >= 0 && c.attemptAt2 < w) w = c.attemptAt2;
  if (c.expireNext >= 0 && c.expireNext < w) w = c.expireNext;
  if (c.expireMore !== null) for (const n of c.expireMore) if (n < w) w = n;
  c.wakeUs = w;
  return false;
}

function attemptFires(c: Conn): boolean {
  // AttemptTimer: an unanswered SYN.
  return c.isActive && (c.o.state === SYN_SENT || c.o.state === SYN_ACK_SENT) && c.r.state === INACTIVE;
}

/**
 * One ExpireTimer chain whose next firing is `n` (<= t): returns -2 if it removes the connection,
 * -1 if the chain ends (inactive analyzer), else its next firing time after t.
 */
function runExpireChain(c: Conn, n: number, t: number, tm: FlowTimeouts): number {
  if (!c.isActive) return -1; // an inactive analyzer's ExpireTimer returns without rescheduling
  const o = c.o;
  const r = c.r;
  // Idle for tcp_connection_linger after a close (both closed, or one reset or never active),
  // or nothing ever happened.
  const anyClosed = o.didClose || r.didClose;
  const removable = (anyClosed && ((o.didClose && r.didClose) || o.state === RESET || r.state === RESET || o.state === INACTIVE || r.state === INACTIVE))
    || (o.state === INACTIVE && r.state === INACTIVE);
  const period = tm.tcpSessionTimerUs;
  if (removable) {
    const idleAfter = c.lastTime + tm.tcpConnectionLingerUs;
    const first = n > idleAfter ? n : n + (Math.floor((idleAfter - n) / period) + 1) * period;
    if (first <= t) return -2;
  }
  return n + (Math.floor((t - n) / period) + 1) * period;
}

function expiredNow(c: Conn, t: number, tm: FlowTimeouts): boolean {
  if (c.deleteAt >= 0 && c.deleteAt <= t) return true;
  if (c.inactivityUs > 0 && c.lastTime + c.inactivityUs <= t) return true;
  if (c.attemptAt >= 0 && c.attemptAt <= t) {
    if (attemptFires(c)) return true;
    c.attemptAt = c.attemptAt2;
    c.attemptAt2 = -1;
  }
  if (c.attemptAt >= 0 && c.attemptAt <= t) {
    if (attemptFires(c)) return true;
    c.attemptAt = -1;
  }
  if (c.resetAt >= 0 && c.resetAt <= t) {
    if (c.isActive) return true;
    c.resetAt = -1;
  }
  if (c.expireNext >= 0 && c.expireNext <= t) {
    const n = runExpireChain(c, c.expireNext, t, tm);
    if (n === -2) return true;
    c.expireNext = n;
  }
  const more = c.expireMore;
  if (more !== null) {
    for (let i = 0; i < more.length; i++) {
      if (more[i] > t) continue;
      const n = runExpireChain(c, more[i], t, tm);
      if (n === -2) return true;
      if (n < 0) more.splice(i--, 1);
      else more[i] = n;
    }
    if (more.length === 0) c.expireMore = null;
  }
  return false;
}

/** TCP_Endpoint::Size: payload bytes from sequence numbers (SYN and FIN octets excluded). */
export function tcpSize(ep: Side): number {
  const start = ep.startSeq;
  const ack64 = ep.ackWraps * TWO32 + ep.ackSeq;
  if (ep.prevState === SYN_SENT && ep.state === RESET && ep.peer.state === INACTIVE && !(ack64 === start || ack64 === start + 1)) {
    return 0; // a half-open connection discovered and aborted
  }
  const last64 = ep.seqWraps * TWO32 + ep.lastSeq;
  let size = (last64 > ack64 ? last64 : ack64) - start;
  // Zeek's uint64 would wrap to a huge number here; 0 is the honest value.
  if (size < 0) return 0;
  if (size !== 0) --size;
  if (ep.finCnt > 0 && size !== 0) --size;
  return size;
}

const RSTOS0 = /^\^?S[^HAFGIQ]*R.*$/;

/** conn_state() from scripts/base/protocols/conn/main.zeek, TCP branch. */
export function tcpConnState(c: Conn): ConnState {
  const os = c.o.state;
  const rs = c.r.state;
  const oInactive = os === INACTIVE || os === PARTIAL;
  const rInactive = rs === INACTIVE || rs === PARTIAL;
  if (rs === RESET) {
    if (os === SYN_SENT || os === SYN_ACK_SENT || (os === RESET && tcpSize(c.o) === 0 && tcpSize(c.r) === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === RESET) {
    if (rInactive) return RSTOS0.test(c.history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === CLOSED && os === CLOSED) return 'SF';
  if (os === CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === SYN_SENT && rs === INACTIVE) return 'S0';
  if (os === ESTABLISHED && rs === ESTABLISHED) return 'S1';
  return 'OTH';
}
