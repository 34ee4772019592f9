import { diag, type Diagnostic } from '../diagnostics.js';
import type { CaseWriter } from '../db/case-writer.js';
import { DecodeStatus, decodeFrame } from '../decode/decode.js';
import { newPacket } from '../decode/packet.js';
import { ConnTracker } from '../flows/tracker.js';
import type { ConnRecord, RstEvent } from '../flows/types.js';
import type { CaptureReader } from '../formats/capture-reader.js';
import { PcapReader } from '../formats/pcap/reader.js';
import { PcapngReader } from '../formats/pcapng/reader.js';
import { contentChunks, GzipError, type ChunkStreamOptions } from './chunks.js';
import type { CaptureKind } from './detect.js';

export interface CaptureIngestResult {
  packets: number;
  firstTs: number | null;
  lastTs: number | null;
  diagnostics: Diagnostic[];
  detail: {
    format: CaptureKind;
    gzip: boolean;
    decode: Record<string, number>;
    flows: number;
    rsts: number;
  };
}

export interface CaptureIngestInput {
  path: string;
  kind: CaptureKind;
  gzip: boolean;
  sourceId: number;
  writer: CaseWriter;
  stream: ChunkStreamOptions;
  /** Called after each chunk with the packets read so far. */
  onPackets?: (n: number) => void;
}

/** What one capture's decode and tracking sends on, in the order the tracker gave it (a RST before its connection). */
export interface TrackSink {
  conn(c: ConnRecord): void;
  rst(e: RstEvent): void;
}

export interface TrackInput {
  path: string;
  kind: CaptureKind;
  gzip: boolean;
  /** Stamped on sightings; a worker that does not know it yet tracks with 0 (the writer's thread fills it in). */
  sourceId: number;
  stream: ChunkStreamOptions;
  onPackets?: (n: number) => void;
}

/** Everything about a capture besides its connections and RSTs, known once it has been read. */
export interface TrackSummary {
  packets: number;
  firstTs: number | null;
  lastTs: number | null;
  diagnostics: Diagnostic[];
  decode: Record<string, number>;
  interfaces: { iface: number; name?: string; description?: string; linkType: number; snaplen: number; packets: number }[];
}

/** Streams one capture file through reader → decoder → tracker → case writer. */
export async function ingestCapture(inp: CaptureIngestInput): Promise<CaptureIngestResult> {
  const { sourceId, writer } = inp;
  const summary = await trackCapture(inp, { conn: (c) => writer.addConn(sourceId, c), rst: (e) => writer.addRst(e) });
  return storeSummary(inp.kind, inp.gzip, sourceId, writer, summary);
}

/** The capture's interfaces written, and the result the ingest reports (shared with the parallel path). */
export function storeSummary(kind: CaptureKind, gzip: boolean, sourceId: number, writer: CaseWriter, s: TrackSummary): CaptureIngestResult {
  for (const i of s.interfaces) writer.addInterface(sourceId, i);
  return {
    packets: s.packets, firstTs: s.firstTs, lastTs: s.lastTs, diagnostics: s.diagnostics,
    detail: { format: kind, gzip, decode: s.decode, flows: writer.flowsWritten, rsts: writer.rstsWritten },
  };
}

/**
 * Reader → decoder → tracker for one capture file, connections and RSTs handed to `sink`. Pure of
 * the case: it runs in the ingest's thread or in a capture worker (capture-worker.ts) alike.
 */
export async function trackCapture(inp: TrackInput, sink: TrackSink): Promise<TrackSummary> {
  const { path, sourceId } = inp;
  const reader: CaptureReader = inp.kind === 'pcap' ? new PcapReader(path) : new PcapngReader(path);
  const pkt = newPacket();
  const tracker = new ConnTracker({
    sourceId,
    onConn: (c) => sink.conn(c),
    onRst: (e) => sink.rst(e),
  });
  const perIface: number[] = [];
  const status = [0, 0, 0, 0, 0];
  let truncated = 0;
  let fragments = 0;
  let firstTruncOffset = -1;
  let firstMalformedOffset = -1;
  const unsupportedLinks = new Map<number, number>();
  let packets = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  const diagnostics: Diagnostic[] = [];

  const drain = (): void => {
    for (let f = reader.next(); f !== undefined; f = reader.next()) {
      packets++;
      perIface[f.iface] = (perIface[f.iface] ?? 0) + 1;
      if (firstTs === null || f.tsUs < firstTs) firstTs = f.tsUs;
      if (lastTs === null || f.tsUs > lastTs) lastTs = f.tsUs;
      const st = decodeFrame(f.buf, f.dataOffset, f.capLen, f.linkType, pkt);
      status[st]++;
      if (pkt.truncated) {
        truncated++;
        if (firstTruncOffset < 0) firstTruncOffset = f.offset;
      }
      if (pkt.fragment) fragments++;
      if (st === DecodeStatus.Ok) {
        pkt.tsUs = f.tsUs;
        pkt.iface = f.iface;
        pkt.wireLen = f.origLen;
        pkt.capLen = f.capLen;
        const outer = pkt.tunnel?.outer;
        if (outer) {
          // Zeek logs the tunnel's UDP datagrams as a connection of their own, then the inner flow.
          outer.tsUs = f.tsUs;
          outer.iface = f.iface;
          outer.wireLen = f.origLen;
          outer.capLen = f.capLen;
          tracker.push(outer);
        }
        tracker.push(pkt);
      } else if (st === DecodeStatus.Malformed) {
        if (firstMalformedOffset < 0) firstMalformedOffset = f.offset;
      } else if (st === DecodeStatus.UnsupportedLink) {
        unsupportedLinks.set(f.linkType, (unsupportedLinks.get(f.linkType) ?? 0) + 1);
      }
    }
  };

  try {
    for await (const chunk of contentChunks(path, inp.gzip, { ...inp.stream, reuseBuffers: true })) {
      reader.push(chunk);
      drain();
      inp.onPackets?.(packets);
    }
  } catch (e) {
    if (!(e instanceof GzipError)) throw e;
    diagnostics.push(diag('CAPTURE_GZIP_ERROR', `gzip stream damaged (${e.message}); ${packets} packets before it are kept`, { source: path }));
  }
  reader.end();
  drain();
  tracker.flush();
  inp.onPackets?.(packets);

  diagnostics.push(...reader.diagnostics);
  if (truncated > 0) diagnostics.push(diag('DECODE_SNAPLEN_CUT', `${truncated} packets cut by the snapshot length, decoded as far as they go (first at offset ${firstTruncOffset})`, { source: path, offset: firstTruncOffset }));
  if (status[DecodeStatus.Malformed] > 0) diagnostics.push(diag('DECODE_MALFORMED', `${status[DecodeStatus.Malformed]} packets with malformed headers (first at offset ${firstMalformedOffset})`, { source: path, offset: firstMalformedOffset }));
  if (fragments > 0) diagnostics.push(diag('DECODE_FRAGMENTS', `${fragments} IP fragments`, { source: path }));
  for (const [lt, n] of unsupportedLinks) diagnostics.push(diag('CAPTURE_UNKNOWN_LINKTYPE', `${n} packets with link type ${lt}, which podcap does not decode`, { source: path }));

  return {
    packets, firstTs, lastTs, diagnostics,
    decode: { ok: status[0], unsupportedLink: status[1], notIp: status[2], malformed: status[3], noTransport: status[4], truncated, fragments },
    interfaces: reader.interfaces.map((i) => ({ iface: i.index, name: i.name, description: i.description, linkType: i.linkType, snaplen: i.snaplen, packets: perIface[i.index] ?? 0 })),
  };
}
