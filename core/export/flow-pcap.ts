/**
 * A flow's packets as a file for Wireshark: the capture sources that saw the flow are read again
 * and every frame whose decoded tuple (inner tuple for VXLAN/Geneve) is the flow's, in either
 * direction, within its time span, is copied byte for byte. One link type → classic pcap; several
 * (an SLL2 `-i any` capture plus an Ethernet veth capture) → pcapng, one interface per capture point.
 */
import { stat } from 'node:fs/promises';
import type { CaseDb } from '../db/open-case.js';
import { PodcapError } from '../errors.js';
import { DecodeStatus, decodeFrame } from '../decode/decode.js';
import { L4, newPacket, type Packet } from '../decode/packet.js';
import type { CaptureReader } from '../formats/capture-reader.js';
import { PcapReader } from '../formats/pcap/reader.js';
import { pcapFileHeader, pcapRecord } from '../formats/pcap/writer.js';
import { PcapngReader } from '../formats/pcapng/reader.js';
import { pcapngInterface, pcapngPacket, pcapngSectionHeader } from '../formats/pcapng/writer.js';
import { contentChunks } from '../ingest/chunks.js';

export interface FlowPcap {
  /** Suggested file name (safe on every OS), its extension the format written. */
  name: string;
  format: 'pcap' | 'pcapng';
  packets: number;
  /** Copies of packets left out (seen again at another capture point or on the other NAT half). */
  copies_left_out: number;
  bytes: Uint8Array;
}

export interface FlowPcapOptions {
  /** Every sighting of every packet (each capture point's copy, both NAT halves), not one copy each. */
  allSightings?: boolean;
  /** pcapng even when one link type would fit classic pcap. */
  format?: 'pcap' | 'pcapng';
  signal?: AbortSignal;
}

/** A flow's export is held in memory: refuse flows whose packets exceed this. */
export const FLOW_PCAP_MAX_BYTES = 256 * 1024 * 1024;

interface FlowKey { id: number; proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number; start_us: number; end_us: number; nat_peer: number | null; folded_into: number | null }
interface SourceRef { id: number; path: string; kind: string; detail: string | null }
interface Hit { tsUs: number; seq: number; iface: number; copyPoint: number; primary: boolean; identity: string; ttl: number; data: Uint8Array; origLen: number }
interface Iface { linkType: number; snaplen: number; name: string }

/** 0 when `p` travels originator → responder of `f`, 1 when back, -1 when not `f`'s. */
function direction(p: Packet, f: FlowKey): number {
  const proto = p.l4 === L4.TCP ? 'tcp' : p.l4 === L4.UDP ? 'udp' : p.l4 === L4.ICMP || p.l4 === L4.ICMPv6 ? 'icmp' : '';
  if (proto !== f.proto) return -1;
  if (proto === 'icmp') {
    // ICMP flows are keyed by addresses (the ports hold type/code): both directions belong.
    return p.src === f.orig_ip && p.dst === f.resp_ip ? 0 : p.src === f.resp_ip && p.dst === f.orig_ip ? 1 : -1;
  }
  if (p.src === f.orig_ip && p.sport === f.orig_port && p.dst === f.resp_ip && p.dport === f.resp_port) return 0;
  if (p.src === f.resp_ip && p.sport === f.resp_port && p.dst === f.orig_ip && p.dport === f.orig_port) return 1;
  return -1;
}

/**
 * A packet seen on several interfaces of an `-i any` capture is one packet to the tracker (its
 * dedup window, core/flows/tracker.ts): the later copies of the flow's last packet still belong,
 * and copies of one packet arrive within this much of each other.
 */
const COPY_SLACK_US = 10_000;
/** Forwarding hops a copy's TTL may differ by (as the tracker's dedup). */
const COPY_MAX_TTL_DELTA = 8;

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');

/**
 * What a packet is, whichever capture point saw it and whichever NAT half's tuple it carried:
 * direction, IP ID, TCP seq/ack/flags/length (or ICMP type/code); IPv6 has no IP ID, so its
 * window too (as core/flows/dedup.ts tells copies from retransmissions).
 */
function identityOf(p: Packet, dir: number): string {
  const flags = p.l4 === L4.TCP ? p.tcpFlags : (p.icmpType << 8) | p.icmpCode;
  return `${dir}|${p.ipId}|${p.seq}|${p.ack}|${flags}|${p.payloadLen}${p.ipId < 0 ? `|${p.window}` : ''}`;
}

/**
 * One copy of each packet: copies are grouped (same identity, another capture point, within the
 * slack), and each group keeps the copy from the best-ranked point, so one point's copies are
 * taken throughout: the points that saw the pod-side (listed) tuple first, then the busiest.
 */
function oneCopyEach(hits: Hit[]): Hit[] {
  const rank = new Map<number, { primary: number; all: number; first: number }>();
  for (const h of hits) {
    const r = rank.get(h.copyPoint) ?? { primary: 0, all: 0, first: rank.size };
    r.all++;
    if (h.primary) r.primary++;
    rank.set(h.copyPoint, r);
  }
  const order = [...rank.entries()].sort(([, a], [, b]) => b.primary - a.primary || b.all - a.all || a.first - b.first).map(([p]) => p);
  const better = new Map(order.map((p, i) => [p, i]));
  const groups: Hit[][] = [];
  const open = new Map<string, Hit[][]>();
  for (const h of hits) {
    const candidates = (open.get(h.identity) ?? []).filter((g) => h.tsUs - g[0].tsUs <= COPY_SLACK_US);
    const g = candidates.find((x) => !x.some((y) => y.copyPoint === h.copyPoint) && Math.abs(x[0].ttl - h.ttl) <= COPY_MAX_TTL_DELTA);
    if (g) g.push(h);
    else {
      const fresh = [h];
      groups.push(fresh);
      candidates.push(fresh);
    }
    open.set(h.identity, candidates);
  }
  return groups.map((g) => g.reduce((a, b) => (better.get(b.copyPoint)! < better.get(a.copyPoint)! ? b : a)))
    .sort((a, b) => a.tsUs - b.tsUs || a.seq - b.seq);
}

/**
 * The packets of the connection `flowId` belongs to: both NAT halves' tuples, from every capture
 * point that saw either. By default one copy of each packet (the pod-side point's); every
 * sighting with `allSightings`.
 */
export async function exportFlowPcap(db: CaseDb, flowId: number, opts: FlowPcapOptions = {}): Promise<FlowPcap> {
  const q = db.prepare('SELECT id, proto, orig_ip, orig_port, resp_ip, resp_port, start_us, end_us, nat_peer, folded_into FROM flows WHERE id = ?');
  const asked = q.get(flowId) as FlowKey | undefined;
  if (!asked) throw new PodcapError('NOT_FOUND', `no flow ${flowId} in this case`);
  const other = asked.nat_peer === null ? undefined : q.get(asked.nat_peer) as FlowKey | undefined;
  // The listed half first: its tuple names the file and ranks the capture points.
  const halves = other && asked.folded_into !== null ? [other, asked] : other ? [asked, other] : [asked];
  const flow = halves[0];
  const fromUs = Math.min(...halves.map((h) => h.start_us));
  const toUs = Math.max(...halves.map((h) => h.end_us));
  const ids = halves.map((h) => h.id);
  const sources = db.prepare(`SELECT id, path, kind, detail FROM sources WHERE id IN
      (SELECT source_id FROM flows WHERE id IN (SELECT value FROM json_each(?)) UNION SELECT source_id FROM flow_sightings WHERE flow_id IN (SELECT value FROM json_each(?)))
      ORDER BY id`).all(JSON.stringify(ids), JSON.stringify(ids)) as SourceRef[];

  const ifaces: Iface[] = [];
  let hits: Hit[] = [];
  let total = 0;
  const pkt = newPacket();
  for (const [srcIndex, src] of sources.entries()) {
    const detail = (src.detail ? JSON.parse(src.detail) : {}) as { file?: string; gzip?: boolean };
    const file = detail.file ?? src.path;
    try {
      await stat(file);
    } catch {
      throw new PodcapError('NOT_FOUND', `the capture ${src.path} is no longer at ${file}: keep the case's .work folder and the original files to export packets`);
    }
    const reader: CaptureReader = src.kind === 'pcapng' ? new PcapngReader(src.path) : new PcapReader(src.path);
    const ifaceOf = new Map<number, number>();
    const drain = () => {
      for (let fr = reader.next(); fr !== undefined; fr = reader.next()) {
        if (fr.tsUs < fromUs || fr.tsUs > toUs + COPY_SLACK_US) continue;
        if (decodeFrame(fr.buf, fr.dataOffset, fr.capLen, fr.linkType, pkt) !== DecodeStatus.Ok) continue;
        // A tunnel's outer UDP datagrams are a flow of their own, as the inner connection is.
        let half = -1;
        let dir = -1;
        for (let i = 0; i < halves.length && dir < 0; i++) {
          dir = direction(pkt, halves[i]);
          if (dir < 0 && pkt.tunnel) dir = direction(pkt.tunnel.outer, halves[i]);
          half = i;
        }
        if (dir < 0) continue;
        let iface = ifaceOf.get(fr.iface);
        if (iface === undefined) {
          const i = reader.interfaces[fr.iface];
          iface = ifaces.push({ linkType: fr.linkType, snaplen: i?.snaplen || 262_144, name: `${src.path}${i?.name ? `:${i.name}` : ''}` }) - 1;
          ifaceOf.set(fr.iface, iface);
        }
        total += fr.capLen;
        if (total > FLOW_PCAP_MAX_BYTES) throw new PodcapError('TOO_LARGE', `flow ${flowId} has more than ${FLOW_PCAP_MAX_BYTES >> 20} MiB of packets: export it with tshark or editcap instead`);
        hits.push({
          tsUs: fr.tsUs, seq: hits.length, iface, primary: half === 0, identity: identityOf(pkt, dir), ttl: pkt.ttl,
          // The capture point as the tracker's dedup names it: source, interface, SLL2 ifindex, outgoing.
          copyPoint: ((srcIndex * 0x10000 + fr.iface) * 0x10001 + pkt.sllIfindex + 1) * 2 + (pkt.sllPktType === 4 ? 1 : 0),
          data: fr.buf.slice(fr.dataOffset, fr.dataOffset + fr.capLen), origLen: fr.origLen,
        });
      }
    };
    for await (const chunk of contentChunks(file, detail.gzip === true, { signal: opts.signal })) {
      reader.push(chunk);
      drain();
    }
    reader.end();
    drain();
  }
  // Capture points merged by time; the sort is stable, so each file's own order is kept on ties.
  hits.sort((a, b) => a.tsUs - b.tsUs || a.seq - b.seq);
  const sightings = hits.length;
  if (!opts.allSightings) hits = oneCopyEach(hits);

  // Only the interfaces whose packets are written; one link type fits classic pcap.
  const used = [...new Set(hits.map((h) => h.iface))].sort((a, b) => a - b);
  const idOf = new Map(used.map((i, n) => [i, n]));
  const linkTypes = new Set(used.map((i) => ifaces[i].linkType));
  const format = opts.format === 'pcapng' || linkTypes.size > 1 ? 'pcapng' : 'pcap';
  const parts: Uint8Array[] = [];
  if (format === 'pcap') {
    parts.push(pcapFileHeader(ifaces[used[0]]?.linkType ?? 1, Math.max(65_535, ...used.map((i) => ifaces[i].snaplen))));
    for (const h of hits) parts.push(pcapRecord(h.tsUs, h.data, h.origLen));
  } else {
    parts.push(pcapngSectionHeader());
    for (const i of used) parts.push(pcapngInterface(ifaces[i].linkType, ifaces[i].snaplen, ifaces[i].name));
    for (const h of hits) parts.push(pcapngPacket(idOf.get(h.iface)!, h.tsUs, h.data, h.origLen));
  }
  const bytes = Buffer.concat(parts);
  const name = `flow-${flow.id}-${safeName(`${flow.orig_ip}.${flow.orig_port}`)}-${safeName(`${flow.resp_ip}.${flow.resp_port}`)}${opts.allSightings ? '-all-sightings' : ''}.${format}`;
  return { name, format, packets: hits.length, copies_left_out: sightings - hits.length, bytes };
}

/** The file to write for `wanted`: its extension made to name `format` (a pcapng is never left under a .pcap name). */
export function nameForFormat(wanted: string, format: 'pcap' | 'pcapng'): string {
  const m = /\.(pcap|pcapng|cap)$/i.exec(wanted);
  return m ? `${wanted.slice(0, m.index)}.${format}` : `${wanted}.${format}`;
}
