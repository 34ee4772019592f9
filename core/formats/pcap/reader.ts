import { diag, type Diagnostic } from '../../diagnostics.js';
import { PodcapError } from '../../errors.js';
import { ChunkBuffer } from '../chunk-buffer.js';
import { newFrame, type CaptureReader } from '../capture-reader.js';
import type { CaptureInterface, Frame } from '../frame.js';
import { LINKTYPE_MASK } from '../../net/linktype.js';
import {
  PCAP_FILE_HEADER_LEN, PCAP_MAGIC_KUZNETZOV, PCAP_MAGIC_NS, PCAP_MAGIC_US, PCAP_MAX_CAPLEN,
  type PcapHeader,
} from './types.js';

/** Parses the 24-byte file header; throws when the bytes are not a pcap file libpcap would open. */
export function parsePcapHeader(b: Uint8Array, source: string): { header: PcapHeader; notes: Diagnostic[] } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let le: boolean | undefined;
  let magic = 0;
  for (const cand of [true, false]) {
    const m = dv.getUint32(0, cand);
    if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === PCAP_MAGIC_KUZNETZOV) { le = cand; magic = m; break; }
  }
  if (le === undefined) throw new PodcapError('NOT_PCAP', `${source}: not a pcap file (bad magic at offset 0)`, 'pcap', 0);
  const versionMajor = dv.getUint16(4, le);
  const versionMinor = dv.getUint16(6, le);
  // libpcap: majors below 2 are "archaic"; 2.x above 2.4 and anything else is unsupported,
  // except the 543.568 value some writers used by mistake, which libpcap reads as 2.4.
  const odd = versionMajor === 543 && versionMinor === 568;
  if (versionMajor < 2) throw new PodcapError('CAPTURE_BAD_VERSION', `${source}: archaic pcap savefile format ${versionMajor}.${versionMinor} (offset 4)`, 'pcap', 4);
  if (!odd && !(versionMajor === 2 && versionMinor <= 4)) {
    throw new PodcapError('CAPTURE_BAD_VERSION', `${source}: unsupported pcap savefile version ${versionMajor}.${versionMinor} (offset 4)`, 'pcap', 4);
  }
  const notes: Diagnostic[] = [];
  if (odd || versionMinor !== 4) notes.push(diag('CAPTURE_BAD_VERSION', `pcap version ${versionMajor}.${versionMinor}, read as 2.4 like libpcap`, { source, offset: 4 }));
  const rawLink = dv.getUint32(20, le);
  const linkType = rawLink & LINKTYPE_MASK;
  if (rawLink !== linkType) {
    notes.push(diag('CAPTURE_RESERVED_LINKTYPE_BITS', `link-type field 0x${rawLink.toString(16)} has FCS/reserved bits; using link type ${linkType}`, { source, offset: 20 }));
  }
  return {
    header: {
      littleEndian: le, nanos: magic === PCAP_MAGIC_NS, versionMajor, versionMinor,
      snaplen: dv.getUint32(16, le), linkType,
      recordHeaderLen: magic === PCAP_MAGIC_KUZNETZOV ? 24 : 16,
    },
    notes,
  };
}

export class PcapReader implements CaptureReader {
  readonly format = 'pcap' as const;
  readonly interfaces: CaptureInterface[] = [];
  readonly diagnostics: Diagnostic[] = [];
  header: PcapHeader | undefined;
  private readonly cb = new ChunkBuffer();
  private readonly frame: Frame = newFrame();
  private stopped = false;
  /** Pre-2.3 writers sometimes swapped caplen and len; libpcap swaps them back when caplen > len. */
  private lengthsMaySwap = false;

  constructor(private readonly source = '') {}

  push(chunk: Uint8Array): void {
    if (!this.stopped) this.cb.push(chunk);
  }

  end(): void {
    this.cb.end();
  }

  next(): Frame | undefined {
    if (this.stopped) return undefined;
    const cb = this.cb;
    if (!this.header) {
      if (cb.available < PCAP_FILE_HEADER_LEN) {
        if (cb.ended) {
          if (cb.available >= 4) this.stop(diag('CAPTURE_TRUNCATED_HEADER', `file ends inside the pcap header (${cb.available} of 24 bytes)`, { source: this.source, offset: cb.offset }));
          else if (cb.available > 0) throw new PodcapError('NOT_PCAP', `${this.source}: too short to be a capture (${cb.available} bytes)`, 'pcap', 0);
          else this.stopped = true;
        }
        return undefined;
      }
      const { header, notes } = parsePcapHeader(cb.buf.subarray(cb.pos, cb.pos + PCAP_FILE_HEADER_LEN), this.source);
      this.header = header;
      this.diagnostics.push(...notes);
      this.lengthsMaySwap = header.versionMajor === 2 && header.versionMinor < 3;
      this.interfaces.push({ index: 0, linkType: header.linkType, snaplen: header.snaplen, tsUnitsPerSec: header.nanos ? 1e9 : 1e6 });
      cb.pos += PCAP_FILE_HEADER_LEN;
    }
    const h = this.header;
    const hl = h.recordHeaderLen;
    if (cb.available < hl) return this.needMore('record header', hl);
    const dv = cb.view;
    const p = cb.pos;
    const le = h.littleEndian;
    const sec = dv.getUint32(p, le);
    const frac = dv.getUint32(p + 4, le);
    let capLen = dv.getUint32(p + 8, le);
    let origLen = dv.getUint32(p + 12, le);
    if (this.lengthsMaySwap && capLen > origLen) { const t = capLen; capLen = origLen; origLen = t; }
    if (capLen > Math.max(PCAP_MAX_CAPLEN, h.snaplen)) {
      this.stop(diag('CAPTURE_BAD_RECORD_LENGTH', `record at offset ${cb.offset} claims caplen ${capLen} (snaplen ${h.snaplen}); the rest of the file is not read`, { source: this.source, offset: cb.offset }));
      return undefined;
    }
    if (cb.available < hl + capLen) return this.needMore('record', hl + capLen);
    const f = this.frame;
    if (h.nanos) {
      f.tsUs = sec * 1e6 + Math.floor(frac / 1000);
      f.tsNanoRem = frac % 1000;
    } else {
      f.tsUs = sec * 1e6 + frac;
      f.tsNanoRem = 0;
    }
    f.capLen = capLen;
    f.origLen = origLen;
    f.linkType = h.linkType;
    f.iface = 0;
    f.buf = cb.buf;
    f.dataOffset = p + hl;
    f.offset = cb.offset;
    cb.pos = p + hl + capLen;
    return f;
  }

  private needMore(what: string, need: number): undefined {
    const cb = this.cb;
    if (cb.ended) {
      if (cb.available > 0) {
        this.stop(diag('CAPTURE_TRUNCATED_RECORD', `file ends inside a ${what} at offset ${cb.offset} (${cb.available} of ${need} bytes); earlier packets are kept`, { source: this.source, offset: cb.offset }));
      } else {
        this.stopped = true;
      }
    }
    return undefined;
  }

  private stop(d: Diagnostic): void {
    this.diagnostics.push(d);
    this.stopped = true;
    this.cb.discard();
  }
}
