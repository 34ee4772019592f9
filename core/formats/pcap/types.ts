export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Some old files use the "modified" (Kuznetsov) format with a longer record header. */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;
export const PCAP_FILE_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;
/** Largest caplen libpcap accepts for most link types; above it a record is treated as corrupt. */
export const PCAP_MAX_CAPLEN = 262_144;

export interface PcapHeader {
  littleEndian: boolean;
  nanos: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
  /** Record header length (16, or 24 for the Kuznetsov variant). */
  recordHeaderLen: number;
}
