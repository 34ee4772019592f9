import type { TextParseContext, TextParseResult } from '../text-format.js';
import {
  DiagnosticSink,
  fencedBlocks,
  isObject,
  isPromptLine,
  looksLikeMarkdown,
  readJsonDocuments,
  readYamlDocuments,
  splitLines,
  str,
  type TextLine,
} from '../node-text/index.js';
import { describeKind, readDescribe } from './describe.js';
import { KINDS, itemKind, readObject } from './objects.js';
import { kubeTableHeader, readKubeRow, type KubeRowContext, type KubeTableHeader } from './table.js';
import type { KubectlRecord } from './types.js';

/**
 * kubectl tables and JSON. Like crictl, a file may hold several tables separated by prompt lines,
 * and a markdown document is read only inside its code fences (records marked `embedded`).
 */
export function parseKubectl(text: string, ctx: TextParseContext): TextParseResult<KubectlRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: KubectlRecord[] = [];
  let anchored = false;
  const rc = (embedded: boolean): KubeRowContext => ({ ctx, sink, embedded, anchored: () => (anchored = true) });
  const { lines, endsWithNewline } = splitLines(text);
  if (looksLikeMarkdown(text)) {
    for (const b of fencedBlocks(lines)) readTables(b.lines, rc(true), records, true, true);
  } else if (/^\s*\{/.test(text)) {
    readJson(text, sink, records, lines.length);
  } else if (looksLikeYaml(text)) {
    readYaml(text, sink, records);
  } else if (describeKind(text)) {
    readDescribe(lines, describeKind(text)!, sink, records);
  } else {
    readTables(lines, rc(false), records, endsWithNewline, false);
  }
  if (anchored) sink.add('TEXT_NO_DATE', 'AGE values are relative to when kubectl ran; they were anchored to the bundle/user time');
  return { records, diagnostics: sink.finish() };
}

function readJson(text: string, sink: DiagnosticSink, out: KubectlRecord[], lastLine: number): void {
  const res = readJsonDocuments(text);
  for (const doc of res.documents) {
    if (!isObject(doc.value)) {
      sink.malformed(doc.line, '[…]', 'kubectl JSON is an object');
      continue;
    }
    const kind = str(doc.value.kind);
    readDocument(doc.value, doc.line, (_, i) => doc.elementLines.get('items')?.[i] ?? doc.line, `{"kind":${JSON.stringify(kind ?? null)}}`, sink, out);
  }
  if (res.truncated) sink.truncated(lastLine, 'the JSON ends mid-document; complete items before the cut were kept');
  if (res.error) sink.add('TEXT_BAD_JSON', res.error.message, res.error.line);
}

/** `kubectl get … -o yaml`: a List (`items:`) or one object per document. */
export function looksLikeYaml(text: string): boolean {
  return /^apiVersion:[ \t]*\S/m.test(text) && /^(kind|items):/m.test(text);
}

function readYaml(text: string, sink: DiagnosticSink, out: KubectlRecord[]): void {
  const res = readYamlDocuments(text);
  for (const doc of res.documents) {
    if (!isObject(doc.value)) continue;
    readDocument(doc.value, doc.line, (item) => res.lineOf.get(item) ?? doc.line, `kind: ${str(doc.value.kind) ?? '?'}`, sink, out);
  }
  if (res.error) sink.add('TEXT_MALFORMED_LINE', `YAML: ${res.error.message}; the objects before it were kept`, res.error.line);
}

/**
 * One JSON or YAML document: a List's items (each at `itemLine`) or one object of a kind podcap
 * reads; anything else is named by `shown` in a malformed-line diagnostic.
 */
function readDocument(v: Record<string, unknown>, line: number, itemLine: (item: object, i: number) => number, shown: string, sink: DiagnosticSink, out: KubectlRecord[]): void {
  const kind = str(v.kind);
  if (Array.isArray(v.items)) {
    v.items.forEach((item: unknown, i: number) => {
      if (!isObject(item)) return;
      const k = itemKind(item, kind);
      if (k && KINDS.has(k)) out.push(...readObject(item, k, itemLine(item, i)));
    });
  } else if (kind && KINDS.has(kind)) {
    out.push(...readObject(v, kind, line));
  } else {
    sink.malformed(line, shown, 'not a List or a Pod/Node/Service/Endpoints/EndpointSlice object');
  }
}

function readTables(lines: TextLine[], rc: KubeRowContext, out: KubectlRecord[], endsWithNewline: boolean, quiet: boolean): void {
  let header: KubeTableHeader | undefined;
  lines.forEach((l, i) => {
    if (l.text.trim() === '') return;
    if (isPromptLine(l.text)) {
      header = undefined;
      return;
    }
    const h = kubeTableHeader(l.text);
    if (h) {
      header = h;
      return;
    }
    if (!header) {
      if (!quiet) rc.sink.malformed(l.line, l.text, 'line before any kubectl table header');
      return;
    }
    const row = readKubeRow(header, l, quiet ? { ...rc, sink: new DiagnosticSink('') } : rc);
    if (typeof row !== 'string') {
      out.push(...(Array.isArray(row) ? row : [row]));
      return;
    }
    if (quiet) header = undefined;
    else rc.sink.rejectLine(l.line, l.text, row, i === lines.length - 1 && !endsWithNewline);
  });
}
