/** Typed arrays stored as SQLite blobs (the rollups' lists), in host byte order. */

/** A blob as typed values: in place when aligned (SQLite's buffers usually are), else copied. */
export function view<T extends Uint16Array | Uint32Array | Float64Array>(Type: { new (b: ArrayBufferLike, o: number, n: number): T; new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, b: Buffer): T {
  const n = Math.floor(b.byteLength / Type.BYTES_PER_ELEMENT);
  return b.byteOffset % Type.BYTES_PER_ELEMENT === 0 ? new Type(b.buffer, b.byteOffset, n) : new Type(new Uint8Array(b).buffer);
}

export const blob = (a: Uint16Array | Uint32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
// Empty lists are stored as NULL: a zero-length blob still costs a Buffer per row when read.
export const blobOrNull = (a: Uint16Array | Float64Array) => (a.length ? blob(a) : null);
export const EMPTY_U16 = new Uint16Array(0);
export const EMPTY_F64 = new Float64Array(0);
