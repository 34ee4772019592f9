/**
 * /proc/net/{tcp,tcp6,udp,udp6} (the kernel's socket tables ss and netstat read) and
 * /proc/net/{snmp,netstat} (protocol counters). Addresses are hex words in host byte order:
 * on the little-endian machines Kubernetes nodes run, each 32-bit word is byte-reversed.
 */
import { diag, type Diagnostic } from '../../diagnostics.js';
import { ipv6Text } from '../../net/ip-text.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import type { ProcNetRecord, ProcSocketRecord } from './types.js';

const STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV'];

function wordBytes(hex: string): number[] {
  // one 32-bit word printed as %08X of a little-endian load: the first byte is the last pair
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

export function procAddress(hex: string): { ip: string; version: 4 | 6 } | null {
  if (/^[0-9A-Fa-f]{8}$/.test(hex)) return { ip: wordBytes(hex).join('.'), version: 4 };
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  const b = new Uint8Array(16);
  for (let w = 0; w < 4; w++) wordBytes(hex.slice(w * 8, w * 8 + 8)).forEach((x, i) => { b[w * 4 + i] = x; });
  return { ip: ipv6Text(b, 0), version: 6 };
}

const SOCKET_HEADER = /^\s*sl\s+local_address\s+rem(?:ote)?_address\s+st\s+tx_queue\s+rx_queue\b/;
const ROW = /^\s*(\d+): ([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4}) ([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4}) ([0-9A-F]{2}) ([0-9A-F]{8}):([0-9A-F]{8}) [0-9A-F]{2}:[0-9A-F]{8} [0-9A-F]{8}\s+(\d+)\s+\d+\s+(\d+)\b/i;

function protoFromName(source: string): 'tcp' | 'udp' | null {
  const base = source.split(/[\\/]|!\//).pop() ?? '';
  return /udp/i.test(base) ? 'udp' : /tcp/i.test(base) ? 'tcp' : null;
}

export function scanProcNet(text: string, ctx: TextParseContext): { result: TextParseResult<ProcNetRecord>; headers: number } {
  const records: ProcNetRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  let mode: 'sockets' | 'counters' | null = null;
  let proto: 'tcp' | 'udp' = 'tcp';
  let headers = 0;
  const where = (line: number) => ({ source: ctx.source, line });
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    if (SOCKET_HEADER.test(raw)) {
      mode = 'sockets';
      headers++;
      // udp tables end their header with `ref pointer drops`; tcp ones do not
      proto = /\bdrops\s*$/.test(raw) ? 'udp' : protoFromName(ctx.source) ?? 'tcp';
      continue;
    }
    const names = /^(\w+): ([A-Za-z][\w ]*)$/.exec(raw.trim());
    if (names && i + 1 < lines.length) {
      const vals = /^(\w+): (-?\d+(?: -?\d+)*)\s*$/.exec(lines[i + 1].trim());
      if (vals && vals[1] === names[1]) {
        const keys = names[2].split(' ');
        const nums = vals[2].split(' ').map(Number);
        if (keys.length === nums.length) {
          mode = 'counters';
          headers++;
          records.push({ type: 'counters', group: names[1], counters: Object.fromEntries(keys.map((k, j) => [k, nums[j]])), line: lineNo });
          i++;
          continue;
        }
      }
    }
    if (mode === 'sockets') {
      const m = ROW.exec(raw);
      const l = m && procAddress(m[2]);
      const r = m && procAddress(m[4]);
      if (m && l && r) {
        const st = parseInt(m[6], 16);
        const rec: ProcSocketRecord = {
          type: 'socket', proto, ipVersion: l.version, localIp: l.ip, localPort: parseInt(m[3], 16), remoteIp: r.ip, remotePort: parseInt(m[5], 16),
          state: proto === 'udp' && st === 7 ? 'UNCONN' : STATES[st] ?? `STATE_${st}`, txQueue: parseInt(m[7], 16), rxQueue: parseInt(m[8], 16),
          uid: Number(m[9]), inode: Number(m[10]), slot: Number(m[1]), line: lineNo,
        };
        records.push(rec);
        continue;
      }
    }
    const isLast = i === lines.length - 1 && !endsClean;
    const why = mode === 'sockets' ? 'not a /proc/net socket row' : 'not a /proc/net table line';
    diagnostics.push(diag(isLast ? 'TEXT_TRUNCATED' : 'TEXT_MALFORMED_LINE', why, where(lineNo)));
  }
  return { result: { records, diagnostics }, headers };
}

export function parseProcNet(text: string, ctx: TextParseContext): TextParseResult<ProcNetRecord> {
  return scanProcNet(text, ctx).result;
}

export function sniffProcNet(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const { result, headers } = scanProcNet(text, { source: fileName });
  if (headers === 0) return 0;
  const bad = result.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE').length;
  const rows = result.records.length;
  // A socket table's header alone (no sockets) is still unmistakable.
  if (rows === 0) return bad === 0 ? 0.9 : 0;
  return rows / (rows + bad) >= 0.8 ? 0.95 : 0.3;
}
