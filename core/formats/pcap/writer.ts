import { PCAP_FILE_HEADER_LEN, PCAP_MAGIC_US, PCAP_RECORD_HEADER_LEN } from './types.js';

/**
 * Classic microsecond pcap, little-endian, as tcpdump writes it on x86: what every tool reads.
 * Pure: returns bytes, the caller writes them.
 */
export function pcapFileHeader(linkType: number, snaplen: number): Uint8Array {
  const b = new Uint8Array(PCAP_FILE_HEADER_LEN);
  const v = new DataView(b.buffer);
  v.setUint32(0, PCAP_MAGIC_US, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  // thiszone and sigfigs stay 0, as libpcap writes them.
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linkType, true);
  return b;
}

export function pcapRecord(tsUs: number, data: Uint8Array, origLen: number): Uint8Array {
  const b = new Uint8Array(PCAP_RECORD_HEADER_LEN + data.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(tsUs / 1e6), true);
  v.setUint32(4, tsUs % 1e6, true);
  v.setUint32(8, data.length, true);
  v.setUint32(12, Math.max(origLen, data.length), true);
  b.set(data, PCAP_RECORD_HEADER_LEN);
  return b;
}
