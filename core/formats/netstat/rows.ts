/**
 * Line shapes of netstat (Linux and Windows) and ss. Shared by the sniffer and the reader so the
 * two never disagree about what a row is.
 */
import { isMaskedText, parseEndpoint, type Endpoint } from './address.js';
import type { SocketRecord } from './types.js';

export type LineKind =
  | { kind: 'blank' }
  | { kind: 'banner'; unix: boolean }
  | { kind: 'header'; tool: 'netstat' | 'ss'; platform: 'linux' | 'windows'; netid: boolean }
  | { kind: 'prompt'; command: string }
  | { kind: 'other' };

const LINUX_NETSTAT_HEADER = /^Proto\s+Recv-Q\s+Send-Q\s+Local\s+Address\s+Foreign\s+Address\b/;
const WINDOWS_NETSTAT_HEADER = /^Proto\s+Local\s+Address\s+Foreign\s+Address\s+State\b/;
const SS_HEADER = /^(Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port\s+Peer\s+Address:Port/;
const UNIX_HEADER = /^Proto\s+RefCnt\s+Flags\s+Type\s+State\s+I-Node/;
// Shell or cmd.exe prompt followed by a command: `# netstat -ptn`, `$ sudo ss -tanp`, `C:\x>netstat -aon`.
const PROMPT = /^(?:->\s*)?(?:[\w.@~:/\\-]*[#$>])\s*((?:sudo\s+)?(?:\S*[\\/])?(?:netstat|ss|kubectl|crictl|nsenter|ip)(?:\.exe)?\b.*)$/i;

export function classifyLine(raw: string): LineKind {
  const t = raw.trim();
  if (t === '') return { kind: 'blank' };
  if (/^Active (Internet connections|Connections)\b/.test(t)) return { kind: 'banner', unix: false };
  if (/^Active (UNIX domain sockets|Bluetooth connections)\b/.test(t)) return { kind: 'banner', unix: true };
  // netstat's own notes when it cannot see other users' processes.
  if (/^\((Not all processes could be identified|No info could be read for)/.test(t)) return { kind: 'banner', unix: false };
  if (/^will not be shown, you would have to be root/.test(t)) return { kind: 'banner', unix: false };
  if (LINUX_NETSTAT_HEADER.test(t)) return { kind: 'header', tool: 'netstat', platform: 'linux', netid: false };
  if (WINDOWS_NETSTAT_HEADER.test(t)) return { kind: 'header', tool: 'netstat', platform: 'windows', netid: false };
  const ss = SS_HEADER.exec(t);
  if (ss) return { kind: 'header', tool: 'ss', platform: 'linux', netid: ss[1] !== undefined };
  if (UNIX_HEADER.test(t)) return { kind: 'banner', unix: true };
  const p = PROMPT.exec(t);
  if (p) return { kind: 'prompt', command: p[1] };
  return { kind: 'other' };
}

const LINUX_STATE: Record<string, string> = {
  ESTAB: 'ESTABLISHED', 'SYN-SENT': 'SYN_SENT', 'SYN-RECV': 'SYN_RECV', 'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2', 'TIME-WAIT': 'TIME_WAIT', 'CLOSE-WAIT': 'CLOSE_WAIT', 'LAST-ACK': 'LAST_ACK',
  CLOSED: 'CLOSE', UNCONN: 'UNCONN',
  // Windows spellings
  LISTENING: 'LISTEN', SYN_RECEIVED: 'SYN_RECV', FIN_WAIT_1: 'FIN_WAIT1', FIN_WAIT_2: 'FIN_WAIT2',
};
const SS_STATES = new Set(['ESTAB', 'LISTEN', 'UNCONN', 'TIME-WAIT', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1',
  'FIN-WAIT-2', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSING', 'CLOSE', 'CLOSED', 'UNKNOWN']);
const NETSTAT_STATES = new Set(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'UNKNOWN']);
const WINDOWS_STATES = new Set(['LISTENING', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT', 'SYN_SENT', 'SYN_RECEIVED',
  'FIN_WAIT_1', 'FIN_WAIT_2', 'LAST_ACK', 'CLOSING', 'CLOSED', 'BOUND', 'DELETE_TCB']);

export function canonicalState(s: string): string {
  return LINUX_STATE[s] ?? s;
}

/** What went wrong with a row-shaped line, or the row. */
export type RowResult =
  | { ok: true; rec: Omit<SocketRecord, 'line'> }
  | { ok: false; reason: string };

function endpoints(
  localText: string,
  remoteText: string,
  rec: Partial<SocketRecord>,
  masked: string[],
): { l: Endpoint; r: Endpoint } | string {
  const l = parseEndpoint(localText);
  const r = parseEndpoint(remoteText);
  if (!l) return `local address "${localText}" is not a numeric address:port (names need -n)`;
  if (!r) return `foreign address "${remoteText}" is not a numeric address:port (names need -n)`;
  if (l.ipMasked) masked.push('localIp');
  if (l.portMasked) masked.push('localPort');
  if (r.ipMasked) masked.push('remoteIp');
  if (r.portMasked) masked.push('remotePort');
  rec.localIp = l.ip;
  rec.localPort = l.port;
  rec.remoteIp = r.ip;
  rec.remotePort = r.port;
  if (l.zone !== undefined) rec.localZone = l.zone;
  if (r.zone !== undefined) rec.remoteZone = r.zone;
  return { l, r };
}

function family(protoToken: string, l: Endpoint, r: Endpoint): 4 | 6 | null {
  if (l.version !== null && !l.ipMasked) return l.version;
  if (r.version !== null && !r.ipMasked) return r.version;
  if (l.version !== null) return l.version;
  if (r.version !== null) return r.version;
  return protoToken.endsWith('6') ? 6 : null;
}

function finish(rec: Partial<SocketRecord>, masked: string[]): Omit<SocketRecord, 'line'> {
  if (masked.length > 0) rec.masked = masked;
  return rec as Omit<SocketRecord, 'line'>;
}

const LINUX_PROTO = /^(tcp6?|udp6?|udpl6?|raw6?|sctp6?)$/;
/**
 * -o adds a timer column after the program: `off (0.00/0/0)`, `keepalive (7190.05/0/0)`. Cut by
 * hand: a trailing `\s+...$` regex is quadratic on hostile whitespace runs.
 */
function stripTimer(t: string): string {
  if (!t.endsWith(')')) return t;
  const open = t.lastIndexOf('(');
  if (open < 0 || t.indexOf(')', open) !== t.length - 1) return t;
  const before = t.slice(0, open).trimEnd();
  const word = before.slice(before.lastIndexOf(' ') + 1);
  return /^(?:off|on|keepalive|timewait|probe|unkn-\d+)$/.test(word) ? before.slice(0, before.length - word.length).trimEnd() : t;
}

/** A Linux `netstat -t/-u [-a] [-n] [-p] [-e] [-o]` row. */
export function parseLinuxNetstatRow(line: string): RowResult | null {
  const t = stripTimer(line.trim());
  const tok = t.split(/\s+/);
  if (tok.length < 5 || !LINUX_PROTO.test(tok[0]) || !/^\d+$/.test(tok[1]) || !/^\d+$/.test(tok[2])) return null;
  const masked: string[] = [];
  const proto = tok[0].replace(/6$/, '').replace(/^udpl$/, 'udplite');
  const rec: Partial<SocketRecord> = { tool: 'netstat', platform: 'linux', proto, recvQ: Number(tok[1]), sendQ: Number(tok[2]) };
  const eps = endpoints(tok[3], tok[4], rec, masked);
  if (typeof eps === 'string') return { ok: false, reason: eps };
  rec.ipVersion = family(tok[0], eps.l, eps.r);
  let i = 5;
  let rawState = '';
  // UDP rows usually leave State empty; raw sockets print a protocol number there.
  if (i < tok.length && (NETSTAT_STATES.has(tok[i]) || (proto === 'raw' && /^\d+$/.test(tok[i])))) rawState = tok[i++];
  else if (i < tok.length && /^[A-Z][A-Z0-9_]{2,}$/.test(tok[i])) rawState = tok[i++];
  rec.rawState = rawState;
  rec.state = rawState === '' ? (proto === 'tcp' ? 'UNKNOWN' : 'UNCONN') : rawState;
  // -e puts User and Inode before PID/Program; find the PID/Program cell by its shape.
  let j = i;
  while (j < tok.length && !/^(?:\d+|[\dxX]+)\/|^-$/.test(tok[j])) j++;
  if (j < tok.length) {
    const cell = tok.slice(j).join(' ');
    if (cell !== '-') {
      const slash = cell.indexOf('/');
      const pidText = cell.slice(0, slash);
      const program = cell.slice(slash + 1);
      if (/^\d+$/.test(pidText)) rec.pid = Number(pidText);
      else masked.push('pid');
      if (program !== '') rec.program = program;
    }
  } else if (j > i + 2) {
    return { ok: false, reason: `unexpected text after the state: "${tok.slice(i).join(' ')}"` };
  }
  return { ok: true, rec: finish(rec, masked) };
}

/**
 * ss -i/-m's indented second line: the kernel's tcp_info (retransmits, RTT, bytes, idle times)
 * and socket memory. Only the fields forensics reads are kept; null when the line has none.
 */
export function ssTcpInfo(line: string): NonNullable<SocketRecord['tcpInfo']> | null {
  const info: NonNullable<SocketRecord['tcpInfo']> = {};
  const num = (k: string): number | undefined => {
    const m = new RegExp(`(?:^|\\s)${k}:(\\d+(?:\\.\\d+)?)(?=\\s|$|/)`).exec(line);
    return m ? Number(m[1]) : undefined;
  };
  const rtt = /(?:^|\s)rtt:(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)/.exec(line);
  if (rtt) { info.rttMs = Number(rtt[1]); info.rttVarMs = Number(rtt[2]); }
  const re = /(?:^|\s)retrans:(\d+)\/(\d+)/.exec(line);
  if (re) { info.retransNow = Number(re[1]); info.retransTotal = Number(re[2]); }
  for (const [k, f] of [['rto', 'rtoMs'], ['cwnd', 'cwnd'], ['bytes_sent', 'bytesSent'], ['bytes_acked', 'bytesAcked'], ['bytes_received', 'bytesReceived'],
    ['bytes_retrans', 'bytesRetrans'], ['lastsnd', 'lastSendMs'], ['lastrcv', 'lastRecvMs'], ['lastack', 'lastAckMs'], ['unacked', 'unacked'], ['lost', 'lost']] as const) {
    const v = num(k);
    if (v !== undefined) info[f] = v;
  }
  const skmem = /skmem:\(([^)]*)\)/.exec(line);
  if (skmem) info.skmem = skmem[1];
  return Object.keys(info).length > 0 ? info : null;
}

/** A Windows `netstat -an`/`-aon` row: `TCP 10.0.0.4:80 10.0.0.5:9818 ESTABLISHED 4`. */
export function parseWindowsNetstatRow(line: string): RowResult | null {
  const tok = line.trim().split(/\s+/);
  if (tok.length < 3 || !/^(TCP|UDP)$/.test(tok[0])) return null;
  const masked: string[] = [];
  const rec: Partial<SocketRecord> = { tool: 'netstat', platform: 'windows', proto: tok[0].toLowerCase() };
  const eps = endpoints(tok[1], tok[2], rec, masked);
  if (typeof eps === 'string') return { ok: false, reason: eps };
  rec.ipVersion = family('', eps.l, eps.r);
  let i = 3;
  let rawState = '';
  if (i < tok.length && WINDOWS_STATES.has(tok[i])) rawState = tok[i++];
  rec.rawState = rawState;
  rec.state = rawState === '' ? 'UNCONN' : canonicalState(rawState);
  if (i < tok.length) {
    if (/^\d+$/.test(tok[i])) rec.pid = Number(tok[i]);
    else if (isMaskedText(tok[i])) masked.push('pid');
    else return { ok: false, reason: `"${tok[i]}" is not a PID` };
    i++;
  }
  if (i < tok.length) return { ok: false, reason: `unexpected text "${tok.slice(i).join(' ')}"` };
  return { ok: true, rec: finish(rec, masked) };
}

const SS_NETID = /^(tcp|udp|raw|mptcp|sctp|dccp|tipc|u_str|u_dgr|u_seq|p_raw|p_dgr|nl|v_str|v_dgr|xdp|icmp6?)$/;
const USERS = /\("((?:[^"\\]|\\.)*)",pid=(\d+)(?:,fd=(\d+))?\)/g;

/**
 * An `ss` row, with or without the Netid column. Returns `{ok:false, reason:'non-ip'}` for
 * unix/netlink/packet sockets, which ss lists in the same table.
 */
export function parseSsRow(line: string, withNetid: boolean | null, protoHint?: string): RowResult | null {
  const tok = line.trim().split(/\s+/);
  let k = 0;
  let netid: string | undefined;
  const hasNetid = withNetid ?? SS_NETID.test(tok[0]);
  if (hasNetid) {
    if (!SS_NETID.test(tok[0])) return null;
    netid = tok[k++];
  }
  if (tok.length < k + 5 || !SS_STATES.has(tok[k]) || !/^\d+$/.test(tok[k + 1]) || !/^\d+$/.test(tok[k + 2])) return null;
  if (netid !== undefined && /^(u_|p_|nl|v_|xdp|tipc)/.test(netid)) return { ok: false, reason: 'non-ip' };
  const rawState = tok[k];
  const masked: string[] = [];
  const rec: Partial<SocketRecord> = { tool: 'ss', platform: 'linux', recvQ: Number(tok[k + 1]), sendQ: Number(tok[k + 2]) };
  if (netid !== undefined) rec.proto = netid;
  else if (protoHint !== undefined) rec.proto = protoHint;
  else {
    // Without Netid, `ss -t` and `ss -u` tables look alike; UNCONN only exists for datagram sockets.
    rec.proto = rawState === 'UNCONN' ? 'udp' : 'tcp';
    rec.protoGuessed = true;
  }
  const eps = endpoints(tok[k + 3], tok[k + 4], rec, masked);
  if (typeof eps === 'string') return { ok: false, reason: eps };
  rec.ipVersion = family('', eps.l, eps.r);
  rec.rawState = rawState;
  rec.state = canonicalState(rawState);
  const rest = tok.slice(k + 5).join(' ');
  const users = /users:\(\((.*)\)\)/.exec(rest);
  if (users) {
    const procs: { program: string; pid: number; fd?: number }[] = [];
    for (const m of `(${users[1]})`.matchAll(USERS)) {
      const p: { program: string; pid: number; fd?: number } = { program: m[1].replace(/\\(.)/g, '$1'), pid: Number(m[2]) };
      if (m[3] !== undefined) p.fd = Number(m[3]);
      procs.push(p);
    }
    if (procs.length > 0) {
      rec.processes = procs;
      rec.pid = procs[0].pid;
      rec.program = procs[0].program;
    }
  }
  // ss -e: the socket's owner uid, inode and kernel cookie.
  const uid = /(?:^|\s)uid:(\d+)/.exec(rest);
  const ino = /(?:^|\s)ino:(\d+)/.exec(rest);
  const sk = /(?:^|\s)sk:([0-9a-f]+)/.exec(rest);
  if (uid) rec.uid = Number(uid[1]);
  if (ino) rec.inode = Number(ino[1]);
  if (sk) rec.cookie = sk[1];
  return { ok: true, rec: finish(rec, masked) };
}
