/**
 * `-i any` dedup: the same IP packet captured at several points of one capture (a pod's veth and
 * the node's eth0, loopback out and in) is counted once. A copy has the same direction, IP ID,
 * TCP seq/ack/flags/length (or ICMP type/code), a TTL that differs by at most the forwarding hops,
 * a different capture point, and arrives within a few milliseconds. A retransmission has a new IP
 * ID (or, for IPv6 which has none, comes later than the window) and is counted.
 */
import type { Packet } from '../decode/packet.js';

export const RING_SIZE = 8;
const F = 10; // numbers per entry: ts, dir, cap, ipId, seq, ack, flags, len, ttl, window

/** Recent counted packets of one connection (one plain array: cheap to allocate per connection). */
export class DedupRing {
  v: number[] = new Array<number>(RING_SIZE * F).fill(0);
  next = 0;
  count = 0;
}

/**
 * Capture point as one int: capture interface, SLL2 ifindex (the real interface of an `-i any`
 * capture) and whether the kernel saw the packet leave (SLL packet type 4: loopback shows both).
 */
export function capturePoint(p: Packet): number {
  return ((p.iface * 0x10001 + p.sllIfindex + 1) * 2 + (p.sllPktType === 4 ? 1 : 0)) | 0;
}

function flagsField(p: Packet): number {
  // TCP flags, or ICMP type/code, in one int.
  return p.l4 === 6 ? p.tcpFlags : (p.icmpType << 8) | p.icmpCode;
}

/** Index of the entry `p` duplicates, or -1. */
export function findCopy(ring: DedupRing, p: Packet, dir: number, cap: number, windowUs: number, maxTtlDelta: number): number {
  const t = p.tsUs;
  const v = ring.v;
  const n = ring.count;
  const ipId = p.ipId;
  for (let i = 0; i < n; i++) {
    const b = i * F;
    if (v[b + 3] !== ipId || v[b + 4] !== (p.seq | 0) || v[b + 1] !== dir) continue;
    const dt = t - v[b];
    if (dt > windowUs || dt < -windowUs) continue;
    if (v[b + 5] !== (p.ack | 0) || v[b + 6] !== flagsField(p) || v[b + 7] !== p.payloadLen) continue;
    const dTtl = v[b + 8] - p.ttl;
    if (dTtl > maxTtlDelta || dTtl < -maxTtlDelta) continue;
    // Same capture point: only a Linux cooked (SLL v1) capture, which cannot name the interface,
    // may still show a forwarded copy there; forwarding changed its TTL, a retransmission would not.
    if (v[b + 2] === cap && (p.sllIfindex >= 0 || p.sllPktType < 0 || dTtl === 0)) continue;
    // IPv6 has no IP ID: also require the same window so fewer genuine retransmits look alike.
    if (ipId < 0 && v[b + 9] !== p.window) continue;
    return i;
  }
  return -1;
}

export function remember(ring: DedupRing, p: Packet, dir: number, cap: number): void {
  const i = ring.next;
  ring.next = i + 1 === RING_SIZE ? 0 : i + 1;
  if (ring.count < RING_SIZE) ring.count++;
  const b = i * F;
  const v = ring.v;
  v[b] = p.tsUs;
  v[b + 1] = dir;
  v[b + 2] = cap;
  v[b + 3] = p.ipId;
  v[b + 4] = p.seq | 0;
  v[b + 5] = p.ack | 0;
  v[b + 6] = flagsField(p);
  v[b + 7] = p.payloadLen;
  v[b + 8] = p.ttl;
  v[b + 9] = p.window;
}
