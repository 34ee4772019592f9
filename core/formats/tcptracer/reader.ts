import { diag, type Diagnostic } from '../../diagnostics.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { parseHeader, splitRow, type Header } from './columns.js';
import { buildRecord, type RowOutcome } from './row.js';
import { isToolNoise, looksLikeDocument, lostSamples, parsePrompt } from './transcript.js';
import type { TcpTracerRecord } from './types.js';

/** The bcc layouts a header-less dump (`tcptracer -t4v | grep curl`) can have, most specific first. */
const BCC_LAYOUTS = [
  'TIME(ns) TYPE PID COMM IP SADDR DADDR SPORT DPORT NETNS',
  'TIME(ns) TYPE PID COMM IP SADDR DADDR SPORT DPORT',
  'TYPE PID COMM IP SADDR DADDR SPORT DPORT NETNS',
  'TYPE PID COMM IP SADDR DADDR SPORT DPORT',
  'TIME(s) T PID COMM IP SADDR DADDR SPORT DPORT',
  'T PID COMM IP SADDR DADDR SPORT DPORT',
].map((h) => parseHeader(h) as Header);

export function tryRow(line: string, h: Header, netns: number | undefined): RowOutcome | null {
  const cells = splitRow(line, h);
  return cells ? buildRecord(cells, h, netns) : null;
}

/** Guesses the bcc layout of a row seen without a header; the layout must read the row cleanly. */
export function inferLayout(line: string, netns: number | undefined): Header | null {
  for (const h of BCC_LAYOUTS) {
    if (tryRow(line, h, netns)?.ok) return h;
  }
  return null;
}

/**
 * Reads tcptracer / Inspektor Gadget trace tcp tables from a dump, a terminal transcript or a
 * document. In documents only the embedded tables are read and prose is skipped silently; in
 * dumps every line that is not a table row, prompt or known tool notice is reported.
 */
export function parseTcpTracer(text: string, ctx: TextParseContext): TextParseResult<TcpTracerRecord> {
  return scanTcpTracer(text, ctx).result;
}

export interface ScanStats {
  doc: boolean;
  headers: number;
  /** Rows read with a guessed bcc layout (no header in the dump). */
  inferredRows: number;
  /** Headers with Inspektor Gadget's own columns (its own kind, inspektor-gadget, reads those). */
  igHeaders: number;
}

export function scanTcpTracer(text: string, ctx: TextParseContext): { result: TextParseResult<TcpTracerRecord>; stats: ScanStats } {
  const records: TcpTracerRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  const doc = looksLikeDocument(lines);
  const stats: ScanStats = { doc, headers: 0, inferredRows: 0, igHeaders: 0 };
  let header: Header | null = null;
  let inferred = false;
  let foreign = false;
  let netns: number | undefined;
  const where = (line: number) => ({ source: ctx.source, line });

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const t = raw.trim();
    if (t === '' || /^(```|~~~)/.test(t)) {
      if (doc) header = null;
      continue;
    }
    const prompt = parsePrompt(raw);
    if (prompt) {
      foreign = !prompt.ours;
      netns = prompt.netns;
      header = null;
      continue;
    }
    const lost = lostSamples(t);
    if (lost !== null) {
      diagnostics.push(diag('TEXT_SOURCE_LOST_EVENTS', `tcptracer lost ${lost} events (perf buffer overflow)`, where(lineNo)));
      continue;
    }
    if (isToolNoise(t)) continue;
    const h = parseHeader(raw);
    if (h) {
      stats.headers++;
      if (h.ig) stats.igHeaders++;
      header = h;
      inferred = false;
      foreign = false;
      continue;
    }
    if (foreign || t.startsWith('#')) continue;

    let outcome: RowOutcome | null = header ? tryRow(raw, header, netns) : null;
    if ((outcome === null || !outcome.ok) && !doc && (header === null || inferred)) {
      const guess = inferLayout(raw, netns);
      if (guess) {
        header = guess;
        inferred = true;
        outcome = tryRow(raw, guess, netns);
      }
    }
    if (outcome?.ok) {
      const rec: TcpTracerRecord = { ...outcome.rec, line: lineNo };
      records.push(rec);
      if (inferred) stats.inferredRows++;
      if (rec.masked) {
        diagnostics.push(diag('TEXT_MASKED_VALUE', `masked ${rec.masked.join(', ')}; event kept without them`, where(lineNo)));
      }
      continue;
    }
    if (doc) {
      header = null;
      continue;
    }
    const why = outcome ? outcome.reason : header ? `row does not fit the header (${header.names.join(' ')})` : 'not a tcptracer row and no header seen';
    const isLast = i === lines.length - 1 && !endsClean;
    diagnostics.push(isLast
      ? diag('TEXT_TRUNCATED', `last line is cut short (${why})`, where(lineNo))
      : diag('TEXT_MALFORMED_LINE', why, where(lineNo)));
  }
  return { result: { records, diagnostics }, stats };
}
