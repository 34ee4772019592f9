import { diag, type Diagnostic } from '../../diagnostics.js';
import { PodcapError } from '../../errors.js';
import { ChunkBuffer } from '../chunk-buffer.js';
import { newFrame, type CaptureReader } from '../capture-reader.js';
import type { CaptureInterface, Frame } from '../frame.js';
import { LINKTYPE_MASK } from '../../net/linktype.js';
import { tsresolToUnitsPerSec, unitsToMicros, type TsOut } from './timestamp.js';
import {
  BT_EPB, BT_IDB, BT_OPB, BT_SHB, BT_SPB, BYTE_ORDER_MAGIC, KNOWN_BLOCK_TYPES, MAX_BLOCK_LEN,
  OPT_ENDOFOPT, OPT_IF_DESCRIPTION, OPT_IF_NAME, OPT_IF_TSOFFSET, OPT_IF_TSRESOL,
} from './types.js';

interface IfaceState extends CaptureInterface {
  tsOffsetSec: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * pcapng reader (https://ietf-opsawg-wg.github.io/draft-ietf-opsawg-pcap/draft-ietf-opsawg-pcapng.html).
 * Interfaces are numbered globally across sections so a frame's `iface` is unique in the file.
 * Blocks it does not use (NRB, ISB, DSB, custom, unknown) are skipped by their length.
 */
export class PcapngReader implements CaptureReader {
  readonly format = 'pcapng' as const;
  readonly interfaces: IfaceState[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly cb = new ChunkBuffer();
  private readonly frame: Frame = newFrame();
  private readonly ts: TsOut = { us: 0, nanoRem: 0 };
  private le = true;
  private inSection = false;
  /** Global index of the current section's interface 0. */
  private sectionBase = 0;
  private sectionIfaces = 0;
  private stopped = false;
  private resyncFrom = -1;
  private lastTsUs = 0;
  private readonly skippedTypes = new Set<number>();

  constructor(private readonly source = '') {}

  push(chunk: Uint8Array): void {
    if (!this.stopped) this.cb.push(chunk);
  }

  end(): void {
    this.cb.end();
  }

  next(): Frame | undefined {
    const cb = this.cb;
    for (;;) {
      if (this.stopped) return undefined;
      if (this.resyncFrom >= 0 && !this.resync()) return undefined;
      if (cb.available < 12) return this.needMore(12);
      const p = cb.pos;
      const dv = cb.view;
      const type = dv.getUint32(p, this.le);
      if (type === BT_SHB) {
        if (!this.readSectionHeader()) return undefined;
        continue;
      }
      if (!this.inSection) {
        throw new PodcapError('NOT_PCAPNG', `${this.source}: not a pcapng file (no Section Header Block at offset ${cb.offset})`, 'pcapng', cb.offset);
      }
      const len = dv.getUint32(p + 4, this.le);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_LEN) {
        this.corrupt(`block of type 0x${type.toString(16)} at offset ${cb.offset} has an invalid length ${len}`);
        continue;
      }
      if (cb.available < len) return this.needMore(len);
      if (dv.getUint32(p + len - 4, this.le) !== len) {
        this.corrupt(`block at offset ${cb.offset}: trailing length ${dv.getUint32(p + len - 4, this.le)} differs from leading length ${len}`);
        continue;
      }
      const frame = this.readBlock(type, p, len);
      cb.pos = p + len;
      if (frame) return frame;
    }
  }

  private readBlock(type: number, p: number, len: number): Frame | undefined {
    const dv = this.cb.view;
    const le = this.le;
    const f = this.frame;
    switch (type) {
      case BT_EPB: {
        if (len < 32) { this.warnBlock(type, p, 'too short for an Enhanced Packet Block'); return undefined; }
        const ifid = dv.getUint32(p + 8, le);
        const capLen = dv.getUint32(p + 20, le);
        if (28 + capLen > len - 4) { this.warnBlock(type, p, `captured length ${capLen} overruns the block`); return undefined; }
        const iface = this.iface(ifid, p);
        if (!iface) return undefined;
        unitsToMicros(dv.getUint32(p + 12, le), dv.getUint32(p + 16, le), iface.tsUnitsPerSec, iface.tsOffsetSec, this.ts);
        return this.fill(f, iface, capLen, dv.getUint32(p + 24, le), p + 28, p);
      }
      case BT_SPB: {
        const iface = this.iface(0, p);
        if (!iface) return undefined;
        const origLen = dv.getUint32(p + 8, le);
        const room = len - 16;
        let capLen = Math.min(origLen, room);
        if (iface.snaplen > 0) capLen = Math.min(capLen, iface.snaplen);
        // SPBs carry no timestamp: keep time monotonic by reusing the previous packet's.
        this.ts.us = this.lastTsUs;
        this.ts.nanoRem = 0;
        return this.fill(f, iface, capLen, origLen, p + 12, p);
      }
      case BT_OPB: {
        if (len < 32) { this.warnBlock(type, p, 'too short for a Packet Block'); return undefined; }
        const ifid = dv.getUint16(p + 8, le);
        const capLen = dv.getUint32(p + 20, le);
        if (28 + capLen > len - 4) { this.warnBlock(type, p, `captured length ${capLen} overruns the block`); return undefined; }
        const iface = this.iface(ifid, p);
        if (!iface) return undefined;
        unitsToMicros(dv.getUint32(p + 12, le), dv.getUint32(p + 16, le), iface.tsUnitsPerSec, iface.tsOffsetSec, this.ts);
        return this.fill(f, iface, capLen, dv.getUint32(p + 24, le), p + 28, p);
      }
      case BT_IDB:
        this.readInterface(p, len);
        return undefined;
      default:
        if (!this.skippedTypes.has(type)) {
          this.skippedTypes.add(type);
          if (!KNOWN_BLOCK_TYPES.has(type)) {
            this.diagnostics.push(diag('CAPTURE_UNKNOWN_BLOCK', `skipped block type 0x${type.toString(16)} (first at offset ${this.cb.base + p})`, { source: this.source, offset: this.cb.base + p }));
          }
        }
        return undefined;
    }
  }

  private fill(f: Frame, iface: IfaceState, capLen: number, origLen: number, dataOffset: number, p: number): Frame {
    f.tsUs = this.ts.us;
    f.tsNanoRem = this.ts.nanoRem;
    this.lastTsUs = f.tsUs;
    f.capLen = capLen;
    f.origLen = origLen;
    f.linkType = iface.linkType;
    f.iface = iface.index;
    f.buf = this.cb.buf;
    f.dataOffset = dataOffset;
    f.offset = this.cb.base + p;
    return f;
  }

  private iface(localId: number, p: number): IfaceState | undefined {
    if (localId < this.sectionIfaces) return this.interfaces[this.sectionBase + localId];
    this.diagnostics.push(diag('CAPTURE_BAD_INTERFACE', `packet at offset ${this.cb.base + p} names interface ${localId}, but the section describes ${this.sectionIfaces}`, { source: this.source, offset: this.cb.base + p }));
    return undefined;
  }

  private readSectionHeader(): boolean {
    const cb = this.cb;
    const p = cb.pos;
    const dv = cb.view;
    if (cb.available < 28) { this.needMore(28); return false; }
    const bom = dv.getUint32(p + 8, true);
    let le: boolean;
    if (bom === BYTE_ORDER_MAGIC) le = true;
    else if (dv.getUint32(p + 8, false) === BYTE_ORDER_MAGIC) le = false;
    else {
      if (!this.inSection) throw new PodcapError('NOT_PCAPNG', `${this.source}: Section Header Block at offset ${cb.offset} has no byte-order magic`, 'pcapng', cb.offset + 8);
      this.corrupt(`Section Header Block at offset ${cb.offset} has a bad byte-order magic`);
      return false;
    }
    const len = dv.getUint32(p + 4, le);
    const major = dv.getUint16(p + 12, le);
    const minor = dv.getUint16(p + 14, le);
    if (major !== 1) {
      if (!this.inSection) throw new PodcapError('CAPTURE_BAD_VERSION', `${this.source}: unsupported pcapng version ${major}.${minor} (offset ${cb.offset + 12})`, 'pcapng', cb.offset + 12);
      this.stop(diag('CAPTURE_BAD_VERSION', `section at offset ${cb.offset} has unsupported version ${major}.${minor}; the rest is not read`, { source: this.source, offset: cb.offset + 12 }));
      return false;
    }
    if (len < 28 || len % 4 !== 0 || len > MAX_BLOCK_LEN) {
      if (!this.inSection) throw new PodcapError('CAPTURE_BAD_RECORD_LENGTH', `${this.source}: Section Header Block has invalid length ${len}`, 'pcapng', cb.offset + 4);
      this.corrupt(`Section Header Block at offset ${cb.offset} has an invalid length ${len}`);
      return false;
    }
    if (cb.available < len) { this.needMore(len); return false; }
    this.le = le;
    this.inSection = true;
    this.sectionBase = this.interfaces.length;
    this.sectionIfaces = 0;
    cb.pos = p + len;
    return true;
  }

  private readInterface(p: number, len: number): void {
    const dv = this.cb.view;
    const le = this.le;
    const rawLink = dv.getUint16(p + 8, le);
    const iface: IfaceState = {
      index: this.interfaces.length,
      linkType: rawLink & LINKTYPE_MASK,
      snaplen: dv.getUint32(p + 12, le),
      tsUnitsPerSec: 1e6,
      tsOffsetSec: 0,
    };
    const end = p + len - 4;
    let o = p + 16;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      const v = o + 4;
      if (code === OPT_ENDOFOPT || v + olen > end) break;
      if (code === OPT_IF_NAME) iface.name = utf8.decode(this.cb.buf.subarray(v, v + olen)).replace(/\0+$/, '');
      else if (code === OPT_IF_DESCRIPTION) iface.description = utf8.decode(this.cb.buf.subarray(v, v + olen)).replace(/\0+$/, '');
      else if (code === OPT_IF_TSRESOL && olen >= 1) iface.tsUnitsPerSec = tsresolToUnitsPerSec(this.cb.buf[v]);
      else if (code === OPT_IF_TSOFFSET && olen >= 8) iface.tsOffsetSec = Number(dv.getBigInt64(v, le));
      o = v + ((olen + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.sectionIfaces++;
  }

  private warnBlock(type: number, p: number, why: string): void {
    this.diagnostics.push(diag('CAPTURE_BAD_RECORD_LENGTH', `block type 0x${type.toString(16)} at offset ${this.cb.base + p}: ${why}; skipped`, { source: this.source, offset: this.cb.base + p }));
  }

  /** A bad block length: report, then look for the next plausible block instead of giving up. */
  private corrupt(why: string): void {
    this.diagnostics.push(diag('CAPTURE_BAD_RECORD_LENGTH', `${why}; resynchronising`, { source: this.source, offset: this.cb.offset }));
    this.resyncFrom = this.cb.offset;
    this.cb.pos += 4;
  }

  /** Scans 4-byte steps for a block whose type is known and whose two lengths agree. */
  private resync(): boolean {
    const cb = this.cb;
    const dv = cb.view;
    const le = this.le;
    while (cb.available >= 12) {
      const p = cb.pos;
      const type = dv.getUint32(p, le);
      const len = dv.getUint32(p + 4, le);
      const plausible = (KNOWN_BLOCK_TYPES.has(type) && len >= 12 && len % 4 === 0 && len <= MAX_BLOCK_LEN)
        && (type !== BT_SHB || dv.getUint32(p + 8, true) === BYTE_ORDER_MAGIC || dv.getUint32(p + 8, false) === BYTE_ORDER_MAGIC);
      if (plausible) {
        if (cb.available < len) {
          if (!cb.ended) return false;
        } else if (dv.getUint32(p + len - 4, le) === len) {
          this.diagnostics.push(diag('CAPTURE_BAD_RECORD_LENGTH', `resynchronised at offset ${cb.offset}: ${cb.offset - this.resyncFrom} bytes skipped`, { source: this.source, offset: cb.offset }));
          this.resyncFrom = -1;
          return true;
        }
      }
      cb.pos += 4;
    }
    if (cb.ended) {
      this.stop(diag('CAPTURE_BAD_RECORD_LENGTH', `no valid block after offset ${this.resyncFrom}; the rest of the file is not read`, { source: this.source, offset: this.resyncFrom }));
    }
    return false;
  }

  private needMore(need: number): undefined {
    const cb = this.cb;
    if (cb.ended) {
      if (cb.available > 0) {
        this.stop(diag('CAPTURE_TRUNCATED_RECORD', `file ends inside a block at offset ${cb.offset} (${cb.available} of ${need} bytes); earlier packets are kept`, { source: this.source, offset: cb.offset }));
      } else this.stopped = true;
    }
    return undefined;
  }

  private stop(d: Diagnostic): void {
    this.diagnostics.push(d);
    this.stopped = true;
    this.cb.discard();
  }
}
