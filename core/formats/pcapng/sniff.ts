import { BT_SHB, BYTE_ORDER_MAGIC } from './types.js';

/** pcapng starts with a Section Header Block whose byte-order magic gives the endianness. */
export function sniffPcapng(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const dv = new DataView(head.buffer, head.byteOffset, 12);
  if (dv.getUint32(0, true) !== BT_SHB) return false;
  return dv.getUint32(8, true) === BYTE_ORDER_MAGIC || dv.getUint32(8, false) === BYTE_ORDER_MAGIC;
}
