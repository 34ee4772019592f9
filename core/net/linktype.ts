/** LINKTYPE_* values podcap decodes (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_OPENBSD: 12,
  RAW_BSDOS: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  NFLOG: 239,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** libpcap keeps the link type in the low 16 bits; the rest carries FCS info or is reserved. */
export const LINKTYPE_MASK = 0x0000ffff;
