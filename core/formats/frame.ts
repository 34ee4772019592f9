/**
 * One captured frame as a capture reader yields it. The reader reuses ONE Frame object and points
 * `buf` at its current chunk (no per-packet allocation): the frame is valid only until the next
 * call to the reader; copy `buf[dataOffset, dataOffset+capLen)` if it must outlive that.
 */
export interface Frame {
  /** Epoch microseconds (UTC). Nanosecond captures are truncated to µs; `tsNanoRem` keeps the rest. */
  tsUs: number;
  tsNanoRem: number;
  /** Bytes captured (≤ snaplen). */
  capLen: number;
  /** Bytes on the wire. */
  origLen: number;
  /** LINKTYPE_* of this frame's interface (reserved/FCS bits already masked). */
  linkType: number;
  /** Interface number within the file (pcapng IDB order across sections: global index); 0 for pcap. */
  iface: number;
  buf: Uint8Array;
  dataOffset: number;
  /** Byte offset of the record in the (decompressed) file, for diagnostics and pcap export. */
  offset: number;
}

/** What a capture reader knows about an interface (pcapng IDB; a single synthetic one for pcap). */
export interface CaptureInterface {
  index: number;
  linkType: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (1e6 default, 1e9 for nanosecond pcap). */
  tsUnitsPerSec: number;
}
