/**
 * Browser uploads for `podcap serve`: each batch gets its own folder under `<case>.work/uploads/`,
 * file names from the browser are reduced to safe relative paths, and bodies are streamed to disk
 * under a size cap (never held in memory).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join, resolve, sep } from 'node:path';

export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const MAX_SEGMENT = 120;
const MAX_DEPTH = 8;

/**
 * A browser-given name (`capture.pcap`, or `node-1/tcpdump/eth0.pcap` from a folder upload) as a
 * relative path that cannot leave its folder: no `..`/`.` segments, no absolute or drive paths,
 * no control characters, no leading dots (hidden files), bounded length and depth. Returns null
 * when nothing usable is left.
 */
export function sanitizeUploadName(name: string): string | null {
  const segments = name
    .split(/[\\/]+/)
    .map((s) => s
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      // Characters Windows refuses in names; the server may run there.
      .replace(process.platform === 'win32' ? /[<>:"|?*]/g : /:/g, '_')
      .replace(/^[.\s]+/, '')
      .replace(/[.\s]+$/, '')
      .slice(0, MAX_SEGMENT))
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => (WINDOWS_RESERVED.test(s) ? `_${s}` : s));
  if (segments.length === 0) return null;
  return segments.slice(-MAX_DEPTH).join('/');
}

export function uploadsRoot(casePath: string): string {
  return resolve(`${casePath}.work`, 'uploads');
}

/**
 * An uploaded file as the user named it (`node-1/eth0.pcap`), without the server's
 * `<case>.work/uploads/<batch>/` folder (a whole batch folder becomes '', so the files in it are
 * named relative to it); other paths are returned as they are.
 */
export function uploadShownName(casePath: string, path: string): string {
  const root = uploadsRoot(casePath) + sep;
  const full = resolve(path);
  if (!full.startsWith(root)) return path;
  return full.slice(root.length).split(sep).slice(1).join('/');
}

const BATCH_ID = /^[A-Za-z0-9_-]{8,64}$/;

export async function batchDir(casePath: string, batch: string | null): Promise<{ batch: string; dir: string }> {
  if (batch !== null && !BATCH_ID.test(batch)) throw new UploadError(400, 'bad batch id');
  const id = batch ?? randomBytes(12).toString('base64url');
  const dir = join(uploadsRoot(casePath), id);
  await mkdir(dir, { recursive: true });
  return { batch: id, dir };
}

/** Streams the request body to `dir/name`; refuses to overwrite, stops at `maxBytes`. */
export async function receiveUpload(req: IncomingMessage, dir: string, rawName: string, maxBytes: number): Promise<{ path: string; bytes: number }> {
  const name = sanitizeUploadName(rawName);
  if (!name) throw new UploadError(400, `unusable file name "${rawName.slice(0, 200)}"`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new UploadError(413, `${name} is ${declared} bytes; the limit is ${maxBytes}`);
  const target = resolve(dir, name);
  if (!target.startsWith(resolve(dir) + sep)) throw new UploadError(400, 'file name leaves the upload folder');
  await mkdir(dirname(target), { recursive: true });
  // A symlink planted in the folder must not redirect the write elsewhere.
  const realDir = await realpath(dirname(target));
  if (!(realDir + sep).startsWith((await realpath(dir)) + sep)) throw new UploadError(400, 'file name leaves the upload folder');

  let fh;
  try {
    fh = await open(target, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UploadError(409, `${name} was already uploaded in this batch`);
    throw e;
  }
  const out = fh.createWriteStream();
  let bytes = 0;
  try {
    await new Promise<void>((ok, fail) => {
      out.on('error', fail);
      req.on('error', fail);
      req.on('aborted', () => fail(new UploadError(400, 'upload aborted')));
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > maxBytes) {
          req.pause();
          fail(new UploadError(413, `${name} is larger than the limit of ${maxBytes} bytes`));
          return;
        }
        if (!out.write(c)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      });
      req.on('end', () => {
        out.on('finish', ok);
        out.end();
      });
    });
  } catch (e) {
    out.destroy();
    await rm(target, { force: true });
    throw e;
  }
  return { path: target, bytes };
}

/** True when `p` (resolved, symlinks followed) lies inside the case's uploads folder. */
export async function isInsideUploads(casePath: string, p: string): Promise<boolean> {
  try {
    const root = await realpath(uploadsRoot(casePath));
    const real = await realpath(p);
    return real === root || real.startsWith(root + sep);
  } catch {
    return false;
  }
}
