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
  /** Suggested file name (safe on every OS). */
  name: string;
  format: 'pcap' | 'pcapng';
  packets: number;
  bytes: Uint8Array;
}

/** A flow's export is held in memory: refuse flows whose packets exceed this. */
export const FLOW_PCAP_MAX_BYTES = 256 * 1024 * 1024;

interface FlowKey { proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number; start_us: number; end_us: number }
interface SourceRef { id: number; path: string; kind: string; detail: string | null }
interface Hit { tsUs: number; seq: number; point: number; data: Uint8Array; origLen: number }
interface Point { linkType: number; snaplen: number; name: string }

function matches(p: Packet, f: FlowKey): boolean {
  const proto = p.l4 === L4.TCP ? 'tcp' : p.l4 === L4.UDP ? 'udp' : p.l4 === L4.ICMP || p.l4 === L4.ICMPv6 ? 'icmp' : '';
  if (proto !== f.proto) return false;
  if (proto === 'icmp') {
    // ICMP flows are keyed by addresses (the ports hold type/code): both directions belong.
    return (p.src === f.orig_ip && p.dst === f.resp_ip) || (p.src === f.resp_ip && p.dst === f.orig_ip);
  }
  return (p.src === f.orig_ip && p.sport === f.orig_port && p.dst === f.resp_ip && p.dport === f.resp_port)
    || (p.src === f.resp_ip && p.sport === f.resp_port && p.dst === f.orig_ip && p.dport === f.orig_port);
}

/**
 * A packet seen on several interfaces of an `-i any` capture is one packet to the tracker (its
 * dedup window, core/flows/tracker.ts): the later copies of the flow's last packet still belong.
 */
const COPY_SLACK_US = 10_000;

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');

export async function exportFlowPcap(db: CaseDb, flowId: number, signal?: AbortSignal): Promise<FlowPcap> {
  const flow = db.prepare('SELECT proto, orig_ip, orig_port, resp_ip, resp_port, start_us, end_us FROM flows WHERE id = ?').get(flowId) as FlowKey | undefined;
  if (!flow) throw new PodcapError('NOT_FOUND', `no flow ${flowId} in this case`);
  const sources = db.prepare(`SELECT id, path, kind, detail FROM sources WHERE id IN
      (SELECT source_id FROM flows WHERE id = ? UNION SELECT source_id FROM flow_sightings WHERE flow_id = ?) ORDER BY id`).all(flowId, flowId) as SourceRef[];

  const points: Point[] = [];
  const hits: Hit[] = [];
  let total = 0;
  const pkt = newPacket();
  for (const src of sources) {
    const detail = (src.detail ? JSON.parse(src.detail) : {}) as { file?: string; gzip?: boolean };
    const file = detail.file ?? src.path;
    try {
      await stat(file);
    } catch {
      throw new PodcapError('NOT_FOUND', `the capture ${src.path} is no longer at ${file}: keep the case's .work folder and the original files to export packets`);
    }
    const reader: CaptureReader = src.kind === 'pcapng' ? new PcapngReader(src.path) : new PcapReader(src.path);
    const pointOf = new Map<number, number>();
    const drain = () => {
      for (let fr = reader.next(); fr !== undefined; fr = reader.next()) {
        if (fr.tsUs < flow.start_us || fr.tsUs > flow.end_us + COPY_SLACK_US) continue;
        if (decodeFrame(fr.buf, fr.dataOffset, fr.capLen, fr.linkType, pkt) !== DecodeStatus.Ok) continue;
        // A tunnel's outer UDP datagrams are a flow of their own, as the inner connection is.
        if (!matches(pkt, flow) && !(pkt.tunnel && matches(pkt.tunnel.outer, flow))) continue;
        let point = pointOf.get(fr.iface);
        if (point === undefined) {
          const i = reader.interfaces[fr.iface];
          point = points.push({ linkType: fr.linkType, snaplen: i?.snaplen || 262_144, name: `${src.path}${i?.name ? `:${i.name}` : ''}` }) - 1;
          pointOf.set(fr.iface, point);
        }
        total += fr.capLen;
        if (total > FLOW_PCAP_MAX_BYTES) throw new PodcapError('TOO_LARGE', `flow ${flowId} has more than ${FLOW_PCAP_MAX_BYTES >> 20} MiB of packets: export it with tshark or editcap instead`);
        hits.push({ tsUs: fr.tsUs, seq: hits.length, point, data: fr.buf.slice(fr.dataOffset, fr.dataOffset + fr.capLen), origLen: fr.origLen });
      }
    };
    for await (const chunk of contentChunks(file, detail.gzip === true, { signal })) {
      reader.push(chunk);
      drain();
    }
    reader.end();
    drain();
  }
  // Capture points merged by time; the sort is stable, so each file's own order is kept on ties.
  hits.sort((a, b) => a.tsUs - b.tsUs || a.seq - b.seq);

  const oneLink = points.every((p) => p.linkType === points[0]?.linkType);
  const parts: Uint8Array[] = [];
  if (oneLink) {
    parts.push(pcapFileHeader(points[0]?.linkType ?? 1, Math.max(65_535, ...points.map((p) => p.snaplen))));
    for (const h of hits) parts.push(pcapRecord(h.tsUs, h.data, h.origLen));
  } else {
    parts.push(pcapngSectionHeader());
    for (const p of points) parts.push(pcapngInterface(p.linkType, p.snaplen, p.name));
    for (const h of hits) parts.push(pcapngPacket(h.point, h.tsUs, h.data, h.origLen));
  }
  const bytes = Buffer.concat(parts);
  const format = oneLink ? 'pcap' : 'pcapng';
  const name = `flow-${flowId}-${safeName(`${flow.orig_ip}.${flow.orig_port}`)}-${safeName(`${flow.resp_ip}.${flow.resp_port}`)}.${format}`;
  return { name, format, packets: hits.length, bytes };
}
