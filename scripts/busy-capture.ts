/**
 * A busy node's `-i any` capture (LINKTYPE_LINUX_SLL2) for the ingest benchmark, written without
 * root or a lab: pods on veths open tens of thousands of short connections through the node's
 * SNAT (to public services) and DNAT (a ClusterIP to pods on another node), each packet recorded
 * twice as on a real node (the pod's veth before NAT, eth0 after, TTL one lower past the
 * forward), beside ~30 bulk downloads that carry most of the bytes. Issue 14 measured a real one
 * of this shape (1.15 GB, 1.77 M packets, ~40,000 connections seen on both sides of NAT); the
 * `busy` profile matches it, scaled by size. The `bulk` profile keeps the old bench capture's
 * shape (few connections, mostly bulk) for comparison.
 *
 * Deterministic (seeded); `node dist/busy-capture.js OUT.pcap MB [busy|bulk] [seed]`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type CaptureProfile = 'busy' | 'bulk';

const LINKTYPE_LINUX_SLL2 = 276;
const SLL2_LEN = 20;
const PACKET_HOST = 0;
const PACKET_OUTGOING = 4;
const ETH0_IFINDEX = 2;

const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01, RST = 0x04;
const MSS = 1448;

const ip = (s: string) => s.split('.').reduce((a, x) => a * 256 + Number(x), 0) >>> 0;
const NODE_IP = ip('192.168.50.10');
const POD_BASE = ip('10.244.1.2');
const PODS = 250;
const REMOTE_POD_BASE = ip('10.244.2.2');
const CLUSTER_IP = ip('10.96.0.10');
const PUBLIC_BASE = ip('203.0.113.1');
const BULK_SERVER = ip('198.51.100.30');

/** Per profile: short connections per 1.15 GB (the capture) and bulk downloads. */
const SHAPE: Record<CaptureProfile, { connsPerGb: number; bulk: number; concurrent: number }> = {
  busy: { connsPerGb: 40_000 / 1.15, bulk: 30, concurrent: 64 },
  bulk: { connsPerGb: 3_500 / 1.15, bulk: 30, concurrent: 16 },
};

/** xorshift32: fast, seedable, good enough to scatter ISNs and sizes. */
function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** One TCP connection as the pod sees it, and the translated tuple eth0 sees. */
interface Conn {
  podIp: number; podPort: number; // pre-NAT originator (the pod)
  dstIp: number; dstPort: number; // pre-NAT responder
  natSrcIp: number; natSrcPort: number; // post-NAT originator
  natDstIp: number; natDstPort: number; // post-NAT responder
  veth: number;
  cSeq: number; sSeq: number;
  /** The script: [fromClient, flags, payload length] per packet, and the next one to send. */
  script: Int32Array;
  next: number;
  ipId: number;
}

class Out {
  private buf = Buffer.allocUnsafe(1 << 22);
  private at = 0;
  bytes = 0;
  packets = 0;
  constructor(private readonly fd: number) {}
  header(): void {
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(262144, 16);
    h.writeUInt32LE(LINKTYPE_LINUX_SLL2, 20);
    writeSync(this.fd, h);
    this.bytes = 24;
  }
  /** An SLL2 + IPv4 + TCP frame (payload bytes 'a'), written straight into the output buffer. */
  tcp(tsUs: number, ifindex: number, pktType: number, src: number, dst: number, sport: number, dport: number,
    seq: number, ack: number, flags: number, len: number, ttl: number, ipId: number): void {
    const frame = SLL2_LEN + 20 + 20 + len;
    if (this.at + 16 + frame > this.buf.length) this.flush();
    const b = this.buf;
    let o = this.at;
    b.writeUInt32LE(Math.floor(tsUs / 1e6), o);
    b.writeUInt32LE(tsUs % 1e6, o + 4);
    b.writeUInt32LE(frame, o + 8);
    b.writeUInt32LE(frame, o + 12);
    o += 16;
    b.writeUInt16BE(0x0800, o); // protocol
    b.writeUInt16BE(0, o + 2);
    b.writeUInt32BE(ifindex, o + 4);
    b.writeUInt16BE(1, o + 8); // ARPHRD_ETHER
    b[o + 10] = pktType;
    b[o + 11] = 6;
    b.fill(0, o + 12, o + 20);
    b.writeUInt32BE(0x02420a00 + (ifindex & 0xff), o + 12);
    o += SLL2_LEN;
    b[o] = 0x45; b[o + 1] = 0;
    b.writeUInt16BE(40 + len, o + 2);
    b.writeUInt16BE(ipId & 0xffff, o + 4);
    b.writeUInt16BE(0x4000, o + 6);
    b[o + 8] = ttl; b[o + 9] = 6;
    b.writeUInt16BE(0, o + 10);
    b.writeUInt32BE(src, o + 12);
    b.writeUInt32BE(dst, o + 16);
    o += 20;
    b.writeUInt16BE(sport, o);
    b.writeUInt16BE(dport, o + 2);
    b.writeUInt32BE(seq >>> 0, o + 4);
    b.writeUInt32BE(ack >>> 0, o + 8);
    b[o + 12] = 0x50; b[o + 13] = flags;
    b.writeUInt16BE(65535, o + 14);
    b.writeUInt32BE(0, o + 16);
    if (len > 0) b.fill(0x61, o + 20, o + 20 + len);
    this.at = o + 20 + len;
    this.bytes += 16 + frame;
    this.packets++;
  }
  flush(): void {
    if (this.at > 0) writeSync(this.fd, this.buf, 0, this.at);
    this.at = 0;
  }
}

export interface BusyCaptureResult { profile: CaptureProfile; connections: number; bulk: number; packets: number; bytes: number }

export function writeBusyCapture(path: string, megabytes: number, profile: CaptureProfile = 'busy', seed = 1): BusyCaptureResult {
  const shape = SHAPE[profile];
  const target = megabytes * 1e6;
  const shortTotal = Math.max(1, Math.round((shape.connsPerGb * megabytes) / 1000));
  const r = rng(seed);
  const fd = openSync(path, 'w');
  const out = new Out(fd);
  out.header();
  let t = 1_790_000_000_000_000 + seed * 1_000_000_000;
  let natPort = 0;
  const podPorts = new Uint16Array(PODS);

  const open = (script: number[], podIdx: number, kind: 'public' | 'service' | 'bulk'): Conn => {
    const podIp = POD_BASE + podIdx;
    const podPort = 32768 + ((podPorts[podIdx]++ * 7 + podIdx) % 28000);
    let dstIp: number, dstPort: number, natDstIp: number, natDstPort: number, natSrcIp: number, natSrcPort: number;
    if (kind === 'service') {
      // ClusterIP DNAT to a pod on another node: the source stays the pod's.
      dstIp = CLUSTER_IP; dstPort = 80;
      natDstIp = REMOTE_POD_BASE + (r() % 20); natDstPort = 8080;
      natSrcIp = podIp; natSrcPort = podPort;
    } else {
      dstIp = kind === 'bulk' ? BULK_SERVER : PUBLIC_BASE + (r() % 16);
      dstPort = kind === 'bulk' ? 9000 : 443;
      natDstIp = dstIp; natDstPort = dstPort;
      natSrcIp = NODE_IP; natSrcPort = 32768 + (natPort++ % 28000);
    }
    return { podIp, podPort, dstIp, dstPort, natSrcIp, natSrcPort, natDstIp, natDstPort, veth: 100 + podIdx,
      cSeq: r(), sSeq: r(), script: Int32Array.from(script), next: 0, ipId: r() & 0xffff };
  };

  /** Both copies of the connection's next packet: pod side on its veth, node side on eth0. */
  const send = (c: Conn, fromClient: boolean, flags: number, len: number): void => {
    const seq = fromClient ? c.cSeq : c.sSeq;
    const ack = (flags & ACK) !== 0 ? (fromClient ? c.sSeq : c.cSeq) : 0;
    c.ipId = (c.ipId + 1) & 0xffff;
    if (fromClient) {
      out.tcp(t, c.veth, PACKET_HOST, c.podIp, c.dstIp, c.podPort, c.dstPort, seq, ack, flags, len, 64, c.ipId);
      out.tcp(t + 15, ETH0_IFINDEX, PACKET_OUTGOING, c.natSrcIp, c.natDstIp, c.natSrcPort, c.natDstPort, seq, ack, flags, len, 63, c.ipId);
      c.cSeq = (c.cSeq + len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
    } else {
      out.tcp(t, ETH0_IFINDEX, PACKET_HOST, c.natDstIp, c.natSrcIp, c.natDstPort, c.natSrcPort, seq, ack, flags, len, 52, c.ipId);
      out.tcp(t + 15, c.veth, PACKET_OUTGOING, c.dstIp, c.podIp, c.dstPort, c.podPort, seq, ack, flags, len, 51, c.ipId);
      c.sSeq = (c.sSeq + len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
    }
    t += 60 + (r() % 200);
  };

  const shortScript = (): number[] => {
    const roll = r() % 100;
    if (roll === 0) return [1, SYN, 0, 0, RST | ACK, 0]; // refused: REJ
    const s = [1, SYN, 0, 0, SYN | ACK, 0, 1, ACK, 0, 1, PSH | ACK, 200 + (r() % 400)];
    let resp = 300 + (r() % 6000);
    while (resp > 0) {
      const n = Math.min(MSS, resp);
      s.push(0, PSH | ACK, n);
      resp -= n;
    }
    s.push(1, ACK, 0);
    if (roll <= 2) s.push(0, RST | ACK, 0); // the server resets instead of closing
    else s.push(1, FIN | ACK, 0, 0, FIN | ACK, 0, 1, ACK, 0);
    return s;
  };

  const bulk: Conn[] = [];
  for (let i = 0; i < shape.bulk; i++) {
    const c = open([], (i * 37) % PODS, 'bulk');
    send(c, true, SYN, 0);
    send(c, false, SYN | ACK, 0);
    send(c, true, ACK, 0);
    send(c, true, PSH | ACK, 120);
    bulk.push(c);
  }
  const active: Conn[] = [];
  let started = 0;
  const startShort = (): Conn => {
    const pod = r() % PODS;
    started++;
    return open(shortScript(), pod, r() % 4 === 0 ? 'service' : 'public');
  };
  for (let i = 0; i < shape.concurrent && started < shortTotal; i++) active.push(startShort());

  // Bytes left for bulk once the short connections are paid for (~1.1 KB each way per packet pair).
  let slot = 0;
  let bulkTurn = 0;
  let bulkSegments = 0;
  while (out.bytes < target) {
    const shortsLeft = active.length > 0;
    // Short connections spread over the whole file: their share of packets keeps pace with the bytes written.
    const shortDue = shortsLeft && started / shortTotal <= out.bytes / target + 0.001;
    if (shortDue || (shortsLeft && bulk.length === 0)) {
      slot = (slot + 1) % active.length;
      const c = active[slot];
      const s = c.script;
      send(c, s[c.next] === 1, s[c.next + 1], s[c.next + 2]);
      c.next += 3;
      if (c.next >= s.length) {
        if (started < shortTotal) active[slot] = startShort();
        else active.splice(slot, 1);
      }
    } else if (bulk.length > 0) {
      const c = bulk[bulkTurn++ % bulk.length];
      send(c, false, ACK, MSS);
      send(c, false, PSH | ACK, MSS);
      send(c, true, ACK, 0);
      bulkSegments += 2;
    } else break;
  }
  out.flush();
  closeSync(fd);
  void bulkSegments;
  // Connections started when the file was full may not have sent a packet: they are not in it.
  const silent = active.filter((c) => c.next === 0).length;
  return { profile, connections: started - silent, bulk: shape.bulk, packets: out.packets, bytes: out.bytes };
}

if (process.argv[1]?.endsWith('busy-capture.js')) {
  const [path, mb, profile, seed] = process.argv.slice(2);
  if (!path || !mb || (profile && profile !== 'busy' && profile !== 'bulk')) {
    process.stderr.write('usage: node dist/busy-capture.js OUT.pcap MB [busy|bulk] [seed]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(writeBusyCapture(path, Number(mb), (profile ?? 'busy') as CaptureProfile, Number(seed ?? 1))) + '\n');
}
