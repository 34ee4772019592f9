import { diag, type Diagnostic } from '../../diagnostics.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import type { SysctlRecord } from './types.js';

/** Top-level /proc/sys directories: a `key = value` line with another root is not sysctl output. */
const ROOTS = new Set(['abi', 'crypto', 'debug', 'dev', 'fs', 'kernel', 'net', 'sunrpc', 'user', 'vm']);
const SETTING = /^([a-z][\w-]*(?:[./][\w@:-]+)+)\s*=\s*(.*)$/;
const CANNOT_STAT = /^sysctl: cannot stat \/proc\/sys\/(\S+?):\s*(.+)$/;
const DENIED = /^sysctl: (permission denied on key|reading key) ["']([^"']+)["'](.*)$/;
const PROMPT = /^\s*(?:->\s*)?[\w.@~:/-]*[#$]\s*(?:sudo\s+)?(\S.*)$/;
const PROC_SYS = /\/proc\/sys\/([\w./@:-]+)/;

export function keyFromProcPath(path: string): string | null {
  const m = PROC_SYS.exec(path);
  return m ? m[1].replace(/\/+$/, '').replace(/\//g, '.') : null;
}

/**
 * The sysctl a single-value file stands for, from its name: `/proc/sys/net/netfilter/nf_conntrack_max`
 * (kept path in a bundle) or a bare `nf_conntrack_max[.txt]` (netfilter's names are unambiguous).
 */
export function keyFromFileName(fileName: string): string | null {
  const fromPath = keyFromProcPath(fileName.replace(/\\/g, '/'));
  if (fromPath) return fromPath;
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(txt|out|log)$/, '');
  return /^nf_conntrack_[a-z0-9_]+$/.test(base) ? `net.netfilter.${base}` : null;
}

function record(key: string, value: string, line: number): SysctlRecord {
  const r: SysctlRecord = { key, value, line };
  if (/^-?\d+$/.test(value)) r.numeric = Number(value);
  return r;
}

export interface SysctlScan {
  result: TextParseResult<SysctlRecord>;
  settings: number;
  unknown: number;
  /** Records that came from a bare value named by the file name. */
  fromFileName: boolean;
}

export function scanSysctl(text: string, ctx: TextParseContext): SysctlScan {
  const records: SysctlRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  const nonBlank = lines.filter((l) => l.trim() !== '');
  // A whole file that is one value: only usable when its name says which setting it is.
  if (nonBlank.length === 1 && /^-?\d+(\s+-?\d+)*$/.test(nonBlank[0].trim())) {
    const key = keyFromFileName(ctx.source);
    if (key) {
      const line = lines.findIndex((l) => l.trim() !== '') + 1;
      return { result: { records: [record(key, nonBlank[0].trim(), line)], diagnostics }, settings: 1, unknown: 0, fromFileName: true };
    }
  }
  let settings = 0;
  let unknown = 0;
  const cutNote = (i: number): void => {
    if (i === lines.length - 1 && !endsClean) {
      diagnostics.push(diag('TEXT_TRUNCATED', 'last line has no newline and its value may be cut short; kept as read', { source: ctx.source, line: i + 1 }));
    }
  };
  let pendingKey: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    const lineNo = i + 1;
    if (t === '') continue;
    const p = PROMPT.exec(lines[i]);
    if (p && /^(sysctl|cat|grep|echo)\b/.test(p[1])) {
      pendingKey = /^cat\s/.test(p[1]) ? keyFromProcPath(p[1]) : null;
      continue;
    }
    if (pendingKey && /^-?\d+(\s+-?\d+)*$/.test(t)) {
      records.push(record(pendingKey, t, lineNo));
      settings++;
      pendingKey = null;
      cutNote(i);
      continue;
    }
    const cs = CANNOT_STAT.exec(t);
    if (cs) {
      records.push({ key: cs[1].replace(/\//g, '.'), value: '', error: cs[2], line: lineNo });
      settings++;
      continue;
    }
    const dn = DENIED.exec(t);
    if (dn) {
      records.push({ key: dn[2], value: '', error: `${dn[1]}${dn[3]}`.trim(), line: lineNo });
      settings++;
      continue;
    }
    const m = SETTING.exec(t);
    if (m && ROOTS.has(m[1].split('.')[0])) {
      records.push(record(m[1], m[2].trim(), lineNo));
      settings++;
      cutNote(i);
      continue;
    }
    unknown++;
    const isLast = i === lines.length - 1 && !endsClean;
    diagnostics.push(isLast
      ? diag('TEXT_TRUNCATED', 'last line is cut short', { source: ctx.source, line: lineNo })
      : diag('TEXT_MALFORMED_LINE', 'not a sysctl line', { source: ctx.source, line: lineNo }));
  }
  return { result: { records, diagnostics }, settings, unknown, fromFileName: false };
}

export function parseSysctl(text: string, ctx: TextParseContext): TextParseResult<SysctlRecord> {
  return scanSysctl(text, ctx).result;
}
