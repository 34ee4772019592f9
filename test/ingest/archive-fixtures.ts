import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip } from 'node:zlib';
import { Header } from 'tar';

/**
 * Tar bytes built entry by entry with node-tar's own header encoder, so a test can write what
 * node-tar's packer refuses to (absolute and ".." names, links to anywhere, devices).
 */
export interface TarEntrySpec {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO' | 'CharacterDevice';
  data?: Uint8Array | string;
  linkpath?: string;
  mtime?: Date;
}

export const TAR_MTIME = new Date(Date.UTC(2024, 4, 17, 10, 20, 30));

export function tarHeader(e: TarEntrySpec, size: number): Buffer {
  const block = Buffer.alloc(512);
  const type = e.type ?? 'File';
  new Header({
    path: e.path, type, size, linkpath: e.linkpath, mtime: e.mtime ?? TAR_MTIME,
    mode: type === 'Directory' ? 0o755 : 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root',
    devmaj: 0, devmin: 0,
  }).encode(block, 0);
  return block;
}

export function tarBytes(entries: TarEntrySpec[], opts: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data ?? new Uint8Array(0));
    parts.push(tarHeader(e, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (opts.end !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/**
 * A tar.gz whose second entry is `gib` GiB of zeros (~1 MB per GiB compressed), streamed to disk:
 * the bomb itself is never in memory.
 */
export async function writeGzipBomb(path: string, gib = 1, before: TarEntrySpec[] = [{ path: 'bundle/first.txt', data: 'kept\n' }]): Promise<void> {
  const MiB = 1024 * 1024;
  async function* tar(): AsyncGenerator<Buffer> {
    yield tarBytes(before, { end: false });
    yield tarHeader({ path: 'bundle/zeros.bin' }, gib * 1024 * MiB);
    const zeros = Buffer.alloc(MiB);
    for (let i = 0; i < gib * 1024; i++) yield zeros;
    yield Buffer.alloc(1024);
  }
  await pipeline(tar(), createGzip({ level: 9, strategy: constants.Z_RLE }), createWriteStream(path));
}
