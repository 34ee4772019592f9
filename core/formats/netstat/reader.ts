import { diag, type Diagnostic } from '../../diagnostics.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { classifyLine, parseLinuxNetstatRow, parseSsRow, parseWindowsNetstatRow, ssTcpInfo, type RowResult } from './rows.js';
import type { SocketRecord } from './types.js';

interface Mode {
  tool: 'netstat' | 'ss';
  platform: 'linux' | 'windows';
  netid: boolean | null;
}

function parseRow(line: string, mode: Mode | null, ssProto: string | undefined): RowResult | null {
  if (mode?.platform === 'windows') return parseWindowsNetstatRow(line);
  if (mode?.tool === 'ss') return parseSsRow(line, mode.netid, ssProto);
  if (mode?.tool === 'netstat') return parseLinuxNetstatRow(line);
  // No header seen (a grep'd dump): try each shape.
  return parseLinuxNetstatRow(line) ?? parseWindowsNetstatRow(line) ?? parseSsRow(line, null, ssProto);
}

/** `ss -u...` / `ss -t...` in a prompt line tells which protocol a Netid-less table holds. */
function ssProtoFromCommand(cmd: string): string | undefined {
  const m = /\bss\s+((?:-\S+\s*)+)/.exec(cmd);
  if (!m) return undefined;
  const flags = m[1].replace(/--\S+/g, '').replace(/[-\s]/g, '');
  const t = flags.includes('t');
  const u = flags.includes('u');
  if (t && !u) return 'tcp';
  if (u && !t) return 'udp';
  return undefined;
}

export function parseNetstat(text: string, ctx: TextParseContext): TextParseResult<SocketRecord> {
  const records: SocketRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  let mode: Mode | null = null;
  let unixSection = false;
  let ssProto: string | undefined;
  let last: SocketRecord | null = null;
  // The row before was an ss socket that is not IP (packet, unix, netlink): its detail lines are its own.
  let afterNonIp = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const c = classifyLine(raw);
    if (c.kind === 'blank') continue;
    if (c.kind === 'banner') {
      unixSection = c.unix;
      last = null;
      continue;
    }
    if (c.kind === 'header') {
      mode = { tool: c.tool, platform: c.platform, netid: c.tool === 'ss' ? c.netid : null };
      unixSection = false;
      last = null;
      continue;
    }
    if (c.kind === 'prompt') {
      ssProto = ssProtoFromCommand(c.command);
      if (/(^|[\\/\s])netstat(\.exe)?\s/i.test(c.command) && /^[A-Za-z]:\\/.test(raw.trim())) {
        mode = { tool: 'netstat', platform: 'windows', netid: null };
      }
      unixSection = false;
      last = null;
      continue;
    }
    if (unixSection) continue;
    if (mode?.tool === 'ss' && afterNonIp && /^\s/.test(raw)) continue;
    afterNonIp = false;
    // ss -i/-m print socket details on indented continuation lines.
    if (mode?.tool === 'ss' && last !== null && /^\s/.test(raw)) {
      const info = ssTcpInfo(raw);
      if (info) last.tcpInfo = { ...last.tcpInfo, ...info };
      continue;
    }
    // Windows `netstat -b` names the owner on the following line(s): `[svchost.exe]`, ` RpcSs`.
    if (mode?.platform === 'windows' && last !== null) {
      const t = raw.trim();
      const exe = /^\[(.+)\]$/.exec(t);
      if (exe) {
        last.program = exe[1];
        continue;
      }
      if (/^Can not obtain ownership information$/.test(t) || (/^\S+$/.test(t) && !/[:.]/.test(t) && /^\s/.test(raw))) continue;
    }
    const r = parseRow(raw, mode, ssProto);
    if (r === null || (!r.ok && r.reason !== 'non-ip')) {
      const isLast = i === lines.length - 1 && !endsClean;
      const why = r === null ? 'not a netstat/ss row' : r.reason;
      diagnostics.push(isLast
        ? diag('TEXT_TRUNCATED', `last line is cut short (${why})`, { source: ctx.source, line: lineNo })
        : diag('TEXT_MALFORMED_LINE', why, { source: ctx.source, line: lineNo }));
      last = null;
      continue;
    }
    if (!r.ok) {
      // unix/netlink/packet sockets in an ss table: valid, not IP
      afterNonIp = true;
      last = null;
      continue;
    }
    const rec: SocketRecord = { ...r.rec, line: lineNo };
    records.push(rec);
    last = rec;
    if (rec.masked) {
      diagnostics.push(diag('TEXT_MASKED_VALUE', `masked ${rec.masked.join(', ')}; row kept without them`, { source: ctx.source, line: lineNo }));
    }
    if (i === lines.length - 1 && !endsClean) {
      diagnostics.push(diag('TEXT_TRUNCATED', 'last row has no newline and may be cut short (program name, state); kept as read', { source: ctx.source, line: lineNo }));
    }
  }
  return { records, diagnostics };
}
