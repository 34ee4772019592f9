import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { Extraction, FileSink, StopExtraction, filesKept, q, timeUs } from './extraction.js';

const READ_BYTES = 64 * 1024;

/**
 * Extracts a tar or tar.gz with node-tar's parser (headers, pax and GNU long names, gzip), writing
 * through `ext`. node-tar's own unpacker is not used: podcap decides every name and type itself.
 * The parser and its gunzip run synchronously inside each write, so the compressed bytes fed so far
 * bound what each entry came from (the ratio cap) and a cap stops the work mid-chunk.
 */
export async function extractTar(path: string, ext: Extraction, signal?: AbortSignal, onRawBytes?: (n: number) => void): Promise<void> {
  const parser = new Parser({ strict: false, zstd: false });
  let raw = 0;
  let rawBefore = 0;
  let stopped: StopExtraction | Error | undefined;
  let current: { raw: string; sink?: FileSink; size: number; got: number } | undefined;
  let lastName: string | undefined;
  let invalidRun = false;

  const stop = (e: unknown): void => {
    if (stopped) return;
    stopped = e instanceof Error ? e : new Error(String(e));
    parser.abort(stopped);
  };
  const corrupt = (what: string): StopExtraction => new StopExtraction({
    code: 'ARCHIVE_CORRUPT',
    offset: raw,
    message: `${what} (${lastName !== undefined ? `after entry ${q(lastName)}` : 'before the first entry'}, near byte ${raw} of the file); ${filesKept(ext.entries.length)}`,
  });

  parser.on('entry', (e: ReadEntry) => {
    invalidRun = false;
    if (stopped) { e.resume(); return; }
    try {
      onEntry(e);
    } catch (err) {
      e.resume();
      stop(err);
    }
  });
  parser.on('ignoredEntry', (e: ReadEntry) => {
    if (stopped || e.meta) return;
    try {
      ext.countEntry();
      ext.skip(e.path, `unsupported tar entry type ${q(String(e.header.typeKey))}`);
    } catch (err) {
      stop(err);
    }
  });
  parser.on('warn', (code: string, message: string) => {
    if (stopped) return;
    if (code === 'TAR_ENTRY_INVALID') {
      // A damaged stretch makes one warning per 512-byte block; one diagnostic per stretch.
      if (!invalidRun) ext.note('ARCHIVE_CORRUPT', `damaged tar header skipped: ${message} (${lastName !== undefined ? `after entry ${q(lastName)}` : 'at the start'}, near byte ${raw} of the file)`, undefined, raw);
      invalidRun = true;
    } else if (code === 'TAR_BAD_ARCHIVE') {
      if (/Truncated input/.test(message) && current) {
        ext.note('ARCHIVE_CORRUPT', `the archive ends inside entry ${q(current.raw)} (${message}); its first bytes are kept`, current.sink?.member, raw);
      } else if (ext.count === 0) {
        ext.unreadable = `not a readable tar: ${message}`;
        ext.note('ARCHIVE_CORRUPT', ext.unreadable, undefined, raw);
      } else {
        ext.note('ARCHIVE_CORRUPT', `${message} after ${ext.count} entries`, undefined, raw);
      }
    }
  });
  // Fatal parser errors (gzip damage, or our own abort) arrive here; ours is already recorded.
  parser.on('error', (err: Error) => {
    if (stopped) return;
    stopped = /max decompression ratio/.test(err.message)
      ? new StopExtraction({ code: 'ARCHIVE_BOMB', offset: raw, message: `${err.message}; extraction of this archive stopped, ${filesKept(ext.entries.length)}` })
      : corrupt(`the stream is damaged: ${err.message}`);
  });
  const finished = new Promise<void>((resolve) => {
    parser.on('end', () => resolve());
    parser.on('abort', () => resolve());
  });

  function onEntry(e: ReadEntry): void {
    ext.countEntry();
    const name = e.path;
    switch (e.type) {
      case 'File':
      case 'OldFile':
      case 'ContiguousFile': {
        ext.checkDeclared(name, e.size);
        if (e.size === 0) {
          // 150,000 empty entries took minutes as files to create, sniff and hash one by one.
          ext.emptyFile();
          lastName = name;
          e.resume();
          return;
        }
        const sink = ext.openFile(name, timeUs(e.mtime));
        const entry = { raw: name, sink, size: e.size, got: 0 };
        current = entry;
        const startRaw = rawBefore;
        e.on('data', (c: Buffer) => {
          if (stopped) return;
          try {
            entry.got += c.length;
            ext.checkRatio(name, entry.got, raw - startRaw);
            sink?.write(c);
          } catch (err) {
            stop(err);
          }
        });
        e.on('end', () => {
          if (stopped) return;
          current = undefined;
          lastName = name;
          sink?.finish();
        });
        return;
      }
      case 'Directory':
        ext.folder(name);
        break;
      case 'SymbolicLink':
      case 'Link':
        ext.refuseLink(name, e.type === 'Link' ? 'hard' : 'symbolic', e.linkpath);
        break;
      default:
        ext.skip(name, `${e.type} entries are not extracted`);
    }
    lastName = name;
    // Skipped bodies still count against the ratio cap: a bomb must not burn CPU unseen.
    let got = 0;
    const startRaw = rawBefore;
    e.on('data', (c: Buffer) => {
      if (stopped) return;
      got += c.length;
      try { ext.checkRatio(name, got, raw - startRaw); } catch (err) { stop(err); }
    });
  }

  const input = createReadStream(path, { highWaterMark: READ_BYTES });
  try {
    for await (const chunk of input) {
      if (signal?.aborted) { stop(signal.reason); break; }
      rawBefore = raw;
      raw += (chunk as Buffer).length;
      onRawBytes?.(raw);
      parser.write(chunk as Buffer);
      if (stopped) break;
    }
    if (!stopped) parser.end();
  } catch (e) {
    stop(e);
  } finally {
    input.destroy();
  }
  await finished;

  // An entry still open was cut by damage or a cap: a cut file is kept (a truncated capture still
  // holds its packets), a bomb's or a write error's is not.
  const open = current as { raw: string; sink?: FileSink; size: number; got: number } | undefined;
  if (open?.sink) {
    const s = stopped as Error | undefined;
    const isDamage = s instanceof StopExtraction && s.diag.code === 'ARCHIVE_CORRUPT';
    if (isDamage || (!s && open.got < open.size)) open.sink.finish();
    else open.sink.discard();
    if (isDamage) {
      const d = (s as StopExtraction).diag;
      d.message += `; entry ${q(open.raw)} is cut at byte ${open.got} of ${open.size} and kept`;
      d.member = open.sink.member;
    }
  }
  if (signal?.aborted) throw signal.reason;
  const s = stopped as Error | undefined;
  if (s instanceof StopExtraction) {
    ext.diagnostics.push(s.diag);
    if (s.diag.code === 'ARCHIVE_BOMB') ext.cut = true;
  }
  else if (s) throw s;
}
