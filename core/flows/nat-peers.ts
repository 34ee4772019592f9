import type { ConnRecord } from './types.js';

export interface NatPair {
  /** The half seen before the forwarding hop (higher originator TTL; the earlier one on a tie). */
  pre: ConnRecord;
  post: ConnRecord;
  /** Which side of the tuple NAT rewrote. */
  changed: 'source' | 'destination' | 'both';
}

export interface NatPeerOptions {
  /** Start/end of the two halves may miss each other by this much (µs). Default 1 s. */
  slackUs?: number;
}

/**
 * Links the pre-NAT and post-NAT halves of one TCP connection: NAT rewrites addresses and ports but
 * not sequence numbers, so both halves share the initial sequence numbers, overlap in time, and
 * differ in their tuple. Needs the originator's ISN (a SYN seen in both); a responder ISN known on
 * both sides must match too. Each distinct pair is returned once; a record may appear in several
 * pairs (a connection seen at three points is three halves). Pure: no I/O.
 */
export function natPeers(conns: readonly ConnRecord[], opts: NatPeerOptions = {}): NatPair[] {
  const slack = opts.slackUs ?? 1_000_000;
  const byIsn = new Map<number, ConnRecord[]>();
  for (const c of conns) {
    if (c.proto !== 'tcp' || c.origIsn < 0) continue;
    const list = byIsn.get(c.origIsn);
    if (list === undefined) byIsn.set(c.origIsn, [c]);
    else list.push(c);
  }
  const pairs: NatPair[] = [];
  for (const list of byIsn.values()) {
    if (list.length < 2) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        if (a.respIsn >= 0 && b.respIsn >= 0 && a.respIsn !== b.respIsn) continue;
        if (a.startUs > lastSeen(b) + slack || b.startUs > lastSeen(a) + slack) continue;
        const src = a.origIp !== b.origIp || a.origPort !== b.origPort;
        const dst = a.respIp !== b.respIp || a.respPort !== b.respPort;
        if (!src && !dst) continue; // same tuple: one connection seen twice, not NAT
        const aFirst = a.origTtl !== b.origTtl ? a.origTtl > b.origTtl : a.startUs <= b.startUs;
        pairs.push({ pre: aFirst ? a : b, post: aFirst ? b : a, changed: src && dst ? 'both' : src ? 'source' : 'destination' });
      }
    }
  }
  pairs.sort((x, y) => x.pre.startUs - y.pre.startUs);
  return pairs;
}

function lastSeen(c: ConnRecord): number {
  return Math.max(c.endUs, c.lastPktUs);
}
