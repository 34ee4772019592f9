export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_OPB = 0x00000002; // obsolete Packet Block, still written by old tools
export const BT_SPB = 0x00000003;
export const BT_NRB = 0x00000004;
export const BT_ISB = 0x00000005;
export const BT_EPB = 0x00000006;
export const BT_DSB = 0x0000000a;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const OPT_ENDOFOPT = 0;
export const OPT_IF_NAME = 2;
export const OPT_IF_DESCRIPTION = 3;
export const OPT_IF_TSRESOL = 9;
export const OPT_IF_TSOFFSET = 14;

/** A block larger than this is taken as corruption rather than buffered (libpcap uses 16 MiB). */
export const MAX_BLOCK_LEN = 16 * 1024 * 1024;

export const KNOWN_BLOCK_TYPES: ReadonlySet<number> = new Set([BT_SHB, BT_IDB, BT_OPB, BT_SPB, BT_NRB, BT_ISB, BT_EPB, BT_DSB]);
