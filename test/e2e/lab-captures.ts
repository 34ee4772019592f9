/**
 * Captures for the end-to-end test, written byte by byte (Ethernet / IPv4 / TCP / UDP with real
 * checksums) with the builders of test/helpers/bytes.ts: a node capture with the runbook's stories
 * (pods fanning out to a public endpoint, refused connections, resets with an out-of-line TTL from
 * a middlebox, a client abort) and a pcapng whose interface name is a hostile string.
 */
import { Bytes, concat, epb, idb, pcapHeader, pcapRecord, shb } from '../helpers/bytes.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
/** 2024-05-01 10:00:00 UTC. */
export const T0_US = Date.UTC(2024, 4, 1, 10, 0, 0) * 1000;

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

export interface Packet { tsUs: number; frame: Uint8Array; iface: number }

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

function udp(out: Packet[], t: number, src: string, sp: number, dst: string, dp: number, len: number, iface = 0): void {
  const l4 = new Bytes(false).u16(sp).u16(dp).u16(8 + len).u16(0).bytes(new Uint8Array(len)).build();
  out.push({ tsUs: t, frame: ipv4Frame({ src, dst, ttl: 64, ipId: sp, proto: 17, l4 }), iface });
}

const MIN = 60_000_000;

/** The node capture: ten minutes of a pod fleet. */
export function labPackets(): Packet[] {
  const out: Packet[] = [];
  // api-7f9c (10.244.1.5) opens a fresh connection to a public API every 20 s: the SNAT story.
  for (let i = 0; i < 30; i++) new Conv(out, '10.244.1.5', 40000 + i, '52.1.2.3', 443, T0_US + i * 20_000_000).handshake().request().close();
  // ... and DNS before each burst.
  for (let i = 0; i < 10; i++) udp(out, T0_US + i * MIN + 5_000, '10.244.1.5', 53000 + i, '10.96.0.10', 53, 40);
  // Refused: a service port with no backend answers SYNs with RST (REJ, endpoint).
  for (let i = 0; i < 6; i++) new Conv(out, '10.244.1.5', 41000 + i, '10.96.0.10', 8080, T0_US + 2 * MIN + i * 10_000_000, 64, 63).c2s('S', 0, 0).s2c('RA');
  // worker-5d2 (10.244.2.7): long requests to the same API; late in the window a middlebox resets
  // them (TTL 250 where the server's packets arrive with 50, IP ID out of sequence).
  for (let i = 0; i < 8; i++) {
    const conv = new Conv(out, '10.244.2.7', 42000 + i, '52.1.2.3', 443, T0_US + 6 * MIN + i * 15_000_000).handshake().request(500, 4000);
    conv.s2c('RA', 0, 2_000_000, { ttl: 250, ipId: 7 });
  }
  // worker-5d2 aborts a slow call to api-7f9c's port 9000 itself (client RST, TTL in line).
  for (let i = 0; i < 3; i++) new Conv(out, '10.244.2.7', 43000 + i, '10.244.1.5', 9000, T0_US + 4 * MIN + i * 30_000_000, 64, 64).handshake().request(200, 0).c2s('RA', 0, 1_500_000);
  return out.sort((a, b) => a.tsUs - b.tsUs);
}

export function labPcap(): Uint8Array {
  const recs = labPackets().map((p) => pcapRecord({ sec: Math.floor(p.tsUs / 1e6), frac: p.tsUs % 1e6, data: p.frame }));
  return concat(pcapHeader({ linkType: 1 }), ...recs);
}

/** A pcapng from a capture point whose interface is named with markup: the UI must show it as text. */
export function hostilePcapng(): Uint8Array {
  const out: Packet[] = [];
  for (let i = 0; i < 2; i++) {
    new Conv(out, '10.244.3.9', 44000 + i, '10.244.1.5', 9000, T0_US + 8 * MIN + i * 5_000_000, 64, 64).handshake().request(100, 100).s2c('RA', 0, 1000);
  }
  return concat(shb(true), idb(true, 1, { name: HOSTILE }), ...out.map((p) => epb(true, 0, BigInt(p.tsUs), p.frame)));
}

/** The node's uplink: the same API calls after SNAT to the node address 10.240.0.4. */
export const NODE_IP = '10.240.0.4';
export function uplinkPcap(): Uint8Array {
  const out: Packet[] = [];
  for (let i = 0; i < 30; i++) new Conv(out, NODE_IP, 1024 + i * 2, '52.1.2.3', 443, T0_US + i * 20_000_000 + 40, 63, 50, 0, 40000 + i).handshake().request().close();
  for (let i = 0; i < 8; i++) {
    new Conv(out, NODE_IP, 1100 + i, '52.1.2.3', 443, T0_US + 6 * MIN + i * 15_000_000 + 40, 63, 50, 0, 42000 + i).handshake().request(500, 4000).s2c('RA', 0, 2_000_000, { ttl: 250, ipId: 7 });
  }
  out.sort((a, b) => a.tsUs - b.tsUs);
  return concat(pcapHeader({ linkType: 1 }), ...out.map((p) => pcapRecord({ sec: Math.floor(p.tsUs / 1e6), frac: p.tsUs % 1e6, data: p.frame })));
}

/** `conntrack -E -o timestamp` on the node: entries for the API calls, destroyed two minutes later. */
export function conntrackEvents(): string {
  const ev: { t: number; line: string }[] = [];
  const ts = (us: number) => `[${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}]`;
  for (let i = 0; i < 30; i++) {
    const t = T0_US + i * 20_000_000;
    const tuple = `src=10.244.1.5 dst=52.1.2.3 sport=${40000 + i} dport=443`;
    const reply = `src=52.1.2.3 dst=${NODE_IP} sport=443 dport=${1024 + i * 2}`;
    ev.push({ t, line: `    [NEW] tcp      6 120 SYN_SENT ${tuple} [UNREPLIED] ${reply}` });
    ev.push({ t: t + 120_000_000, line: `[DESTROY] tcp      6 ${tuple} ${reply} [ASSURED]` });
  }
  return ev.sort((a, b) => a.t - b.t).map((e) => `${ts(e.t)}\t${e.line}`).join('\n') + '\n';
}

/** `dmesg -T` with the table-full message during the resets. */
export function dmesgTableFull(): string {
  const lines: string[] = [];
  for (const sec of [450, 452, 455, 470]) {
    const d = new Date(T0_US / 1000 + sec * 1000);
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
    const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
    const hms = d.toISOString().slice(11, 19);
    lines.push(`[${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} ${d.getUTCFullYear()}] nf_conntrack: table full, dropping packet`);
  }
  return lines.join('\n') + '\n';
}
