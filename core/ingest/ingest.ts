import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics.js';
import { CaseWriter } from '../db/case-writer.js';
import type { CaseDb } from '../db/open-case.js';
import { PodcapError } from '../errors.js';
import type { IngestResult, IngestStatus } from './result.js';
import { ingestCapture, storeSummary, type CaptureIngestResult } from './capture-ingest.js';
import { CaptureJobs, defaultCaptureWorkers, MIN_WORKER_BYTES, type CaptureWorkers, type RemoteCapture } from './capture-jobs.js';
import { contentChunks, isGzip, readHead } from './chunks.js';
import { hasherFor } from './hasher.js';
import { sourceContext, sourceKey } from './source-identity.js';
import { detectCapture, looksLikeText, type CaptureKind } from './detect.js';
import { detectTextFormat, scoreTextFormats, type AnyTextFormat } from '../formats/registry.js';
import { RecordWriter } from '../db/record-writer.js';
import { afterIngest } from './correlate-phase.js';
import { materializeAnswers } from './index-phase.js';
import { DiagnosticBudget, parseTextStream } from './text-ingest.js';
import { ingestSectionedSource } from './sectioned-ingest.js';
import { looksSectioned } from '../formats/sections/split.js';
import { throttle, type ProgressFn } from './progress.js';
import { walkInputs, type InputFile } from './walk.js';
import { expandArchives, workDirFor, type ArchiveLimits } from './archive/archive.js';
import { estimateCaseGrowth, type CaseEstimate } from './case-estimate.js';
import { acquireIngestLock } from '../db/ingest-lock.js';
import { deferFlowIndexes, restoreFlowIndexes } from '../db/flow-indexes.js';
import { tmpdir } from 'node:os';

export interface IngestOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Node name to attach to every source (overrides what folders say). */
  node?: string;
  /** podcap's working folder for this case (archives are extracted in it); default `<case file>.work`. */
  workDir?: string;
  /** Caps for hostile archives (defaults in archive/limits.ts). */
  archiveLimits?: Partial<ArchiveLimits>;
  /** Least time between progress reports (default 500 ms; the UI's jobs ask for more). */
  progressEveryMs?: number;
  /** Called as each input (archive, file, member) starts being read: what to name if podcap itself fails. */
  onInput?: (path: string) => void;
  /** Called once the inputs are known, before any is read: how much the case is expected to grow. */
  onEstimate?: (e: CaseEstimate) => void;
  /** Called when another ingest into the same case is running and this one waits for it (its pid). */
  onWait?: (holderPid: number) => void;
  /** Problems found while walking folders and unpacking archives (dangling links, damaged archives, caps), as they are recorded. */
  onNote?: (d: Diagnostic) => void;
  /** How to name an input to the user (walk.ts). */
  shownAs?: (input: string) => string;
  /**
   * false: stop after the correlate phase, leaving the case as an older podcap (without rollups
   * and stored answers) would; only tests of ensureAnswers want that. Default true.
   */
  index?: boolean;
  /**
   * Decode and track captures in worker threads, `count` at once, while this thread stores them in
   * file order (the case comes out the same as one at a time). Default: defaultCaptureWorkers(); count < 2: all in this thread.
   */
  captureWorkers?: CaptureWorkers;
}

/** `partial`: an archive some of whose entries were lost (damage, or a cap); the entries read have their own results. */
export type { IngestResult, IngestStatus };


/**
 * Ingests files, folders and archives into the case, each source in its own transaction, then runs
 * the whole-case phases: parse → correlate (correlate-phase.ts) → index (index-phase.ts). Every
 * host (CLI, serve and Electron jobs) ingests through here.
 */
export async function ingestPaths(db: CaseDb, inputs: string[], opts: IngestOptions = {}): Promise<IngestResult[]> {
  // Concurrent ingests into one case queue here (a second one used to fail with "database is locked").
  const lock = await acquireIngestLock(db.name, { signal: opts.signal, onWait: opts.onWait });
  try {
    return await ingestLocked(db, inputs, opts);
  } finally {
    lock.release();
  }
}

async function ingestLocked(db: CaseDb, inputs: string[], opts: IngestOptions): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  const workDir = opts.workDir ?? workDirFor(db.name);
  const walked = await expandArchives(await walkInputs(inputs, { skip: [workDir], shownAs: opts.shownAs }), {
    workDir, limits: opts.archiveLimits, signal: opts.signal, onProgress: opts.onProgress, progressEveryMs: opts.progressEveryMs, onInput: opts.onInput,
  });
  if (opts.onEstimate) opts.onEstimate(await estimateCaseGrowth(walked.files));
  const caseWide = new CaseWriter(db);
  // Re-reading the same archive reports the same problems; the case keeps each once.
  const known = db.prepare('SELECT 1 FROM diagnostics WHERE source_id IS NULL AND path = ? AND code = ? AND message = ?');
  for (const d of walked.diagnostics) {
    if (!known.get(d.source ?? '', d.code, d.message)) caseWide.addDiagnostic(null, d.source ?? '', d);
    opts.onNote?.(d);
  }
  for (const missing of walked.missing) {
    results.push({ path: missing.path, status: 'failed', kind: 'unknown', records: 0, diagnostics: 0, reason: missing.reason, direct: missing.direct ?? true });
  }
  for (const p of walked.empty ?? []) {
    results.push({ path: p.path, status: 'unknown', kind: 'archive', records: 0, diagnostics: 0, reason: p.reason, direct: p.direct ?? true });
  }
  for (const p of walked.partial ?? []) {
    results.push({ path: p.path, status: 'partial', kind: 'archive', records: 0, diagnostics: 0, reason: p.reason, direct: p.direct ?? true });
  }
  let done = 0;
  const workers = opts.captureWorkers ?? defaultCaptureWorkers();
  const jobs = workers && workers.count > 1 ? await readCapturesAhead(db, walked.files, workers) : null;
  const deferred = walked.files.length > 0 && deferFlowIndexes(db);
  try {
    for (const f of walked.files) {
      opts.signal?.throwIfAborted();
      results.push(await ingestFile(db, f, opts, done, walked.files.length, jobs));
      done++;
    }
  } finally {
    jobs?.close();
    if (deferred) restoreFlowIndexes(db, 'parse');
  }
  try {
    if (results.some((r) => r.status === 'ingested')) {
      opts.onProgress?.({ phase: 'correlate', path: '', bytesRead: 0, bytesTotal: 0, records: 0, diagnostics: 0, filesDone: done, filesTotal: walked.files.length });
      afterIngest(db, results.filter((r) => r.status === 'ingested' && r.sourceId !== undefined).map((r) => r.sourceId!));
      if (deferred) restoreFlowIndexes(db);
      if (opts.index !== false) {
        opts.onProgress?.({ phase: 'index', path: '', bytesRead: 0, bytesTotal: 0, records: 0, diagnostics: 0, filesDone: results.length, filesTotal: results.length });
        materializeAnswers(db);
      }
    }
  } finally {
    if (deferred) restoreFlowIndexes(db);
  }
  return results;
}

/**
 * Starts the workers on every input that is a capture (sniffed as ingestFile will) of at least
 * `minBytes`, unless the case already holds a source of its size (that one may be a duplicate:
 * ingestFile hashes it first).
 */
async function readCapturesAhead(db: CaseDb, files: InputFile[], workers: CaptureWorkers): Promise<CaptureJobs | null> {
  const sameSize = db.prepare('SELECT 1 FROM sources WHERE bytes = ?');
  const minBytes = workers.minBytes ?? MIN_WORKER_BYTES;
  let jobs: CaptureJobs | null = null;
  for (const f of files) {
    try {
      const bytes = (await stat(f.fsPath)).size;
      if (bytes < minBytes || sameSize.get(bytes)) continue;
      const head = await readHead(f.fsPath);
      const gz = isGzip(head);
      const kind = detectCapture(gz ? (await gunzipHead(f.fsPath)).head : head);
      if (!kind) continue;
      jobs ??= new CaptureJobs(workers, tmpdir());
      jobs.add(f.fsPath, kind, gz);
    } catch {
      // Unreadable here: ingestFile reports it when it gets there.
    }
  }
  jobs?.pump();
  return jobs;
}

async function hashFile(path: string, bytes: number): Promise<string> {
  const h = hasherFor(bytes);
  // Each chunk is done with once hashed: a ring of buffers, not a fresh 4 MiB one per read.
  for await (const _ of contentChunks(path, false, { hash: h, reuseBuffers: true })) { /* hashing only */ }
  return h.digest();
}

async function ingestFile(db: CaseDb, f: InputFile, opts: IngestOptions, filesDone: number, filesTotal: number, jobs: CaptureJobs | null): Promise<IngestResult> {
  const path = f.displayPath;
  const progress = throttle(opts.onProgress, opts.progressEveryMs);
  const base = { path, direct: f.direct };
  opts.onInput?.(path);
  let bytesTotal = 0;
  try {
    bytesTotal = (await stat(f.fsPath)).size;
    const head = await readHead(f.fsPath);
    const gz = isGzip(head);
    const unzipped = gz ? await gunzipHead(f.fsPath) : { head };
    const content = unzipped.head;
    // A gzip cut before any content (a 10-byte .tar.gz) is not an unknown kind: it is truncated.
    if (gz && content.length === 0 && unzipped.error) throw new PodcapError('INGEST_TRUNCATED', `truncated gzip: the stream ends or is damaged before any content (${bytesTotal} bytes on disk: ${unzipped.error}); nothing could be read`);
    const captureKind = detectCapture(content);
    const headText = !captureKind && looksLikeText(content) ? Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8') : null;
    // Several commands' outputs in one file (Retina's metadata files): each section is detected on its own.
    if (headText !== null && looksSectioned(headText)) return await ingestSectionedSource(db, f, gz, bytesTotal, opts);
    const textFormat = !captureKind && looksLikeText(content)
      ? detectTextFormat(Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8'), f.displayPath)?.format
      : undefined;
    const kind: string = captureKind ?? textFormat?.kind ?? 'unknown';

    // Same size as a stored source? Hash first, so re-ingesting a big capture is instant.
    const sameSize = db.prepare('SELECT 1 FROM sources WHERE bytes = ?').get(bytesTotal);
    const context = sourceContext(opts.node, f.node);
    let digest: string | undefined;
    if (sameSize) {
      const key = sourceKey(db, await hashFile(f.fsPath, bytesTotal), kind, context);
      if (key === null) return { ...base, status: 'duplicate', kind, records: 0, diagnostics: 0 };
      digest = key;
    }

    if (textFormat) {
      return await ingestTextSource(db, f, textFormat, gz, digest, bytesTotal, opts, (bytesRead, records) =>
        progress({ phase: 'parse', path, bytesRead, bytesTotal, records, diagnostics: 0, filesDone, filesTotal }));
    }

    if (!captureKind) {
      const text = looksLikeText(content) ? Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8') : null;
      const guess = text ? scoreTextFormats(text, f.displayPath) : undefined;
      const why = guess && guess.confidence >= 0.2
        ? `looks like documentation or an excerpt around ${guess.format.kind} output (confidence ${guess.confidence.toFixed(2)}), not a dump; not read as evidence`
        : bytesTotal === 0 ? 'empty file'
        : gz ? 'gzip content is not a capture or a known node-tool dump' : `not a capture or a known node-tool dump${text === null ? ' (binary)' : ''}`;
      const d = diag('INGEST_UNKNOWN_KIND', why, { source: path });
      digest ??= sourceKey(db, await hashFile(f.fsPath, bytesTotal), 'unknown', context) ?? undefined;
      if (digest === undefined) return { ...base, status: 'duplicate', kind: 'unknown', records: 0, diagnostics: 0 };
      db.transaction(() => {
        const w = new CaseWriter(db);
        const id = w.addSource({ path, kind: 'unknown', node: opts.node ?? null, folder: opts.node ? null : (f.node ?? ''), sha256: digest!, bytes: bytesTotal });
        w.finishSource(id, { kind: 'unknown', firstTs: null, lastTs: null, records: 0, detail: { reason: why } });
        w.addDiagnostic(id, path, d);
      })();
      return { ...base, status: 'unknown', kind: 'unknown', records: 0, diagnostics: 1, reason: why };
    }

    const remote = jobs?.take(f.fsPath, captureKind, gz);
    try {
      return await ingestCaptureSource(db, f, captureKind, gz, digest, bytesTotal, opts, remote, (records, bytesRead, diagnostics) =>
        progress({ phase: 'parse', path, bytesRead, bytesTotal, records, diagnostics, filesDone, filesTotal }));
    } finally {
      remote?.stop();
    }
  } catch (e) {
    const reason = e instanceof PodcapError || e instanceof Error ? e.message : String(e);
    if ((e as Error)?.name === 'AbortError') throw e;
    new CaseWriter(db).addDiagnostic(null, path, diag('INGEST_FAILED', reason, { source: path, offset: e instanceof PodcapError ? e.offset : undefined }));
    return { ...base, status: 'failed', kind: 'unknown', records: 0, diagnostics: 1, reason };
  } finally {
    progress({ phase: 'done', path, bytesRead: bytesTotal, bytesTotal, records: 0, diagnostics: 0, filesDone: filesDone + 1, filesTotal }, true);
  }
}

async function ingestCaptureSource(
  db: CaseDb, f: InputFile, kind: CaptureKind, gz: boolean, knownDigest: string | undefined, bytes: number, opts: IngestOptions,
  remote: RemoteCapture | undefined, report: (records: number, bytesRead: number, diagnostics: number) => void,
): Promise<IngestResult> {
  const path = f.displayPath;
  const hash = hasherFor(bytes);
  let rawBytes = 0;
  const writer = new CaseWriter(db);
  // IMMEDIATE: a deferred transaction that reads first cannot wait for the write lock later.
  db.exec('BEGIN IMMEDIATE');
  try {
    // The hash is filled in once the whole file has been read (in the same pass as parsing).
    const placeholder = `pending:${process.pid}:${Date.now()}:${Math.random()}`;
    const sourceId = writer.addSource({ path, kind, node: opts.node ?? null, folder: opts.node ? null : (f.node ?? ''), sha256: knownDigest ?? placeholder, bytes });
    let res: CaptureIngestResult;
    let digest: string;
    if (remote) {
      ({ res, digest } = await storeRemote(remote, sourceId, writer, opts.signal, (n, raw) => report(n, raw, 0)));
    } else {
      res = await ingestCapture({
        path: f.fsPath, kind, gzip: gz, sourceId, writer,
        stream: { signal: opts.signal, hash, onRawBytes: (n) => { rawBytes = n; } },
        onPackets: (n) => report(n, rawBytes, 0),
      });
      digest = await hash.digest();
    }
    const key = sourceKey(db, digest, kind, sourceContext(opts.node, f.node), sourceId);
    if (key === null) {
      db.exec('ROLLBACK');
      return { path, status: 'duplicate', kind, records: 0, diagnostics: 0, direct: f.direct };
    }
    db.prepare('UPDATE sources SET sha256 = ? WHERE id = ?').run(key, sourceId);
    const diags: Diagnostic[] = res.diagnostics.map((d) => ({ ...d, source: path }));
    for (const d of diags) writer.addDiagnostic(sourceId, path, d);
    // Where the bytes are on disk (archive members: inside the case's working folder), so a flow's
    // packets can be exported later without the original input path.
    writer.finishSource(sourceId, { kind, firstTs: res.firstTs, lastTs: res.lastTs, records: res.packets, detail: { ...res.detail, file: resolve(f.fsPath) } });
    db.exec('COMMIT');
    return { path, status: 'ingested', kind, sourceId, records: res.packets, diagnostics: diags.length, direct: f.direct };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** A capture read by a worker: its records stored as they come, in the order its tracker gave them. */
async function storeRemote(remote: RemoteCapture, sourceId: number, writer: CaseWriter, signal: AbortSignal | undefined,
  report: (packets: number, rawBytes: number) => void): Promise<{ res: CaptureIngestResult; digest: string }> {
  // With one capture the hash is taken here, reading the file a second time (from the page cache)
  // while the worker decodes it: this thread mostly waits for the worker (capture-worker.ts CaptureJob.hash).
  const digest = remote.job.hash ? null : hashFile(remote.job.path, 0);
  digest?.catch(() => {});
  const it = remote.batches(sourceId, signal);
  for (let step = await it.next(); ; step = await it.next()) {
    if (step.done) {
      const { summary, digest: taken } = step.value;
      report(summary.packets, remote.progress.rawBytes);
      const sha = taken ?? (await digest);
      if (sha === null) throw new Error(`no sha256 for ${remote.job.path}`);
      return { res: storeSummary(remote.job.kind, remote.job.gzip, sourceId, writer, summary), digest: sha };
    }
    for (const ev of step.value) {
      if ('rst' in ev) writer.addRst(ev.rst);
      else writer.addConn(sourceId, ev);
    }
    report(remote.progress.packets, remote.progress.rawBytes);
  }
}

async function ingestTextSource(
  db: CaseDb, f: InputFile, format: AnyTextFormat, gz: boolean, knownDigest: string | undefined, bytes: number, opts: IngestOptions,
  report: (bytesRead: number, records: number) => void,
): Promise<IngestResult> {
  const path = f.displayPath;
  const hash = hasherFor(bytes);
  let rawBytes = 0;
  let count = 0;
  const mtimeUs = Math.round((await stat(f.fsPath)).mtimeMs * 1000);
  const writer = new CaseWriter(db);
  const records = new RecordWriter(db);
  const kept = new DiagnosticBudget();
  // Parsed and written piece by piece in one transaction, hashed in the same pass (as captures are):
  // a 200 MB conntrack -E dump held ~6 times its size in memory when read whole first.
  db.exec('BEGIN IMMEDIATE');
  try {
    const placeholder = `pending:${process.pid}:${Date.now()}:${Math.random()}`;
    const sourceId = writer.addSource({ path, kind: format.kind, node: opts.node ?? null, folder: opts.node ? null : (f.node ?? ''), sha256: knownDigest ?? placeholder, bytes });
    let first: number | null = null;
    let last: number | null = null;
    let diagnostics = 0;
    const stream = { signal: opts.signal, hash, onRawBytes: (n: number) => { rawBytes = n; report(n, count); } };
    for await (const piece of parseTextStream(format, f.fsPath, gz, stream, path, f.mtimeUs ?? mtimeUs)) {
      const span = records.write(sourceId, format.kind, piece.records);
      if (span.first !== null && (first === null || span.first < first)) first = span.first;
      if (span.last !== null && (last === null || span.last > last)) last = span.last;
      count += piece.records.length;
      for (const d of piece.diagnostics) {
        if (!kept.keep(d)) continue;
        writer.addDiagnostic(sourceId, path, d);
        diagnostics++;
      }
      report(rawBytes, count);
    }
    for (const d of kept.summary(path)) {
      writer.addDiagnostic(sourceId, path, d);
      diagnostics++;
    }
    const key = knownDigest ?? sourceKey(db, await hash.digest(), format.kind, sourceContext(opts.node, f.node), sourceId);
    if (key === null) {
      db.exec('ROLLBACK');
      return { path, status: 'duplicate', kind: format.kind, records: 0, diagnostics: 0, direct: f.direct };
    }
    db.prepare('UPDATE sources SET sha256 = ? WHERE id = ?').run(key, sourceId);
    // The file's own time (archive entry or disk mtime) dates snapshots that carry no time of their own.
    writer.finishSource(sourceId, { kind: format.kind, firstTs: first, lastTs: last, records: count, detail: { gzip: gz, fileTimeUs: f.mtimeUs ?? mtimeUs } });
    db.exec('COMMIT');
    return { path, status: 'ingested', kind: format.kind, sourceId, records: count, diagnostics, direct: f.direct };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** The first decompressed chunk; a damaged gzip is reported when it is read for real, unless nothing comes out at all. */
async function gunzipHead(path: string): Promise<{ head: Uint8Array; error?: string }> {
  try {
    for await (const c of contentChunks(path, true)) return { head: c };
  } catch (e) {
    return { head: new Uint8Array(0), error: (e as Error).message };
  }
  return { head: new Uint8Array(0) };
}
