import { PCAP_MAGIC_KUZNETZOV, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './types.js';

/** Classic pcap is recognised by its magic number in either byte order. */
export function sniffPcap(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const dv = new DataView(head.buffer, head.byteOffset, 4);
  for (const le of [true, false]) {
    const m = dv.getUint32(0, le);
    if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === PCAP_MAGIC_KUZNETZOV) return true;
  }
  return false;
}
