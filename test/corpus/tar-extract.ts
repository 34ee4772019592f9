import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Writes the regular files of a .tar.gz whose paths pass `keep` under `dest` (ustar: 512-byte
 * headers, octal sizes, name + prefix), so a test can ingest a bundle with some files left out.
 * Returns the written paths.
 */
export function extractTarGz(path: string, dest: string, keep: (name: string) => boolean): string[] {
  const tar = gunzipSync(readFileSync(path));
  const out: string[] = [];
  for (let o = 0; o + 512 <= tar.length; ) {
    const field = (a: number, b: number) => tar.subarray(o + a, o + b).toString('utf8').replace(/\0.*$/s, '');
    const name = field(0, 100);
    if (!name) break;
    const prefix = field(345, 500);
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const full = prefix ? `${prefix}/${name}` : name;
    const type = field(156, 157);
    if ((type === '0' || type === '') && keep(full)) {
      const to = join(dest, full);
      if (!to.startsWith(dest + '/')) throw new Error(`tar entry outside ${dest}: ${full}`);
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, tar.subarray(o + 512, o + 512 + size));
      out.push(to);
    }
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
