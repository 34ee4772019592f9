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
  /**
   * Two buffers the carried tail and the next chunk are joined in, used in turn: frames point into
   * the current one until the next push, which writes the other. A fresh zeroed array per chunk was
   * a twentieth of a capture's ingest (allocation, page faults, and the GC it called for).
   */
  private readonly joins: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];
  private turn = 0;

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push after end');
    const rest = this.buf.length - this.pos;
    if (rest === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      this.turn ^= 1;
      let space = this.joins[this.turn];
      if (space.length < rest + chunk.length) space = this.joins[this.turn] = new Uint8Array(Math.max(rest + chunk.length, space.length * 2));
      const joined = space.subarray(0, rest + chunk.length);
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
