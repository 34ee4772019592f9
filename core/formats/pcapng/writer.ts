/**
 * Minimal little-endian pcapng writer (SHB, IDB with if_name, EPB in microseconds): used when
 * packets of several link types must go into one file, which classic pcap cannot hold.
 * Pure: returns bytes, the caller writes them.
 */
const pad4 = (n: number) => (n + 3) & ~3;

function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  b.set(body, 8);
  v.setUint32(total - 4, total, true);
  return b;
}

export function pcapngSectionHeader(): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  // Section length unknown (-1), as streaming writers (dumpcap) leave it.
  v.setInt32(8, -1, true);
  v.setInt32(12, -1, true);
  return block(0x0a0d0d0a, body);
}

export function pcapngInterface(linkType: number, snaplen: number, name?: string): Uint8Array {
  const nameBytes = name ? new TextEncoder().encode(name) : new Uint8Array(0);
  const opts = nameBytes.length ? 4 + pad4(nameBytes.length) + 4 : 0;
  const body = new Uint8Array(8 + opts);
  const v = new DataView(body.buffer);
  v.setUint16(0, linkType, true);
  v.setUint32(4, snaplen, true);
  if (nameBytes.length) {
    v.setUint16(8, 2, true); // if_name
    v.setUint16(10, nameBytes.length, true);
    body.set(nameBytes, 12);
    // opt_endofopt (0, 0) is already zero.
  }
  return block(0x00000001, body);
}

export function pcapngPacket(ifaceId: number, tsUs: number, data: Uint8Array, origLen: number): Uint8Array {
  const body = new Uint8Array(20 + pad4(data.length));
  const v = new DataView(body.buffer);
  v.setUint32(0, ifaceId, true);
  // Default if_tsresol is microseconds: the 64-bit count split into high and low words.
  v.setUint32(4, Math.floor(tsUs / 2 ** 32), true);
  v.setUint32(8, tsUs % 2 ** 32, true);
  v.setUint32(12, data.length, true);
  v.setUint32(16, Math.max(origLen, data.length), true);
  body.set(data, 20);
  return block(0x00000006, body);
}
