import { monthIndex, parseIsoPrefix, wallUs } from './time.js';
import type { KernLogRecord } from './types.js';

export type LineShape = 'dmesg' | 'dmesg-T' | 'iso' | 'syslog' | 'klog' | 'cut';

export interface WallClock {
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  frac: string;
}

export type ParsedLine =
  | { kind: 'skip' }
  | { kind: 'none'; reason: string }
  | {
      kind: 'line';
      shape: LineShape;
      rec: Omit<KernLogRecord, 'line' | 'event'>;
      /** A time without a year: the reader supplies it. */
      noYear?: WallClock;
    };

const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DMESG_T = new RegExp(`^\\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MON} +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d) (\\d{4})\\]\\s?(.*)$`);
const SYSLOG = new RegExp(`^${MON} +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d+))? (\\S+) ([^\\s:[]+)(?:\\[(\\d+)\\])?: ?(.*)$`);
const UPTIME = /^\[\s*(\d+\.\d+)\]\s?(.*)$/;
const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+)\s+([^\s\]]+:\d+)\] ?(.*)$/;
const SYSLOG_AFTER_TIME = /^([\w.-]+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const FACILITY = /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])\s*:\s*(?:emerg|alert|crit|err|warn|notice|info|debug)\s*: ?/;
/** conntrack -E -o timestamp lines look like dmesg (`[1466520286.987453] [NEW] ...`); they are not kernel log. */
const CONNTRACK_EVENT = /^\s*\[(NEW|UPDATE|DESTROY)\]/;

/** Kernel messages inside syslog often keep dmesg's uptime stamp: `kernel: [38775494.393661] msg`. */
function kernelMessage(rec: Omit<KernLogRecord, 'line' | 'event'>, msg: string): void {
  const u = UPTIME.exec(msg);
  if (u) {
    rec.uptimeS = Number(u[1]);
    rec.raw = u[2];
  } else {
    rec.raw = msg;
  }
}

export function parseLine(rawLine: string): ParsedLine {
  let s = rawLine.trimEnd();
  if (/^-- (Logs begin at|No entries|Journal begins|Boot [0-9a-f]+|Reboot)/.test(s)) return { kind: 'skip' };
  s = s.replace(/^<\d{1,3}>/, '').replace(FACILITY, '');

  const up = UPTIME.exec(s);
  if (up) {
    if (CONNTRACK_EVENT.test(up[2])) return { kind: 'none', reason: 'a conntrack -E event, not a kernel log line' };
    const rec: Omit<KernLogRecord, 'line' | 'event'> = { program: 'kernel', uptimeS: Number(up[1]), raw: up[2] };
    // journalctl -o short-monotonic: `[ 1234.567890] host kernel: msg`
    const j = /^([\w.-]+) kernel: ?(.*)$/.exec(up[2]);
    if (j) {
      rec.host = j[1];
      rec.raw = j[2];
    }
    return { kind: 'line', shape: 'dmesg', rec };
  }

  const t = DMESG_T.exec(s);
  if (t) {
    const rec: Omit<KernLogRecord, 'line' | 'event'> = {
      program: 'kernel',
      tsUs: wallUs(Number(t[6]), monthIndex(t[1])!, Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5])),
      tsLocal: true,
      raw: t[7],
    };
    return { kind: 'line', shape: 'dmesg-T', rec };
  }

  const iso = parseIsoPrefix(s);
  if (iso) {
    const rec: Omit<KernLogRecord, 'line' | 'event'> = { program: 'kernel', tsUs: iso.us, raw: iso.rest };
    if (iso.local) rec.tsLocal = true;
    const sl = SYSLOG_AFTER_TIME.exec(iso.rest);
    if (sl) {
      rec.host = sl[1];
      rec.program = sl[2];
      if (sl[3] !== undefined) rec.pid = Number(sl[3]);
      if (rec.program === 'kernel') kernelMessage(rec, sl[4]);
      else rec.raw = sl[4];
    } else {
      kernelMessage(rec, iso.rest);
    }
    return { kind: 'line', shape: 'iso', rec };
  }

  const sy = SYSLOG.exec(s);
  if (sy) {
    const rec: Omit<KernLogRecord, 'line' | 'event'> = { program: sy[8], host: sy[7], tsLocal: true, raw: '' };
    if (sy[9] !== undefined) rec.pid = Number(sy[9]);
    if (sy[8] === 'kernel') kernelMessage(rec, sy[10]);
    else rec.raw = sy[10];
    const noYear = { mo: monthIndex(sy[1])!, d: Number(sy[2]), h: Number(sy[3]), mi: Number(sy[4]), s: Number(sy[5]), frac: sy[6] ?? '' };
    return { kind: 'line', shape: 'syslog', rec, noYear };
  }

  const k = KLOG.exec(s);
  if (k) {
    const rec: Omit<KernLogRecord, 'line' | 'event'> = {
      program: 'klog', severity: k[1], pid: Number(k[8]), sourceFile: k[9], tsLocal: true, raw: k[10],
    };
    const noYear = { mo: Number(k[2]) - 1, d: Number(k[3]), h: Number(k[4]), mi: Number(k[5]), s: Number(k[6]), frac: k[7] };
    if (noYear.mo > 11 || noYear.d < 1 || noYear.d > 31) return { kind: 'none', reason: 'klog date out of range' };
    return { kind: 'line', shape: 'klog', rec, noYear };
  }

  // A syslog line cut at its start (`obs kernel: [38775494.392631] ...` from `Feb 23 … jobs kernel:`).
  const cut = /^([\w.-]+) kernel: ?(.*)$/.exec(s);
  if (cut) {
    const rec: Omit<KernLogRecord, 'line' | 'event'> = { program: 'kernel', raw: '' };
    kernelMessage(rec, cut[2]);
    return { kind: 'line', shape: 'cut', rec };
  }
  return { kind: 'none', reason: 'not a kernel/syslog/klog line' };
}
