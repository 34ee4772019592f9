import type { Conn } from './conn.js';

/**
 * The tracker's table: connections by a direction-free hash of their tuple, chained on collision.
 * Hashing the address strings in place avoids building a key string per packet (the allocation and
 * garbage that would otherwise dominate the hot path). Kinds: 0 TCP, 1 UDP, 2 ICMP, 3 ICMPv6,
 * 4 one-way ICMP, 5 one-way ICMPv6 (one-way ICMP tuples keep their direction, as in Zeek).
 */
export class ConnTable {
  private readonly buckets = new Map<number, Conn>();
  size = 0;

  find(kind: number, src: string, sp: number, dst: string, dp: number): Conn | undefined {
    let c = this.buckets.get(tupleHash(kind, src, sp, dst, dp));
    while (c !== undefined) {
      if (c.kind === kind) {
        if (c.origPort === sp && c.respPort === dp && c.origIp === src && c.respIp === dst) return c;
        if (kind < 4 && c.origPort === dp && c.respPort === sp && c.origIp === dst && c.respIp === src) return c;
      }
      c = c.nextInBucket;
    }
    return undefined;
  }

  insert(c: Conn): void {
    const h = tupleHash(c.kind, c.origIp, c.origPort, c.respIp, c.respPort);
    c.bucket = h;
    const head = this.buckets.get(h);
    c.nextInBucket = head;
    this.buckets.set(h, c);
    this.size++;
  }

  remove(c: Conn): void {
    const head = this.buckets.get(c.bucket);
    if (head === c) {
      if (c.nextInBucket === undefined) this.buckets.delete(c.bucket);
      else this.buckets.set(c.bucket, c.nextInBucket);
    } else {
      let p = head;
      while (p !== undefined && p.nextInBucket !== c) p = p.nextInBucket;
      if (p === undefined) return;
      p.nextInBucket = c.nextInBucket;
    }
    c.nextInBucket = undefined;
    this.size--;
  }

  /** Visit every connection; `fn` may remove the one it is given. */
  forEach(fn: (c: Conn) => void): void {
    for (const head of this.buckets.values()) {
      let c: Conn | undefined = head;
      while (c !== undefined) {
        const next: Conn | undefined = c.nextInBucket;
        fn(c);
        c = next;
      }
    }
  }

  clear(): void {
    this.buckets.clear();
    this.size = 0;
  }
}

/**
 * Address text -> content hash. Decoders hand out the same string object for a repeated IPv4
 * address, and V8 caches a string's own hash in it, so this lookup does no per-character work in
 * the common case. Values depend only on the text, so the memo can be dropped when it grows.
 */
const addrMemo = new Map<string, number>();
const ADDR_MEMO_MAX = 1 << 18;

// The last two addresses: a connection's packets come in runs, so most lookups stop here.
let lastA = '';
let lastAHash = 0;
let lastB = '';
let lastBHash = 0;

function addrHash(s: string): number {
  if (s === lastA) return lastAHash;
  if (s === lastB) return lastBHash;
  let h = addrMemo.get(s);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    if (addrMemo.size >= ADDR_MEMO_MAX) addrMemo.clear();
    addrMemo.set(s, h);
  }
  lastB = lastA;
  lastBHash = lastAHash;
  lastA = s;
  lastAHash = h;
  return h;
}

function sideHash(s: string, port: number): number {
  const h = Math.imul(addrHash(s) ^ port, 0x01000193);
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
}

/** Same value for both directions (except one-way ICMP kinds); a small integer, so a fast Map key. */
export function tupleHash(kind: number, src: string, sp: number, dst: string, dp: number): number {
  const a = sideHash(src, sp);
  const b = sideHash(dst, dp);
  const h = kind < 4 ? (a + b) ^ kind : Math.imul(a, 31) + b + kind;
  return (h ^ (h >>> 16)) & 0x3fffffff;
}
