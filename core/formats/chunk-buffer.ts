/**
 * The byte window a push/pull reader works on: chunks are appended, records consumed from `pos`.
 * Only the unconsumed tail is carried into the next chunk, so a record may straddle any number of
 * chunks without the reader caring where they were cut.
 */
export class ChunkBuffer {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.buf.buffer);
  pos = 0;
  /** File offset of buf[0]. */
  base = 0;
  ended = false;

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push after end');
    const rest = this.buf.length - this.pos;
    if (rest === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(chunk, rest);
      this.base += this.pos;
      this.buf = joined;
    }
    this.pos = 0;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  end(): void {
    this.ended = true;
  }

  get available(): number {
    return this.buf.length - this.pos;
  }

  /** File offset of the next unconsumed byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Drop everything buffered (after an unrecoverable error). */
  discard(): void {
    this.base += this.buf.length;
    this.buf = new Uint8Array(0);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }
}
