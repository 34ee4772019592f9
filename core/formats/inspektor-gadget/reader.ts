import { diag, type Diagnostic } from '../../diagnostics.js';
import { looksLikeDocument } from '../tcptracer/transcript.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { parseIgHeader, splitIgRow, type IgHeader } from './columns.js';
import { igRecordOfObject, jsonChunks, looksLikeIgObject } from './json.js';
import { buildIgRow } from './row.js';
import type { IgGadget, IgRecord } from './types.js';

export interface IgPrompt {
  command: string;
  /** The command runs Inspektor Gadget (kubectl gadget, kubectl-gadget, ig). */
  ours: boolean;
  gadget?: IgGadget;
}

/** `$ kubectl gadget trace tcp`, `$ sudo ig run trace_tcp:v0.30 -c x`, `user@host:~$ ./kubectl-gadget tcpconnect`. */
export function parseIgPrompt(line: string): IgPrompt | null {
  const m = /^\s*(?:->\s*)?(?:[\w.@~:/-]*[#$])\s+(\S.*)$/.exec(line);
  if (!m) return null;
  const command = m[1].trim();
  const words = command.split(/\s+/).filter((w) => w !== 'sudo' && w !== '-E' && !/^\w+=/.test(w));
  const first = (words[0] ?? '').replace(/^.*\//, '');
  if (!/^[a-z][\w.-]*$/.test(first)) return null;
  const ours = /^(kubectl-gadget|ig|local-gadget)$/.test(first) || (first === 'kubectl' && words[1] === 'gadget');
  const p: IgPrompt = { command, ours };
  if (!ours) return p;
  const head = command.split('|')[0];
  if (/\b(?:trace\s+)?tcpconnect\b|run\s+\S*trace_tcpconnect\b/.test(head)) p.gadget = 'trace_tcpconnect';
  else if (/\btrace\s+tcp\b|\btcptracer\b|run\s+\S*trace_tcp(?::\S*)?(?:\s|$)/.test(head)) p.gadget = 'trace_tcp';
  else if (/\btrace\s+network\b|run\s+\S*trace_network\b/.test(head)) p.gadget = 'trace_network';
  else if (/\btop\s+tcp\b|run\s+\S*top_tcp\b/.test(head)) p.gadget = 'top_tcp';
  else if (/\bsnapshot\s+socket\b|run\s+\S*snapshot_socket\b/.test(head)) p.gadget = 'snapshot_socket';
  else p.gadget = 'other';
  return p;
}

/** Lines IG and shells print around the output: never data, never an error. */
function isNoise(t: string): boolean {
  return /^\^C$/.test(t) || /^\[\.\.\.\]$/.test(t) || /^(INFO|WARN|ERRO|DEBU)\[\d+\]/.test(t) || /^Tracing .* Hit Ctrl-C to end$/.test(t) || /^#/.test(t);
}

export interface IgScanStats {
  doc: boolean;
  headers: number;
  json: number;
  ourPrompts: number;
}

/**
 * Reads Inspektor Gadget output: tables of any gadget and release, and JSON objects, from raw
 * dumps, terminal transcripts or documents. In documents prose is skipped silently; in dumps every
 * line that is not a row, an object, a prompt or a known notice is reported.
 */
export function scanInspektorGadget(text: string, ctx: TextParseContext): { result: TextParseResult<IgRecord>; stats: IgScanStats } {
  const records: IgRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  const doc = looksLikeDocument(lines);
  const stats: IgScanStats = { doc, headers: 0, json: 0, ourPrompts: 0 };
  const where = (line: number) => ({ source: ctx.source, line });

  // Prompts first: a JSON object takes its gadget from the command that printed it.
  const hintAt: (IgGadget | undefined)[] = [];
  let hint: IgGadget | undefined;
  for (let i = 0; i < lines.length; i++) {
    const p = parseIgPrompt(lines[i]);
    if (p) hint = p.ours ? p.gadget : undefined;
    hintAt.push(hint);
  }
  const { chunks, taken } = jsonChunks(lines, (i) => /^\s*[{[]/.test(lines[i]));
  for (const c of chunks) {
    let value: unknown;
    try {
      value = JSON.parse(c.text);
    } catch (e) {
      // A `[` line that is not JSON (a log prefix, a doc aside) is left to the line reader below.
      if (/^\s*\[(?!\s*\{|\s*$)/.test(c.text)) {
        for (let j = c.line - 1; j < c.line - 1 + c.text.split('\n').length; j++) taken.delete(j);
        continue;
      }
      const isLast = c.line - 1 + c.text.split('\n').length >= lines.length && !endsClean;
      diagnostics.push(diag(isLast ? 'TEXT_TRUNCATED' : 'TEXT_BAD_JSON', `JSON value starting here does not parse (${(e as Error).message})`, where(c.line)));
      continue;
    }
    const objs = Array.isArray(value) ? value : [value];
    for (const o of objs) {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) continue;
      const rec = igRecordOfObject(o as Record<string, unknown>, c.line, hintAt[c.line - 1]);
      if (rec) {
        records.push(rec);
        stats.json++;
      } else if (!looksLikeIgObject(o as Record<string, unknown>) && !doc) {
        diagnostics.push(diag('TEXT_MALFORMED_LINE', 'JSON object without Inspektor Gadget fields (k8s/runtime enrichment and an event)', where(c.line)));
      }
    }
  }

  let header: IgHeader | null = null;
  let foreign = false;
  for (let i = 0; i < lines.length; i++) {
    if (taken.has(i)) continue;
    const raw = lines[i];
    const lineNo = i + 1;
    const t = raw.trim();
    if (t === '' || /^(```|~~~)/.test(t) || /^<\/?\w+[^>]*>$/.test(t)) {
      if (doc) header = null;
      continue;
    }
    const prompt = parseIgPrompt(raw);
    if (prompt) {
      foreign = !prompt.ours;
      if (prompt.ours) stats.ourPrompts++;
      header = null;
      continue;
    }
    if (isNoise(t)) continue;
    const h = parseIgHeader(raw);
    if (h) {
      header = h;
      foreign = false;
      stats.headers++;
      continue;
    }
    if (foreign) continue;
    let why = 'not an Inspektor Gadget row and no header seen';
    if (header) {
      // Documents indent their code blocks: cut the block's indentation before using header offsets.
      const cells = splitIgRow(raw, header);
      if (cells) {
        const out = buildIgRow(cells, header);
        if (out.ok) {
          const rec: IgRecord = { ...out.rec, line: lineNo };
          records.push(rec);
          if (rec.masked) diagnostics.push(diag('TEXT_MASKED_VALUE', `masked ${rec.masked.join(', ')}; row kept without them`, where(lineNo)));
          continue;
        }
        why = out.reason;
      } else why = `row does not fit the header (${header.names.join(' ')})`;
    }
    if (doc) {
      header = null;
      continue;
    }
    const isLast = i === lines.length - 1 && !endsClean;
    diagnostics.push(isLast
      ? diag('TEXT_TRUNCATED', `last line is cut short (${why})`, where(lineNo))
      : diag('TEXT_MALFORMED_LINE', why, where(lineNo)));
  }
  records.sort((a, b) => a.line - b.line);
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { result: { records, diagnostics }, stats };
}

export function parseInspektorGadget(text: string, ctx: TextParseContext): TextParseResult<IgRecord> {
  return scanInspektorGadget(text, ctx).result;
}

/**
 * Confidence that `head` is Inspektor Gadget output. Tables with IG's own columns (Kubernetes or
 * runtime enrichment, SRC/DST endpoints) and IG JSON score above tcptracer, which reads the old
 * trace tcp table too; documents that only embed examples score low and stay unknown.
 */
export function sniffInspektorGadget(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const { result, stats } = scanInspektorGadget(text, { source: fileName });
  const rows = result.records.length;
  const bad = result.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE' || d.code === 'TEXT_BAD_JSON').length;
  if (stats.doc) return rows > 0 ? 0.3 : 0;
  if (rows === 0) return stats.headers > 0 && bad <= 2 ? 0.65 : 0;
  const ratio = rows / (rows + bad);
  return ratio >= 0.5 ? 0.97 : 0.3 + 0.5 * ratio;
}
