import type { Diagnostic } from '../diagnostics.js';
import type { CaptureInterface, Frame } from './frame.js';

/**
 * A push/pull capture reader: push chunks as they are read, pull frames until `next()` returns
 * undefined (needs more bytes, or finished once `end()` was called). Pure: no I/O.
 */
export interface CaptureReader {
  readonly format: 'pcap' | 'pcapng';
  push(chunk: Uint8Array): void;
  end(): void;
  next(): Frame | undefined;
  /** Interfaces described so far (pcapng grows this as sections and IDBs arrive). */
  readonly interfaces: CaptureInterface[];
  readonly diagnostics: Diagnostic[];
}

export function newFrame(): Frame {
  return { tsUs: 0, tsNanoRem: 0, capLen: 0, origLen: 0, linkType: 0, iface: 0, buf: new Uint8Array(0), dataOffset: 0, offset: 0 };
}
