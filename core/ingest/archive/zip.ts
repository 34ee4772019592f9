import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { Extraction, StopExtraction, filesKept, q, timeUs } from './extraction.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
const DOS_REPARSE_POINT = 0x400;
const MADE_BY_UNIX = 3;

/**
 * Extracts a zip with yauzl, writing through `ext`. Names come from the central directory, raw, and
 * are judged by podcap (yauzl's own check would end the whole archive at the first bad name). yauzl
 * checks sizes against the directory; podcap adds the CRC check yauzl leaves to its callers.
 * A damaged entry is dropped and the others are still read: a zip's directory lists them all.
 */
export async function extractZip(path: string, ext: Extraction, signal?: AbortSignal, onRawBytes?: (n: number) => void): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false });
  } catch (e) {
    ext.unreadable = `not a readable zip: ${(e as Error).message}`;
    ext.note('ARCHIVE_CORRUPT', `${ext.unreadable} (a zip cut short loses its directory, and with it every entry)`);
    return;
  }
  // Reader errors after the directory is read surface through the calls below; never crash on them.
  zip.on('error', () => {});
  let compressedDone = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      let entry: yauzl.Entry | null;
      try {
        entry = await nextEntry(zip);
      } catch (e) {
        ext.note('ARCHIVE_CORRUPT', `the zip directory is damaged after ${ext.count} entries: ${(e as Error).message}; ${filesKept(ext.entries.length)}`);
        return;
      }
      if (!entry) return;
      ext.countEntry();
      await extractEntry(zip, entry, ext, signal);
      compressedDone += entry.compressedSize;
      onRawBytes?.(compressedDone);
    }
  } catch (e) {
    if (e instanceof StopExtraction) {
      ext.diagnostics.push(e.diag);
      return;
    }
    throw e;
  } finally {
    zip.close();
  }
}

async function extractEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, ext: Extraction, signal: AbortSignal | undefined): Promise<void> {
  // Backslashes kept as written (so diagnostics quote the real name); safe-path treats them as separators.
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  const unixMode = entry.versionMadeBy >> 8 === MADE_BY_UNIX ? entry.externalFileAttributes >>> 16 : 0;
  const type = unixMode & S_IFMT;
  const dosAttrs = entry.externalFileAttributes & 0xffff;
  if (type === S_IFLNK || dosAttrs & DOS_REPARSE_POINT) {
    ext.refuseLink(name, 'symbolic', await linkTarget(zip, entry));
    return;
  }
  if (name.endsWith('/') || type === S_IFDIR || (type === 0 && dosAttrs & DOS_DIRECTORY)) {
    ext.folder(name);
    return;
  }
  if (type !== 0 && type !== S_IFREG) return ext.skip(name, `special file (mode ${unixMode.toString(8)}) is not extracted`);
  if (entry.isEncrypted()) return ext.skip(name, 'encrypted');
  if (!entry.canDecodeFileData()) return ext.skip(name, `compression method ${entry.compressionMethod} is not supported`);

  ext.checkDeclared(name, entry.uncompressedSize, entry.compressedSize);
  if (entry.uncompressedSize === 0) return ext.emptyFile();
  // DOS times carry no zone; read as UTC so a case is the same on every machine (the Unix "UT"
  // extra field, when present, is real UTC and wins).
  const sink = ext.openFile(name, timeUs(entry.getLastModDate({ timezone: 'UTC' })));
  if (!sink) return;
  let stream: Readable | undefined;
  try {
    stream = await zip.openReadStreamPromise(entry);
    let crc = 0;
    for await (const c of stream) {
      if (signal?.aborted) throw signal.reason;
      const chunk = c as Buffer;
      ext.checkRatio(name, sink.bytes + chunk.length, entry.compressedSize);
      sink.write(chunk);
      crc = crc32(chunk, crc);
    }
    if (crc !== entry.crc32) throw new Error(`CRC-32 mismatch (0x${crc.toString(16)}, directory says 0x${entry.crc32.toString(16)})`);
    sink.finish();
  } catch (e) {
    sink.discard();
    stream?.destroy();
    if (e instanceof StopExtraction || signal?.aborted) throw e;
    ext.note('ARCHIVE_CORRUPT', `entry ${q(name)} (local header at byte ${entry.relativeOffsetOfLocalHeader}) is damaged and was dropped: ${(e as Error).message}`, sink.member, entry.relativeOffsetOfLocalHeader);
  }
}

/** A zip symlink's target is its content; read a little of it for the diagnostic only. */
async function linkTarget(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string | undefined> {
  if (entry.uncompressedSize > 4096 || !entry.canDecodeFileData()) return undefined;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The next directory entry, or null at the end (lazyEntries: one at a time). */
function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: yauzl.Entry): void => { done(); resolve(e); };
    const onEnd = (): void => { done(); resolve(null); };
    const onError = (e: Error): void => { done(); reject(e); };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
