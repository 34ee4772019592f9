/**
 * Hostile inputs for the end-to-end test, added beside the real lab bundle: a pcapng whose
 * interface is named with markup, and `kubectl get pods -o json` naming a pod the same way. The
 * packets are written byte by byte (Ethernet / IPv4 / TCP with real checksums, sequence numbers
 * and IP IDs kept like a real stack) with the builders of test/helpers/bytes.ts, at the bundle's
 * own time so they sit inside its time range.
 */
import { Bytes, concat, epb, idb, shb } from '../helpers/bytes.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
/** The hostile pod's address (inside the lab node's pod CIDR, unused by the lab's pods). */
export const HOSTILE_POD_IP = '10.244.1.99';

const ip4 = (s: string) => s.split('.').map(Number);

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

interface Seg { src: string; dst: string; ttl: number; ipId: number; proto: 6 | 17; l4: Uint8Array }

function ipv4Frame(s: Seg): Uint8Array {
  const total = 20 + s.l4.length;
  const hdr = new Bytes(false).u8(0x45).u8(0).u16(total).u16(s.ipId & 0xffff).u16(0x4000).u8(s.ttl).u8(s.proto).u16(0).bytes(ip4(s.src)).bytes(ip4(s.dst)).build();
  const c = checksum(hdr);
  hdr[10] = c >> 8;
  hdr[11] = c & 0xff;
  // Transport checksum over the pseudo-header.
  const pseudo = new Bytes(false).bytes(ip4(s.src)).bytes(ip4(s.dst)).u8(0).u8(s.proto).u16(s.l4.length).bytes(s.l4).build();
  const l4 = s.l4.slice();
  const off = s.proto === 6 ? 16 : 6;
  const lc = checksum(pseudo);
  l4[off] = lc >> 8;
  l4[off + 1] = lc & 0xff;
  const eth = new Bytes(false).bytes([2, 0, 0, 0, 0, 2]).bytes([2, 0, 0, 0, 0, 1]).u16(0x0800).build();
  return concat(eth, hdr, l4);
}

const FLAG = { F: 1, S: 2, R: 4, P: 8, A: 16 } as const;
function tcpBytes(sport: number, dport: number, seq: number, ack: number, flags: string, len: number): Uint8Array {
  let f = 0;
  for (const ch of flags) f |= FLAG[ch as keyof typeof FLAG];
  return new Bytes(false).u16(sport).u16(dport).u32(seq >>> 0).u32(ack >>> 0).u8(5 << 4).u8(f).u16(64240).u16(0).u16(0).bytes(new Uint8Array(len)).build();
}

interface Packet { tsUs: number; frame: Uint8Array; iface: number }

/** One TCP conversation that keeps its sequence numbers, TTLs and IP IDs like a real stack. */
class Conv {
  cSeq: number;
  sSeq: number;
  cId = 1000;
  sId = 20000;
  constructor(private out: Packet[], readonly c: string, readonly cp: number, readonly s: string, readonly sp: number, public t: number, readonly cTtl = 64, readonly sTtl = 50, readonly iface = 0, isnKey = cp) {
    // ISNs from a key, so the pod-side and the SNAT-side copy of a connection share them (NAT halves).
    this.cSeq = (isnKey * 7919) >>> 0;
    this.sSeq = (sp * 104729 + isnKey) >>> 0;
  }
  private emit(fromClient: boolean, flags: string, len: number, dt: number, o: { ttl?: number; ipId?: number } = {}): this {
    this.t += dt;
    const [src, dst, sp, dp] = fromClient ? [this.c, this.s, this.cp, this.sp] : [this.s, this.c, this.sp, this.cp];
    const seq = fromClient ? this.cSeq : this.sSeq;
    const ack = flags.includes('A') ? (fromClient ? this.sSeq : this.cSeq) : 0;
    const ipId = o.ipId ?? (fromClient ? this.cId++ : this.sId++);
    const frame = ipv4Frame({ src, dst, ttl: o.ttl ?? (fromClient ? this.cTtl : this.sTtl), ipId, proto: 6, l4: tcpBytes(sp, dp, seq, ack, flags, len) });
    this.out.push({ tsUs: this.t, frame, iface: this.iface });
    let adv = flags.includes('R') ? 0 : len;
    if (flags.includes('S')) adv++;
    if (flags.includes('F')) adv++;
    if (fromClient) this.cSeq = (this.cSeq + adv) >>> 0;
    else this.sSeq = (this.sSeq + adv) >>> 0;
    return this;
  }
  c2s(flags: string, len = 0, dt = 300, o?: { ttl?: number; ipId?: number }) { return this.emit(true, flags, len, dt, o); }
  s2c(flags: string, len = 0, dt = 300, o?: { ttl?: number; ipId?: number }) { return this.emit(false, flags, len, dt, o); }
  handshake() { return this.c2s('S', 0, 0).s2c('SA').c2s('A'); }
  request(len = 300, resp = 1200) { return this.c2s('PA', len).s2c('A').s2c('PA', resp).c2s('A'); }
  close() { return this.c2s('FA').s2c('FA').c2s('A'); }
}

/** Two connections from the hostile pod to the lab's api pod, each reset by the server. */
export function hostilePcapng(t0Us: number, serverIp: string): Uint8Array {
  const out: Packet[] = [];
  for (let i = 0; i < 2; i++) {
    new Conv(out, HOSTILE_POD_IP, 44000 + i, serverIp, 9000, t0Us + i * 100_000, 64, 64).handshake().request(100, 100).s2c('RA', 0, 1000);
  }
  return concat(shb(true), idb(true, 1, { name: HOSTILE }), ...out.map((p) => epb(true, 0, BigInt(p.tsUs), p.frame)));
}

/** `kubectl get pods -A -o json` naming the hostile pod, on the lab's node. */
export function hostilePodsJson(nodeName: string, hostIp: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: HOSTILE, namespace: 'evil', uid: 'uid-hostile' },
      spec: { nodeName, containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      status: { phase: 'Running', podIP: HOSTILE_POD_IP, podIPs: [{ ip: HOSTILE_POD_IP }], hostIP: hostIp, startTime: '2026-11-21T14:00:00Z' },
    }],
  }, null, 2);
}
