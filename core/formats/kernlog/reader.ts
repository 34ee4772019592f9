import { diag, type Diagnostic } from '../../diagnostics.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { classifyMessage } from './events.js';
import { parseLine, type LineShape } from './line.js';
import { wallUs, YearGuess } from './time.js';
import type { KernLogRecord } from './types.js';

export interface KernLogScan {
  result: TextParseResult<KernLogRecord>;
  shapes: Record<LineShape, number>;
  kernelLines: number;
  /** Lines about conntrack/kube-proxy conntrack settings (the ones podcap came for). */
  conntrackLines: number;
  unknown: number;
}

const MAX_JOINED = 4096;

/**
 * Continuation of a wrapped line (`... table full,` / `dropping packet`): joined when the previous
 * message visibly stops mid-sentence or when joining completes a message podcap knows.
 */
function continues(prev: KernLogRecord, text: string): boolean {
  // Bounded, so a hostile file of comma-terminated lines cannot grow one message without end.
  if (prev.raw.length + text.length > MAX_JOINED) return false;
  if (/[,:;]$/.test(prev.raw)) return true;
  return prev.event === 'other' && /^[a-z]/.test(text) && classifyMessage(`${prev.raw} ${text}`).event !== 'other';
}

export function scanKernLog(text: string, ctx: TextParseContext): KernLogScan {
  const records: KernLogRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const shapes: Record<LineShape, number> = { dmesg: 0, 'dmesg-T': 0, iso: 0, syslog: 0, klog: 0, cut: 0 };
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  const baseUs = ctx.baseTimeUs ?? Date.now() * 1000;
  const years = new YearGuess(baseUs);
  let noDateSaid = false;
  let kernelLines = 0;
  let conntrackLines = 0;
  let unknown = 0;
  let prev: KernLogRecord | null = null;
  const where = (line: number) => ({ source: ctx.source, line });

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (raw.trim() === '') {
      prev = null;
      continue;
    }
    const p = parseLine(raw);
    if (p.kind === 'skip') continue;
    if (p.kind === 'none') {
      const t = raw.trim();
      if (prev && continues(prev, t)) {
        prev.raw = `${prev.raw} ${t}`;
        Object.assign(prev, classifyMessage(prev.raw));
        if (i === lines.length - 1 && !endsClean) {
          diagnostics.push(diag('TEXT_TRUNCATED', 'last line has no newline and may be cut short; kept as read', where(lineNo)));
        }
        continue;
      }
      unknown++;
      const isLast = i === lines.length - 1 && !endsClean;
      diagnostics.push(isLast
        ? diag('TEXT_TRUNCATED', `last line is cut short (${p.reason})`, where(lineNo))
        : diag('TEXT_MALFORMED_LINE', p.reason, where(lineNo)));
      prev = null;
      continue;
    }
    const rec: KernLogRecord = { ...p.rec, ...classifyMessage(p.rec.raw), line: lineNo };
    if (p.noYear) {
      const w = p.noYear;
      const y = years.yearFor(w.mo, w.d, w.h, w.mi, w.s);
      rec.tsUs = wallUs(y, w.mo, w.d, w.h, w.mi, w.s, w.frac);
      rec.yearInferred = true;
      if (!noDateSaid) {
        noDateSaid = true;
        const from = ctx.baseTimeUs !== undefined ? 'the bundle time' : 'the current date';
        diagnostics.push(diag('TEXT_NO_DATE', `times carry no year; ${y} was taken from ${from} (host-local times read as UTC)`, where(lineNo)));
      }
    }
    if (p.shape === 'cut') {
      diagnostics.push(diag('TEXT_MALFORMED_LINE', 'line is cut at its start (no syslog date); its kernel message is kept without time and host', where(lineNo)));
    }
    shapes[p.shape]++;
    if (rec.program === 'kernel') kernelLines++;
    if ((rec.event !== 'other' && rec.event !== 'syn_flood' && rec.event !== 'neighbor_table_overflow') || /conntrack/.test(rec.raw)) conntrackLines++;
    records.push(rec);
    prev = rec;
    if (i === lines.length - 1 && !endsClean) {
      // Log lines have no fixed end: a last line without its newline is kept but may be cut.
      diagnostics.push(diag('TEXT_TRUNCATED', 'last line has no newline and may be cut short; kept as read', where(lineNo)));
    }
  }
  return { result: { records, diagnostics }, shapes, kernelLines, conntrackLines, unknown };
}

/** Kernel logs (dmesg, dmesg -T, syslog, journalctl -k, ISO) and kube-proxy's conntrack klog lines. */
export function parseKernLog(text: string, ctx: TextParseContext): TextParseResult<KernLogRecord> {
  return scanKernLog(text, ctx).result;
}
