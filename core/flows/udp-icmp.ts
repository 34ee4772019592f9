/**
 * UDP and ICMP "connections" with Zeek's flow semantics: src/packet_analysis/protocol/udp/UDP.cc,
 * UDPSessionAdapter.cc, icmp/ICMP.cc, ICMPSessionAdapter.cc and conn_state() in
 * scripts/base/protocols/conn/main.zeek.
 */
import type { Conn } from './conn.js';
import type { ConnState } from './types.js';

const HIST_ORIG_DATA_PKT = 0x1;
const HIST_RESP_DATA_PKT = 0x2;

/** UDPAnalyzer::DeliverPacket: every datagram is a 'D'/'d' once; sizes are summed payloads. */
export function udpProcess(c: Conn, isOrig: boolean, payloadLen: number, t: number): void {
  c.lastTime = t;
  const side = isOrig ? c.o : c.r;
  const mask = isOrig ? HIST_ORIG_DATA_PKT : HIST_RESP_DATA_PKT;
  if ((c.histSeen & mask) === 0) {
    c.histSeen |= mask;
    c.history += isOrig ? 'D' : 'd';
  }
  side.size = side.size < 0 ? payloadLen : side.size + payloadLen;
}

/** ICMPAnalyzer::DeliverPacket: no history letters; sizes are the bytes after the 8-byte header. */
export function icmpProcess(c: Conn, isOrig: boolean, payloadLen: number, t: number): void {
  c.lastTime = t;
  const side = isOrig ? c.o : c.r;
  side.size = side.size < 0 ? payloadLen : side.size + payloadLen;
}

/** conn_state(), UDP branch. */
export function udpConnState(c: Conn): ConnState {
  const os = c.o.size >= 0;
  const rs = c.r.size >= 0;
  if (os) return rs ? 'SF' : 'S0';
  return rs ? 'SHR' : 'OTH';
}

/**
 * ICMP4_counterpart / ICMP6_counterpart: the type of the other half of a request/reply pair, which
 * Zeek uses as the responder "port"; -1 for one-way messages (then the code is the responder port
 * and the key is not made direction-free).
 */
export function icmpCounterpart(v6: boolean, type: number): number {
  if (!v6) {
    switch (type) {
      case 8: return 0; // echo
      case 0: return 8;
      case 13: return 14; // timestamp
      case 14: return 13;
      case 15: return 16; // information
      case 16: return 15;
      case 10: return 9; // router solicitation / advertisement
      case 9: return 10;
      case 17: return 18; // address mask
      case 18: return 17;
      default: return -1;
    }
  }
  switch (type) {
    case 128: return 129; // echo
    case 129: return 128;
    case 133: return 134; // router solicitation / advertisement
    case 134: return 133;
    case 135: return 136; // neighbor solicitation / advertisement
    case 136: return 135;
    case 130: return 131; // MLD query / report
    case 131: return 130;
    case 139: return 140; // node information
    case 140: return 139;
    case 144: return 145; // home agent address discovery
    case 145: return 144;
    default: return -1;
  }
}

/** The reply half of a pair: seen first, the originator is a guess. */
export function icmpIsReply(v6: boolean, type: number): boolean {
  return v6
    ? type === 129 || type === 134 || type === 136 || type === 131 || type === 140 || type === 145
    : type === 0 || type === 14 || type === 16 || type === 9 || type === 18;
}
