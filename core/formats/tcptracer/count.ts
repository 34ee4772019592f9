/**
 * The runbook's second step counts tcptracer events per column set with awk | sort | uniq -c
 * (`Count SADDR NETNS`). It is a separate kind (`tcptracer-count`): its rows are aggregates, not
 * events, and must never be mixed into event counts.
 */
import { diag, type Diagnostic } from '../../diagnostics.js';
import { isMaskedText, parseIpText } from '../netstat/address.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { parseCountHeader, type Header } from './columns.js';
import { parsePrompt } from './transcript.js';
import type { TcpEventType, TcpTracerCountRecord } from './types.js';

const TYPES: Record<string, TcpEventType> = { C: 'connect', A: 'accept', X: 'close', U: 'unknown', connect: 'connect', accept: 'accept', close: 'close', unknown: 'unknown' };
const NETNS_MIN = 0xf0000000;

/** `uniq -c` output without a header: `    387 1.2.3.4 4026532785` (count, SADDR, NETNS as in the runbook). */
const BARE_ROW = /^\s*(\d+)\s+(\S+)\s+(\d{10})\s*$/;

type Outcome = { ok: true; rec: Omit<TcpTracerCountRecord, 'line'> } | { ok: false; reason: string };

function cellsOf(line: string, h: Header): string[] | null {
  const tok = line.trim().split(/\s+/);
  const n = h.cols.length;
  if (tok.length === n) return tok;
  const ci = h.cols.indexOf('comm');
  if (tok.length > n && ci > 0) {
    const right = n - ci - 1;
    return [...tok.slice(0, ci), tok.slice(ci, tok.length - right).join(' '), ...tok.slice(tok.length - right)];
  }
  return null;
}

function buildCount(cells: string[], h: Header): Outcome {
  const rec: Omit<TcpTracerCountRecord, 'line'> = { count: 0 };
  const masked: string[] = [];
  for (let i = 0; i < h.cols.length; i++) {
    const v = cells[i];
    const col = h.cols[i];
    if (col === 'count') {
      if (!/^\d+$/.test(v)) return { ok: false, reason: `count "${v}" is not a number` };
      rec.count = Number(v);
    } else if (col === 'saddr' || col === 'daddr') {
      const ip = parseIpText(v);
      if (ip) rec[col] = ip.ip;
      else if (isMaskedText(v)) { rec[col] = v; masked.push(col); }
      else return { ok: false, reason: `${h.names[i]} "${v}" is not an IP address` };
    } else if (col === 'sport' || col === 'dport' || col === 'netns' || col === 'pid') {
      if (/^\d+$/.test(v)) {
        const n = Number(v);
        if (col === 'netns' && (n < NETNS_MIN || n > 0xffffffff)) return { ok: false, reason: `NETNS ${n} is not a namespace inode` };
        rec[col] = n;
      } else if (isMaskedText(v)) masked.push(col);
      else return { ok: false, reason: `${h.names[i]} "${v}" is not a number` };
    } else if (col === 'comm') {
      rec.comm = v;
    } else if (col === 'type' && TYPES[v]) {
      rec.type = TYPES[v];
    } else {
      rec.other = { ...rec.other, [h.names[i]]: v };
    }
  }
  if (masked.length > 0) rec.masked = masked;
  return { ok: true, rec };
}

const BARE_HEADER = parseCountHeader('Count SADDR NETNS') as Header;

export interface CountScan {
  result: TextParseResult<TcpTracerCountRecord>;
  headers: number;
  bareRows: number;
}

export function scanTcpTracerCount(text: string, ctx: TextParseContext): CountScan {
  const records: TcpTracerCountRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  let header: Header | null = null;
  let headers = 0;
  let bareRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    const lineNo = i + 1;
    if (t === '' || parsePrompt(raw)) continue;
    const h = parseCountHeader(raw);
    if (h) {
      header = h;
      headers++;
      continue;
    }
    let out: Outcome | null = null;
    if (header) {
      const cells = cellsOf(raw, header);
      out = cells ? buildCount(cells, header) : { ok: false, reason: `row does not fit the header (${header.names.join(' ')})` };
    } else {
      const m = BARE_ROW.exec(raw);
      if (m && (parseIpText(m[2]) || isMaskedText(m[2]))) {
        out = buildCount([m[1], m[2], m[3]], BARE_HEADER);
        if (out.ok) bareRows++;
      }
    }
    if (out?.ok) {
      const rec: TcpTracerCountRecord = { ...out.rec, line: lineNo };
      records.push(rec);
      if (rec.masked) diagnostics.push(diag('TEXT_MASKED_VALUE', `masked ${rec.masked.join(', ')}; row kept without them`, { source: ctx.source, line: lineNo }));
      continue;
    }
    const why = out ? out.reason : 'not a count row and no Count header seen';
    const isLast = i === lines.length - 1 && !endsClean;
    diagnostics.push(isLast
      ? diag('TEXT_TRUNCATED', `last line is cut short (${why})`, { source: ctx.source, line: lineNo })
      : diag('TEXT_MALFORMED_LINE', why, { source: ctx.source, line: lineNo }));
  }
  return { result: { records, diagnostics }, headers, bareRows };
}

export function parseTcpTracerCount(text: string, ctx: TextParseContext): TextParseResult<TcpTracerCountRecord> {
  return scanTcpTracerCount(text, ctx).result;
}

export function sniffTcpTracerCount(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const { result, headers, bareRows } = scanTcpTracerCount(text, { source: fileName });
  const rows = result.records.length;
  const bad = result.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE').length;
  if (rows === 0) return headers > 0 && bad === 0 ? 0.5 : 0;
  const ratio = rows / (rows + bad);
  if (headers > 0) return ratio >= 0.8 ? 0.9 : 0.4 * ratio;
  return bareRows === rows && ratio >= 0.9 ? 0.6 : 0.3 * ratio;
}
