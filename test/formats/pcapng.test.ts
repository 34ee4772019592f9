import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../core/formats/frame.js';
import { PcapngReader } from '../../core/formats/pcapng/reader.js';
import { sniffPcapng } from '../../core/formats/pcapng/sniff.js';
import { Bytes, concat, epb, idb, rawBlock, readAll, shb, spb } from '../helpers/bytes.js';

const snap = (f: Frame) => ({ tsUs: f.tsUs, ns: f.tsNanoRem, capLen: f.capLen, origLen: f.origLen, link: f.linkType, iface: f.iface, offset: f.offset, data: Array.from(f.buf.subarray(f.dataOffset, f.dataOffset + f.capLen)) });
type Snap = ReturnType<typeof snap>;

function twoSections(le: boolean): { bytes: Uint8Array; blockEnds: number[] } {
  const blocks = [
    shb(le),
    idb(le, 1, { name: 'cali1234abcd' }),
    idb(le, 276, { name: 'any', tsresol: 9 }),
    epb(le, 0, 1700000000_123456n, Uint8Array.of(1, 2, 3)),
    rawBlock(le, 5, new Bytes(le).u32(0).u32(0).u32(0).build()), // ISB: skipped
    epb(le, 1, 1700000000_123456789n, Uint8Array.of(4, 5, 6, 7, 8), 60),
    rawBlock(le, 0x40000bad, Uint8Array.of(1, 2, 3, 4)), // unknown/custom: skipped with a note
    shb(le),
    idb(le, 101, { tsresol: 0x80 | 20, tsoffset: 10n }), // 2^-20 s units, +10 s offset
    spb(le, Uint8Array.of(0x45, 0, 0, 20)),
    epb(le, 0, BigInt(1 << 20) * 5n, Uint8Array.of(9)),
  ];
  const blockEnds: number[] = [];
  let o = 0;
  for (const b of blocks) { o += b.length; blockEnds.push(o); }
  return { bytes: concat(...blocks), blockEnds };
}

describe('pcapng reader', () => {
  for (const le of [true, false]) {
    it(`reads ${le ? 'little' : 'big'}-endian sections, interfaces, resolutions and block kinds`, () => {
      const { bytes } = twoSections(le);
      expect(sniffPcapng(bytes)).toBe(true);
      const r = new PcapngReader('t.pcapng');
      const frames = readAll(r, bytes, bytes.length, snap) as Snap[];
      expect(frames).toHaveLength(4);
      expect(frames[0]).toMatchObject({ tsUs: 1700000000_123456, link: 1, iface: 0, data: [1, 2, 3] });
      expect(frames[1]).toMatchObject({ tsUs: 1700000000_123456, ns: 789, link: 276, iface: 1, capLen: 5, origLen: 60 });
      // SPB has no timestamp: it keeps the previous one.
      expect(frames[2]).toMatchObject({ tsUs: 1700000000_123456, link: 101, iface: 2, data: [0x45, 0, 0, 20] });
      expect(frames[3]).toMatchObject({ tsUs: 15_000_000, link: 101, iface: 2 });
      expect(r.interfaces.map((i) => [i.index, i.name, i.linkType])).toEqual([[0, 'cali1234abcd', 1], [1, 'any', 276], [2, undefined, 101]]);
      expect(r.diagnostics.map((d) => d.code)).toEqual(['CAPTURE_UNKNOWN_BLOCK']);
    });
  }

  it('gives the same frames when fed one byte at a time', () => {
    const { bytes } = twoSections(true);
    expect(readAll(new PcapngReader('t'), bytes, 1, snap)).toEqual(readAll(new PcapngReader('t'), bytes, bytes.length, snap));
  });

  it('keeps every complete block when cut at any byte', () => {
    const { bytes, blockEnds } = twoSections(true);
    const packetBlockEnds = [blockEnds[3], blockEnds[5], blockEnds[9], blockEnds[10]];
    for (let cut = 28; cut < bytes.length; cut++) {
      const r = new PcapngReader('cut');
      const frames = readAll(r, bytes.subarray(0, cut), 13);
      expect(frames.length, `cut at ${cut}`).toBe(packetBlockEnds.filter((e) => e <= cut).length);
      const loss = r.diagnostics.filter((d) => d.severity === 'dataLoss');
      expect(loss.length, `cut at ${cut}`).toBe(blockEnds.includes(cut) ? 0 : 1);
      if (loss.length) expect(loss[0].offset).toBe([0, ...blockEnds].filter((e) => e <= cut).pop());
    }
  });

  it('reports a corrupt block length and resynchronises on the next valid block', () => {
    const le = true;
    const good1 = epb(le, 0, 1n, Uint8Array.of(1));
    const broken = epb(le, 0, 2n, Uint8Array.of(2));
    new DataView(broken.buffer).setUint32(4, 0xfffffff0, true);
    const good2 = epb(le, 0, 3n, Uint8Array.of(3));
    const head = concat(shb(le), idb(le, 101));
    const bytes = concat(head, good1, broken, good2);
    const r = new PcapngReader('corrupt');
    const frames = readAll(r, bytes, 64, snap) as Snap[];
    expect(frames.map((f) => f.data[0])).toEqual([1, 3]);
    const loss = r.diagnostics.filter((d) => d.code === 'CAPTURE_BAD_RECORD_LENGTH');
    expect(loss[0].offset).toBe(head.length + good1.length);
    expect(loss[1].message).toMatch(/resynchronised/);
  });

  it('flags packets that name an interface the section did not describe', () => {
    const bytes = concat(shb(true), idb(true, 1), epb(true, 3, 1n, Uint8Array.of(1)), epb(true, 0, 2n, Uint8Array.of(2)));
    const r = new PcapngReader('t');
    expect(readAll(r, bytes)).toHaveLength(1);
    expect(r.diagnostics[0].code).toBe('CAPTURE_BAD_INTERFACE');
  });

  it('refuses a file without a section header, and unsupported major versions', () => {
    expect(() => readAll(new PcapngReader('x'), concat(idb(true, 1), idb(true, 1)))).toThrow(/no Section Header Block/);
    const v2 = shb(true);
    new DataView(v2.buffer).setUint16(12, 2, true);
    expect(() => readAll(new PcapngReader('x'), v2)).toThrow(/unsupported pcapng version 2/);
  });

  it('reads the real icmp-length-zero.pcapng sample', () => {
    const bytes = readFileSync('fixtures/samples/captures/tcpdump/icmp-length-zero.pcapng');
    const r = new PcapngReader('s');
    const frames = readAll(r, bytes, 100, snap) as Snap[];
    const expected = readFileSync('fixtures/samples/captures/tcpdump/icmp-length-zero.out', 'utf8').trim().split('\n').filter((l) => /^\d/.test(l));
    expect(frames.length).toBe(expected.length);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});
