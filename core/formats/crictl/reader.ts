import type { TextParseContext, TextParseResult } from '../text-format.js';
import {
  DiagnosticSink,
  fencedBlocks,
  isPromptLine,
  looksLikeMarkdown,
  readJsonDocuments,
  splitLines,
  type TextLine,
} from '../node-text/index.js';
import { jsonShape, readJsonDocument } from './inspect.js';
import { readRow, tableHeader, type RowContext, type TableHeader } from './table.js';
import type { CrictlRecord } from './types.js';

/**
 * Reads crictl/docker listings and inspect JSON. A file may hold several listings one after the
 * other (a collection script's output), each starting at its header; prompt lines (`$ crictl ps`)
 * and blank lines separate them. A markdown document is read only inside its code fences and its
 * records are marked `embedded`: prose, other commands' output and example config JSON are
 * skipped without diagnostics because they are not claimed to be crictl output.
 */
export function parseCrictl(text: string, ctx: TextParseContext): TextParseResult<CrictlRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: CrictlRecord[] = [];
  let anchored = false;
  const { lines, endsWithNewline } = splitLines(text);
  const rcFor = (embedded: boolean): RowContext => ({ ctx, sink, embedded, anchored: () => (anchored = true) });

  if (looksLikeMarkdown(text)) {
    for (const block of fencedBlocks(lines)) {
      readBlock(block.lines, rcFor(true), records);
    }
  } else if (/^\s*[[{]/.test(text)) {
    readJson(text, sink, false, records, lines.length);
  } else {
    readTables(lines, rcFor(false), records, endsWithNewline);
  }
  if (anchored) {
    sink.add('TEXT_NO_DATE', 'CREATED ages are relative to when the command ran; they were anchored to the bundle/user time');
  }
  return { records, diagnostics: sink.finish() };
}

function readJson(text: string, sink: DiagnosticSink, embedded: boolean, out: CrictlRecord[], lastLine: number, firstLine = 1): void {
  const res = readJsonDocuments(text);
  for (const doc of res.documents) {
    const shifted = firstLine === 1 ? doc : shiftDoc(doc, firstLine - 1);
    const shape = jsonShape(shifted.value);
    if (!shape) {
      if (!embedded) sink.malformed(shifted.line, '{…}', 'JSON document is not crictl/docker inspect or list output');
      continue;
    }
    out.push(...readJsonDocument(shifted, shape, { sink, embedded }));
  }
  if (res.truncated && !embedded) {
    sink.truncated(lastLine + firstLine - 1, 'the JSON ends mid-document; complete objects before the cut were kept');
  }
  if (res.error && !embedded) sink.add('TEXT_BAD_JSON', res.error.message, res.error.line + firstLine - 1);
}

function shiftDoc<D extends { line: number; elementLines: Map<string, number[]> }>(doc: D, by: number): D {
  const elementLines = new Map([...doc.elementLines].map(([k, v]) => [k, v.map((l) => l + by)] as [string, number[]]));
  return { ...doc, line: doc.line + by, elementLines };
}

function readTables(lines: TextLine[], rc: RowContext, out: CrictlRecord[], endsWithNewline: boolean): void {
  let header: TableHeader | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.text.trim() === '') continue;
    if (isPromptLine(l.text)) {
      header = undefined;
      continue;
    }
    const h = tableHeader(l.text);
    if (h) {
      header = h;
      continue;
    }
    if (!header) {
      rc.sink.malformed(l.line, l.text, 'line before any crictl/docker header');
      continue;
    }
    const row = readRow(header, l, rc);
    if (typeof row !== 'string') {
      out.push(row);
      continue;
    }
    rc.sink.rejectLine(l.line, l.text, row, i === lines.length - 1 && !endsWithNewline);
  }
}

/** Inside a markdown fence: only rows under a recognised header are read; nothing is reported. */
function readBlock(lines: TextLine[], rc: RowContext, out: CrictlRecord[]): void {
  const joined = lines.map((l) => l.text).join('\n');
  if (lines.length > 0 && /^\s*[[{]/.test(joined) && jsonShape(safeParse(joined))) {
    readJson(joined, rc.sink, true, out, lines.length, lines[0]!.line);
    return;
  }
  let header: TableHeader | undefined;
  for (const l of lines) {
    const h = tableHeader(l.text);
    if (h) {
      header = h;
      continue;
    }
    if (!header) continue;
    const row = readRow(header, l, { ...rc, sink: new DiagnosticSink(rc.ctx.source) });
    if (typeof row === 'string') header = undefined;
    else out.push(row);
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
