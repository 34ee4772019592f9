/** Byte builders for capture-format tests: write exactly the layouts the specs describe. */
export class Bytes {
  private parts: number[] = [];
  constructor(private readonly le = true) {}
  u8(v: number): this { this.parts.push(v & 0xff); return this; }
  u16(v: number): this {
    if (this.le) this.parts.push(v & 0xff, (v >> 8) & 0xff);
    else this.parts.push((v >> 8) & 0xff, v & 0xff);
    return this;
  }
  u32(v: number): this {
    const b = [(v >>> 0) & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u64(v: bigint): this {
    const lo = Number(v & 0xffffffffn);
    const hi = Number(v >> 32n);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  bytes(b: ArrayLike<number>): this { for (let i = 0; i < b.length; i++) this.parts.push(b[i]); return this; }
  pad4(): this { while (this.parts.length % 4) this.parts.push(0); return this; }
  get length(): number { return this.parts.length; }
  build(): Uint8Array { return Uint8Array.from(this.parts); }
}

export function concat(...xs: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) { out.set(x, o); o += x.length; }
  return out;
}

/** pcap file header. */
export function pcapHeader(o: { le?: boolean; nanos?: boolean; linkType?: number; snaplen?: number; major?: number; minor?: number } = {}): Uint8Array {
  const b = new Bytes(o.le ?? true);
  return b.u32(o.nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(o.major ?? 2).u16(o.minor ?? 4).u32(0).u32(0).u32(o.snaplen ?? 65535).u32(o.linkType ?? 1).build();
}

export function pcapRecord(o: { le?: boolean; sec: number; frac: number; data: Uint8Array; origLen?: number }): Uint8Array {
  const b = new Bytes(o.le ?? true);
  return b.u32(o.sec).u32(o.frac).u32(o.data.length).u32(o.origLen ?? o.data.length).bytes(o.data).build();
}

function block(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const padded = new Bytes(le).bytes(body).pad4().build();
  const len = 12 + padded.length;
  return new Bytes(le).u32(type).u32(len).bytes(padded).u32(len).build();
}

export function option(le: boolean, code: number, value: Uint8Array): Uint8Array {
  return new Bytes(le).u16(code).u16(value.length).bytes(value).pad4().build();
}

export function endOfOptions(le: boolean): Uint8Array {
  return new Bytes(le).u16(0).u16(0).build();
}

export function shb(le = true, opts: Uint8Array = new Uint8Array(0)): Uint8Array {
  return block(le, 0x0a0d0d0a, concat(new Bytes(le).u32(0x1a2b3c4d).u16(1).u16(0).u64(-1n & 0xffffffffffffffffn).build(), opts));
}

export function idb(le: boolean, linkType: number, o: { snaplen?: number; name?: string; tsresol?: number; tsoffset?: bigint } = {}): Uint8Array {
  const opts: Uint8Array[] = [];
  if (o.name !== undefined) opts.push(option(le, 2, new TextEncoder().encode(o.name)));
  if (o.tsresol !== undefined) opts.push(option(le, 9, Uint8Array.of(o.tsresol)));
  if (o.tsoffset !== undefined) opts.push(option(le, 14, new Bytes(le).u64(o.tsoffset).build()));
  if (opts.length) opts.push(endOfOptions(le));
  return block(le, 1, concat(new Bytes(le).u16(linkType).u16(0).u32(o.snaplen ?? 262144).build(), ...opts));
}

export function epb(le: boolean, ifid: number, ts: bigint, data: Uint8Array, origLen = data.length): Uint8Array {
  const b = new Bytes(le).u32(ifid).u32(Number(ts >> 32n)).u32(Number(ts & 0xffffffffn)).u32(data.length).u32(origLen).bytes(data).pad4();
  return block(le, 6, b.build());
}

export function spb(le: boolean, data: Uint8Array, origLen = data.length): Uint8Array {
  return block(le, 3, new Bytes(le).u32(origLen).bytes(data).pad4().build());
}

export function rawBlock(le: boolean, type: number, body: Uint8Array): Uint8Array {
  return block(le, type, body);
}

/** Feeds `bytes` to a reader in chunks of `size` and drains it after each push. */
export function readAll<F>(reader: { push(c: Uint8Array): void; end(): void; next(): F | undefined }, bytes: Uint8Array, size = bytes.length, map: (f: F) => unknown = (f) => f): unknown[] {
  const out: unknown[] = [];
  const drain = () => { for (let f = reader.next(); f !== undefined; f = reader.next()) out.push(map(f)); };
  for (let i = 0; i < bytes.length; i += Math.max(1, size)) {
    reader.push(bytes.slice(i, i + Math.max(1, size)));
    drain();
  }
  reader.end();
  drain();
  return out;
}
