import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../core/decode/decode.js';
import { newPacket } from '../../core/decode/packet.js';
import { LINKTYPE } from '../../core/net/linktype.js';

// fixtures/captures/tcp-nflog.pcap: `tcpdump -i nflog:5` on an x86 host (TLVs little-endian).
const file = readFileSync('fixtures/captures/tcp-nflog.pcap');
const firstFrame = () => {
  const capLen = file.readUInt32LE(24 + 8);
  return new Uint8Array(file.subarray(24 + 16, 24 + 16 + capLen));
};

/** The same frame as a big-endian host would have written it: each TLV's length and type swapped. */
function bigEndianTlvs(f: Uint8Array): Uint8Array {
  const b = Uint8Array.from(f);
  for (let o = 4; o + 4 <= b.length;) {
    const len = b[o] | (b[o + 1] << 8);
    [b[o], b[o + 1], b[o + 2], b[o + 3]] = [b[o + 1], b[o], b[o + 3], b[o + 2]];
    o += (len + 3) & ~3;
  }
  return b;
}

describe('NFLOG frames', () => {
  it('decode the logged packet from its NFULA_PAYLOAD TLV, in either byte order', () => {
    expect(file.readUInt32LE(20)).toBe(LINKTYPE.NFLOG);
    for (const frame of [firstFrame(), bigEndianTlvs(firstFrame())]) {
      const p = newPacket();
      decodeFrame(frame, 0, frame.length, LINKTYPE.NFLOG, p);
      expect([p.src, p.sport, p.dst, p.dport, p.tcpFlags & 0x02]).toEqual(['127.0.0.1', 55842, '127.0.0.1', 8080, 0x02]);
    }
  });
});
