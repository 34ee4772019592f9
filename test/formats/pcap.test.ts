import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PodcapError } from '../../core/errors.js';
import type { Frame } from '../../core/formats/frame.js';
import { PcapReader } from '../../core/formats/pcap/reader.js';
import { sniffPcap } from '../../core/formats/pcap/sniff.js';
import { concat, pcapHeader, pcapRecord, readAll } from '../helpers/bytes.js';

const snap = (f: Frame) => ({ tsUs: f.tsUs, ns: f.tsNanoRem, capLen: f.capLen, origLen: f.origLen, link: f.linkType, offset: f.offset, data: Array.from(f.buf.subarray(f.dataOffset, f.dataOffset + f.capLen)) });

function sampleFile(o: { le: boolean; nanos: boolean }): Uint8Array {
  return concat(
    pcapHeader({ le: o.le, nanos: o.nanos, linkType: 101 }),
    pcapRecord({ le: o.le, sec: 1700000000, frac: o.nanos ? 123456789 : 123456, data: Uint8Array.of(0x45, 1, 2, 3) }),
    pcapRecord({ le: o.le, sec: 1700000001, frac: o.nanos ? 999 : 7, data: Uint8Array.of(9, 8, 7, 6, 5), origLen: 1500 }),
    pcapRecord({ le: o.le, sec: 1700000002, frac: 0, data: new Uint8Array(0) }),
  );
}

describe('classic pcap reader', () => {
  for (const le of [true, false]) {
    for (const nanos of [false, true]) {
      it(`reads ${le ? 'little' : 'big'}-endian ${nanos ? 'nanosecond' : 'microsecond'} files`, () => {
        const bytes = sampleFile({ le, nanos });
        expect(sniffPcap(bytes)).toBe(true);
        const frames = readAll(new PcapReader('t'), bytes, bytes.length, snap) as ReturnType<typeof snap>[];
        expect(frames).toHaveLength(3);
        expect(frames[0]).toMatchObject({ tsUs: 1700000000_123456, ns: nanos ? 789 : 0, capLen: 4, origLen: 4, link: 101, offset: 24, data: [0x45, 1, 2, 3] });
        expect(frames[1]).toMatchObject({ tsUs: 1700000001_000000 + (nanos ? 0 : 7), ns: nanos ? 999 : 0, capLen: 5, origLen: 1500, offset: 24 + 16 + 4 });
        expect(frames[2]).toMatchObject({ capLen: 0, data: [] });
      });
    }
  }

  it('gives the same frames when fed one byte at a time', () => {
    const bytes = sampleFile({ le: true, nanos: false });
    const whole = readAll(new PcapReader('t'), bytes, bytes.length, snap);
    const bytewise = readAll(new PcapReader('t'), bytes, 1, snap);
    expect(bytewise).toEqual(whole);
  });

  it('keeps every complete record when cut at any byte, and reports dataLoss with the offset', () => {
    const bytes = sampleFile({ le: true, nanos: false });
    const ends = [24, 24 + 20, 24 + 20 + 21, bytes.length];
    for (let cut = 4; cut < bytes.length; cut++) {
      const r = new PcapReader('cut.pcap');
      const frames = readAll(r, bytes.subarray(0, cut), 7);
      const complete = ends.filter((e) => e <= cut).length - 1;
      expect(frames.length, `cut at ${cut}`).toBe(Math.max(0, complete));
      const atBoundary = ends.includes(cut);
      const loss = r.diagnostics.filter((d) => d.severity === 'dataLoss');
      if (atBoundary) expect(loss, `cut at ${cut}`).toHaveLength(0);
      else {
        expect(loss, `cut at ${cut}`).toHaveLength(1);
        const start = cut < 24 ? 0 : ends.filter((e) => e <= cut).pop()!;
        expect(loss[0].offset).toBe(start);
        expect(loss[0].source).toBe('cut.pcap');
      }
    }
  });

  it('refuses files libpcap refuses, and masks reserved link-type bits', () => {
    expect(() => readAll(new PcapReader('v'), pcapHeader({ major: 1 }))).toThrow(/archaic/);
    expect(() => readAll(new PcapReader('v'), pcapHeader({ major: 3 }))).toThrow(PodcapError);
    expect(() => readAll(new PcapReader('v'), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25))).toThrow(/not a pcap/);
    const r = new PcapReader('lt');
    const frames = readAll(r, concat(pcapHeader({ linkType: 0x04000001 }), pcapRecord({ sec: 1, frac: 0, data: Uint8Array.of(1) })), 100, snap) as ReturnType<typeof snap>[];
    expect(frames[0].link).toBe(1);
    expect(r.diagnostics.map((d) => d.code)).toContain('CAPTURE_RESERVED_LINKTYPE_BITS');
  });

  it('stops with a diagnostic at an impossible record length instead of buffering it', () => {
    const bad = concat(pcapHeader(), pcapRecord({ sec: 1, frac: 0, data: Uint8Array.of(1, 2) }), Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]));
    const r = new PcapReader('bad');
    expect(readAll(r, bad)).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'CAPTURE_BAD_RECORD_LENGTH', offset: 24 + 18 });
  });
});

describe('classic pcap reader against pcap-parser on the real samples', () => {
  const dir = 'fixtures/samples/captures/tcpdump';
  const files = readdirSync(dir).filter((f) => f.endsWith('.pcap'));
  it('has samples', () => expect(files.length).toBeGreaterThan(5));
  for (const name of files) {
    it(`agrees on ${name}`, async () => {
      const bytes = readFileSync(join(dir, name));
      const isNs = bytes.readUInt32LE(0) === 0xa1b23c4d || bytes.readUInt32BE(0) === 0xa1b23c4d;
      const ours = readAll(new PcapReader(name), bytes, 4096, (f: Frame) => ({ sec: Math.floor(f.tsUs / 1e6), us: f.tsUs % 1e6, len: f.origLen, cap: f.capLen })) as { sec: number; us: number; len: number; cap: number }[];
      if (isNs) return; // pcap-parser reads only microsecond files: nothing to compare against
      const theirs = await pcapParserRead(join(dir, name));
      expect(ours.length).toBe(theirs.length);
      expect(ours).toEqual(theirs);
    });
  }
});

async function pcapParserRead(path: string): Promise<{ sec: number; us: number; len: number; cap: number }[]> {
  const { default: pcapp } = await import('pcap-parser');
  return new Promise((resolve, reject) => {
    const out: { sec: number; us: number; len: number; cap: number }[] = [];
    const p = pcapp.parse(path);
    p.on('packet', (pk: { header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number } }) =>
      out.push({ sec: pk.header.timestampSeconds, us: pk.header.timestampMicroseconds, len: pk.header.originalLength, cap: pk.header.capturedLength }));
    p.on('end', () => resolve(out));
    p.on('error', reject);
  });
}
