import { diag, type Diagnostic } from '../../diagnostics.js';
import { PodcapError } from '../../errors.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { parseEntry, parseExpect, type Parsed } from './entry.js';
import type { ConntrackEntry, ConntrackExpect, ConntrackRecord, ConntrackStats, ConntrackSummary } from './types.js';

const FOOTER = /^conntrack v(\S+) \(conntrack-tools\):\s*(.*)$/;
const FOOTER_COUNT = /^(\d+) (.+?) (?:has|have) been (\w+)\.?$/;
const STATS_LINE = /^cpu=(\d+)\s+((?:[a-z_]+=\d+\s*)+)$/;
const SYSCTL_LINE = /^(net\.netfilter\.nf_conntrack_[a-z0-9_]+)\s*=\s*(\d+)$/;
const PROMPT = /^\s*(?:->\s*)?([\w.@~:/-]*[#$>])\s*((?:sudo\s+)?\S*\b(conntrack|sysctl|cat)\b.*)$/;
/**
 * NuttX (and other non-Linux stacks) print a look-alike without the protocol number and timeout
 * (`[NEW] tcp   src=…`) and a footer without a version. Such lines are never Linux conntrack.
 */
const FOREIGN_LINE = /^(?:\[(?:NEW|UPDATE|DESTROY)\]\s+)?[a-z0-9]+\s+src=\S+\s+dst=/;
const FOREIGN_FOOTER = /^conntrack: \d+ .* been \w+\.?$/;

export interface ConntrackScan {
  result: TextParseResult<ConntrackRecord>;
  /** Lines only Linux conntrack prints (entries, expectations, stats, footer). */
  linux: number;
  /** Evidence of a non-Linux conntrack look-alike (NuttX prompt/lines/footer). */
  foreign: number;
  /** Lines that matched nothing. */
  unknown: number;
  /** Records that are sysctl settings only (a sysctl dump is the sysctl format's file). */
  settings: number;
}

function summary(version: string, message: string): Omit<ConntrackSummary, 'line'> {
  const s: Omit<ConntrackSummary, 'line'> = { kind: 'summary', version, message };
  const m = FOOTER_COUNT.exec(message);
  if (m) {
    s.count = Number(m[1]);
    s.what = m[2];
    s.action = m[3];
  }
  return s;
}

export function scanConntrack(text: string, ctx: TextParseContext): ConntrackScan {
  const records: ConntrackRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  let linux = 0;
  let foreign = 0;
  let unknown = 0;
  let settings = 0;
  let lastCommand = '';
  let statHeader: string[] | null = null;
  let statCpu = 0;
  // Whether every entry so far ended with `use=` (-L, /proc): a last line without it was cut.
  let entriesWithUse = 0;
  let entriesSeen = 0;
  const where = (line: number) => ({ source: ctx.source, line });

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    const lineNo = i + 1;
    if (t === '') continue;
    const prompt = PROMPT.exec(raw);
    if (prompt) {
      if (/nuttx/i.test(prompt[1])) foreign++;
      lastCommand = prompt[2];
      statHeader = null;
      continue;
    }
    const footer = FOOTER.exec(t);
    if (footer) {
      records.push({ ...summary(footer[1], footer[2]), line: lineNo });
      linux++;
      continue;
    }
    if (FOREIGN_FOOTER.test(t)) {
      foreign++;
      diagnostics.push(diag('TEXT_MALFORMED_LINE', 'footer of a non-Linux conntrack (no conntrack-tools version)', where(lineNo)));
      continue;
    }
    const st = STATS_LINE.exec(t);
    if (st) {
      const counters: Record<string, number> = Object.create(null) as Record<string, number>;
      for (const m of st[2].matchAll(/([a-z_]+)=(\d+)/g)) counters[m[1]] = Number(m[2]);
      records.push({ kind: 'stats', cpu: Number(st[1]), source: 'conntrack-S', counters, line: lineNo });
      linux++;
      continue;
    }
    // /proc/net/stat/nf_conntrack: a header, then one row of hex counters per possible CPU.
    if (/^entries\s+\S+\s+found\s+/.test(t)) {
      statHeader = t.split(/\s+/);
      statCpu = 0;
      linux++;
      continue;
    }
    if (statHeader && /^[0-9a-f]{8}(\s+[0-9a-f]{8})+$/.test(t)) {
      const v = t.split(/\s+/);
      if (v.length === statHeader.length) {
        const counters: Record<string, number> = Object.create(null) as Record<string, number>;
        statHeader.forEach((k, j) => { counters[k] = parseInt(v[j], 16); });
        const rec: ConntrackStats = { kind: 'stats', cpu: statCpu++, source: 'proc-stat', counters, line: lineNo };
        records.push(rec);
        linux++;
        continue;
      }
    }
    const sc = SYSCTL_LINE.exec(t);
    if (sc) {
      records.push({ kind: 'setting', key: sc[1], value: Number(sc[2]), line: lineNo });
      settings++;
      continue;
    }
    if (/^\d+$/.test(t) && /\bconntrack\s+(-C|--count)\b/.test(lastCommand)) {
      records.push({ kind: 'setting', key: 'net.netfilter.nf_conntrack_count', value: Number(t), line: lineNo });
      linux++;
      continue;
    }
    if (/^\d+$/.test(t) && /\/proc\/sys\/net\/netfilter\/nf_conntrack_\w+/.test(lastCommand)) {
      const key = /\/proc\/sys\/(net\/netfilter\/nf_conntrack_\w+)/.exec(lastCommand)![1].replace(/\//g, '.');
      records.push({ kind: 'setting', key, value: Number(t), line: lineNo });
      settings++;
      continue;
    }
    const parsed: Parsed<ConntrackEntry> | Parsed<ConntrackExpect> | null = parseEntry(t) ?? parseExpect(t);
    if (parsed?.ok && i === lines.length - 1 && !endsClean && parsed.rec.kind === 'entry') {
      // A last line without its newline may be cut anywhere, even between two valid fields.
      const e = parsed.rec;
      const lostUse = entriesSeen > 0 && entriesWithUse === entriesSeen && e.use === undefined;
      const lostReplyAcct = e.orig.packets !== undefined && e.reply.packets === undefined;
      if (lostUse || lostReplyAcct) {
        diagnostics.push(diag('TEXT_TRUNCATED', 'last line is cut short (it lacks fields every other entry has)', where(lineNo)));
        continue;
      }
    }
    if (parsed?.ok) {
      if (parsed.rec.kind === 'entry') {
        entriesSeen++;
        if (parsed.rec.use !== undefined) entriesWithUse++;
      }
      const rec = { ...parsed.rec, line: lineNo } as ConntrackRecord;
      records.push(rec);
      linux++;
      if (parsed.masked.length > 0) {
        diagnostics.push(diag('TEXT_MASKED_VALUE', `masked ${parsed.masked.join(', ')}; entry kept`, where(lineNo)));
      }
      continue;
    }
    let why: string;
    if (FOREIGN_LINE.test(t)) {
      foreign++;
      why = 'no protocol number or timeout: not Linux conntrack-tools output (NuttX-style)';
    } else {
      unknown++;
      why = parsed ? parsed.reason : 'not a conntrack line';
    }
    const isLast = i === lines.length - 1 && !endsClean;
    diagnostics.push(isLast
      ? diag('TEXT_TRUNCATED', `last line is cut short (${why})`, where(lineNo))
      : diag('TEXT_MALFORMED_LINE', why, where(lineNo)));
  }
  return { result: { records, diagnostics }, linux, foreign, unknown, settings };
}

/**
 * Reads Linux conntrack output. A file holding only a non-Linux look-alike (NuttX's `conntrack`
 * shell command) cannot be Linux conntrack: that is an error, not a list of malformed lines.
 */
export function parseConntrack(text: string, ctx: TextParseContext): TextParseResult<ConntrackRecord> {
  const scan = scanConntrack(text, ctx);
  if (scan.foreign > 0 && scan.linux === 0) {
    throw new PodcapError('NOT_LINUX_CONNTRACK', `${ctx.source}: conntrack look-alike without protocol numbers/timeouts (NuttX?), not Linux conntrack`, 'conntrack');
  }
  return scan.result;
}
