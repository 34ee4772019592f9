import type { IngestResult } from './result.js';
import { stat } from 'node:fs/promises';
import { diag, type Diagnostic } from '../diagnostics.js';
import { CaseWriter, hasSourceSha } from '../db/case-writer.js';
import type { CaseDb } from '../db/open-case.js';
import { RecordWriter } from '../db/record-writer.js';
import { detectTextFormat, scoreTextFormats } from '../formats/registry.js';
import { splitSections } from '../formats/sections/split.js';
import { hasherFor } from './hasher.js';
import { contentChunks, type ChunkStreamOptions } from './chunks.js';
import { MAX_TEXT_BYTES, parseText, TextTooLargeError } from './text-ingest.js';
import type { InputFile } from './walk.js';

/**
 * A file that holds several commands' outputs becomes one source per section (`file#2 ss -s`),
 * each of its own detected kind, with record and diagnostic lines counted in the whole file so
 * evidence points at the right line of what the user has.
 */
/** A sectioned file reads as ingested, duplicate or unknown, never failed or partial. */
export type SectionedResult = IngestResult & { status: 'ingested' | 'duplicate' | 'unknown' };

export async function ingestSectionedSource(db: CaseDb, f: InputFile, gz: boolean, bytes: number, opts: { signal?: AbortSignal; node?: string }): Promise<SectionedResult> {
  const path = f.displayPath;
  const hash = hasherFor(bytes);
  const text = await readText(f.fsPath, gz, { signal: opts.signal, hash });
  const digest = await hash.digest();
  if (hasSourceSha(db, `${digest}#1`)) return { path, status: 'duplicate', kind: 'sections', records: 0, diagnostics: 0, direct: f.direct };
  const split = splitSections(text);
  const mtimeUs = f.mtimeUs ?? Math.round((await stat(f.fsPath)).mtimeMs * 1000);
  const base = { path, direct: f.direct };
  if (!split) return { ...base, status: 'unknown', kind: 'unknown', records: 0, diagnostics: 0, reason: 'a Summary:/Execute: header without sections' };
  const writer = new CaseWriter(db);
  const recordWriter = new RecordWriter(db);
  let records = 0;
  let diagnostics = 0;
  let firstId: number | undefined;
  const kinds: string[] = [];
  db.transaction(() => {
    split.sections.forEach((sec, i) => {
      const spath = `${path}#${i + 1} ${sec.command}`;
      const sha = `${digest}#${i + 1}`;
      const node = opts.node ?? f.node;
      const shift = sec.firstLine - 1;
      const extra: Diagnostic[] = sec.failure ? [diag('TEXT_MALFORMED_LINE', `the collector says the command failed: ${sec.failure}`, { source: spath, line: sec.firstLine })] : [];
      const format = sec.text.trim() ? detectTextFormat(sec.text.slice(0, 65536), sec.command)?.format : undefined;
      const detail = { section: i + 1, command: sec.command, description: sec.description ?? null, file: path, firstLine: sec.firstLine, style: split.style };
      if (!format) {
        const guess = sec.text.trim() ? scoreTextFormats(sec.text.slice(0, 65536), sec.command) : undefined;
        const why = !sec.text.trim() ? `section "${sec.command}" is empty`
          : `section "${sec.command}" is not a known node-tool output${guess && guess.confidence >= 0.2 ? ` (closest: ${guess.format.kind}, ${guess.confidence.toFixed(2)})` : ''}`;
        const id = writer.addSource({ path: spath, kind: 'unknown', node, sha256: sha, bytes: Buffer.byteLength(sec.text) });
        writer.finishSource(id, { kind: 'unknown', firstTs: null, lastTs: null, records: 0, detail: { ...detail, reason: why } });
        writer.addDiagnostic(id, spath, diag('INGEST_UNKNOWN_KIND', why, { source: spath, line: sec.firstLine }));
        for (const d of extra) writer.addDiagnostic(id, spath, d);
        firstId ??= id;
        diagnostics += 1 + extra.length;
        return;
      }
      const parsed = parseText(format, sec.text, spath, mtimeUs);
      for (const r of parsed.records) shiftLines(r, shift, 0);
      const id = writer.addSource({ path: spath, kind: format.kind, node, sha256: sha, bytes: Buffer.byteLength(sec.text) });
      const span = recordWriter.write(id, format.kind, parsed.records);
      for (const d of [...parsed.diagnostics.map((d) => (d.line !== undefined ? { ...d, line: d.line + shift } : d)), ...extra]) writer.addDiagnostic(id, spath, d);
      writer.finishSource(id, { kind: format.kind, firstTs: span.first, lastTs: span.last, records: parsed.records.length, detail: { ...detail, gzip: gz, fileTimeUs: mtimeUs } });
      firstId ??= id;
      records += parsed.records.length;
      diagnostics += parsed.diagnostics.length + extra.length;
      kinds.push(format.kind);
    });
  })();
  return { ...base, status: 'ingested', kind: kinds.length ? `sections(${[...new Set(kinds)].join(',')})` : 'sections', sourceId: firstId, records, diagnostics };
}

/** Moves every `line` a reader put in a record (nested ones too: addresses, rules) by `shift`. */
function shiftLines(v: unknown, shift: number, depth: number): void {
  if (depth > 4 || typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) shiftLines(x, shift, depth + 1);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const [k, x] of Object.entries(o)) {
    if (k === 'line' && typeof x === 'number') o.line = x + shift;
    else if (typeof x === 'object') shiftLines(x, shift, depth + 1);
  }
}

/** The whole file as text (sections are cut from all of it), within the text dumps' size cap. */
async function readText(path: string, gz: boolean, stream: ChunkStreamOptions): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of contentChunks(path, gz, stream)) {
    n += c.length;
    if (n > MAX_TEXT_BYTES) throw new TextTooLargeError(`text dump larger than ${MAX_TEXT_BYTES / 1048576} MiB`);
    parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  return Buffer.concat(parts).toString('utf8');
}
