import { resolve, sep } from 'node:path';

/**
 * An archive member name turned into a path podcap may create, or the reason it may not. The name
 * is hostile: it is judged the same way on every platform (a bundle made on Linux is opened on
 * Windows too), so backslashes separate folders, drive letters are absolute, and characters or
 * names Windows gives a meaning to (`a:b` streams, `CON`, trailing dots) are renamed on disk.
 */
export type MemberPath =
  | { ok: true; /** The name's folders, as the archive says (for display). */ parts: string[]; /** The same, safe to create. */ diskParts: string[] }
  | { ok: false; reason: string };

const MAX_DEPTH = 64;
const MAX_COMPONENT_BYTES = 255;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

export function checkMemberPath(raw: string): MemberPath {
  if (raw.includes('\0')) return { ok: false, reason: 'the name contains a NUL byte' };
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(name)) return { ok: false, reason: 'path starts with a drive letter' };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { ok: false, reason: '".." component would leave the archive folder' };
  if (parts.length === 0) return { ok: false, reason: 'empty name' };
  if (parts.length > MAX_DEPTH) return { ok: false, reason: `more than ${MAX_DEPTH} folder levels` };
  const diskParts: string[] = [];
  for (const p of parts) {
    if (Buffer.byteLength(p) > MAX_COMPONENT_BYTES) return { ok: false, reason: `a path component is longer than ${MAX_COMPONENT_BYTES} bytes` };
    diskParts.push(diskComponent(p));
  }
  return { ok: true, parts, diskParts };
}

function diskComponent(p: string): string {
  let s = p.replace(/[\u0000-\u001f<>:"|?*]/g, '_');
  // Windows drops trailing dots and spaces, which would turn ".. " into "..".
  s = s.replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return s;
}

/** The absolute path of `diskParts` under `root` (a realpath), or undefined if it is not strictly inside. */
export function resolveInside(root: string, diskParts: string[]): string | undefined {
  const p = resolve(root, ...diskParts);
  return p.startsWith(root.endsWith(sep) ? root : root + sep) ? p : undefined;
}

/** True when `p` is `root` or inside it (both absolute, normalised). */
export function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}
