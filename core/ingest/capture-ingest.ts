import { diag, type Diagnostic } from '../diagnostics.js';
import type { CaseWriter } from '../db/case-writer.js';
import { DecodeStatus, decodeFrame } from '../decode/decode.js';
import { newPacket } from '../decode/packet.js';
import { ConnTracker } from '../flows/tracker.js';
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

/** Streams one capture file through reader → decoder → tracker → case writer. */
export async function ingestCapture(inp: CaptureIngestInput): Promise<CaptureIngestResult> {
  const { path, sourceId, writer } = inp;
  const reader: CaptureReader = inp.kind === 'pcap' ? new PcapReader(path) : new PcapngReader(path);
  const pkt = newPacket();
  const tracker = new ConnTracker({
    sourceId,
    onConn: (c) => writer.addConn(sourceId, c),
    onRst: (e) => writer.addRst(e),
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

  for (const i of reader.interfaces) {
    writer.addInterface(sourceId, { iface: i.index, name: i.name, description: i.description, linkType: i.linkType, snaplen: i.snaplen, packets: perIface[i.index] ?? 0 });
  }
  return {
    packets, firstTs, lastTs, diagnostics,
    detail: {
      format: inp.kind,
      gzip: inp.gzip,
      decode: { ok: status[0], unsupportedLink: status[1], notIp: status[2], malformed: status[3], noTransport: status[4], truncated, fragments },
      flows: writer.flowsWritten,
      rsts: writer.rstsWritten,
    },
  };
}
