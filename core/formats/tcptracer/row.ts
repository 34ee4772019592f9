import { isMaskedText, parseEndpoint, parseIpText, secondsTextToUs } from '../netstat/address.js';
import type { Header } from './columns.js';
import type { K8sEndpoint, TcpEventType, TcpTracerRecord } from './types.js';

const TYPES: Record<string, TcpEventType> = {
  C: 'connect', A: 'accept', X: 'close', U: 'unknown',
  connect: 'connect', accept: 'accept', close: 'close', unknown: 'unknown',
};

export type RowOutcome = { ok: true; rec: Omit<TcpTracerRecord, 'line'> } | { ok: false; reason: string };

interface Side {
  ip: string | null;
  port: number | null;
  k8s?: K8sEndpoint;
  version: 4 | 6 | null;
}

/** Inspektor Gadget endpoints: `p/ns/pod:port`, `s/ns/svc:port`, `r/ip:port`, `o/ip:port`, `ip:port`. */
function igEndpoint(text: string, field: 'saddr' | 'daddr', masked: string[]): Side | string {
  const k = /^([ps])\/([^/]+)\/([^:]+):(\d+)$/.exec(text);
  if (k) {
    return { ip: null, port: Number(k[4]), version: null, k8s: { kind: k[1] === 'p' ? 'pod' : 'service', namespace: k[2], name: k[3] } };
  }
  const ep = parseEndpoint(text.replace(/^[ro]\//, ''));
  if (!ep || ep.ip === '*') return `${field === 'saddr' ? 'SRC' : 'DST'} "${text}" is not an endpoint`;
  if (ep.ipMasked) masked.push(field);
  if (ep.portMasked) masked.push(field === 'saddr' ? 'sport' : 'dport');
  return { ip: ep.ip, port: ep.port, version: ep.version };
}

function intCell(text: string, field: string, masked: string[]): number | null | string {
  if (/^\d+$/.test(text)) return Number(text);
  if (isMaskedText(text)) {
    masked.push(field);
    return null;
  }
  return `${field} "${text}" is not a number`;
}

function addrCell(text: string, field: 'saddr' | 'daddr', masked: string[]): Side | string {
  const ip = parseIpText(text);
  if (ip) return { ip: ip.ip, port: null, version: ip.version };
  if (isMaskedText(text)) {
    masked.push(field);
    return { ip: text, port: null, version: null };
  }
  return `${field.toUpperCase()} "${text}" is not an IP address`;
}

/** Absolute TIMESTAMP cells (`2024-01-16T10:43:42.123456789Z`) to epoch µs. */
function isoToUs(s: string): number | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(s);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return ms * 1000 + Number((m[2] ?? '').slice(0, 6).padEnd(6, '0'));
}

export function buildRecord(cells: string[], h: Header, netnsFilter: number | undefined): RowOutcome {
  const masked: string[] = [];
  const rec: Partial<TcpTracerRecord> = { tool: h.ig ? 'inspektor-gadget' : 'bcc' };
  let src: Side | undefined;
  let dst: Side | undefined;
  let sport: number | null = null;
  let dport: number | null = null;
  let ipCol: 4 | 6 | undefined;
  const k8s: NonNullable<TcpTracerRecord['k8s']> = {};
  for (let i = 0; i < h.cols.length; i++) {
    const v = cells[i];
    switch (h.cols[i]) {
      case 'timeS': {
        const us = secondsTextToUs(v);
        if (us !== null) { rec.tsUs = us; rec.tsRelative = true; }
        else if (isMaskedText(v)) masked.push('tsUs');
        else return { ok: false, reason: `TIME(s) "${v}" is not a time` };
        break;
      }
      case 'timeNs': {
        if (/^\d+$/.test(v)) { rec.tsUs = Number(BigInt(v) / 1000n); rec.tsRelative = true; }
        else if (isMaskedText(v)) masked.push('tsUs');
        else return { ok: false, reason: `TIME(ns) "${v}" is not a time` };
        break;
      }
      case 'timestamp': {
        const us = isoToUs(v);
        if (us === null) return { ok: false, reason: `TIMESTAMP "${v}" is not an ISO time` };
        rec.tsUs = us;
        break;
      }
      case 'type': {
        const t = TYPES[v];
        if (!t) return { ok: false, reason: `"${v}" is not a tcptracer event type` };
        rec.type = t;
        break;
      }
      case 'pid': case 'tid': case 'uid': case 'gid': case 'netns': {
        const col = h.cols[i] as 'pid' | 'tid' | 'uid' | 'gid' | 'netns';
        const n = intCell(v, col, masked);
        if (typeof n === 'string') return { ok: false, reason: n };
        // Namespace inodes come from the proc inode range (0xF0000000 and up): anything else is a cut or wrong column.
        if (col === 'netns' && n !== null && (n < 0xf0000000 || n > 0xffffffff)) return { ok: false, reason: `NETNS ${n} is not a namespace inode` };
        if (n !== null) rec[col] = n;
        break;
      }
      case 'comm':
        rec.comm = v;
        break;
      case 'ip':
        if (v !== '4' && v !== '6') return { ok: false, reason: `IP "${v}" is not 4 or 6` };
        ipCol = v === '4' ? 4 : 6;
        break;
      case 'saddr': case 'daddr': {
        const s = addrCell(v, h.cols[i] as 'saddr' | 'daddr', masked);
        if (typeof s === 'string') return { ok: false, reason: s };
        if (h.cols[i] === 'saddr') src = s; else dst = s;
        break;
      }
      case 'sport': case 'dport': {
        const n = intCell(v, h.cols[i], masked);
        if (typeof n === 'string') return { ok: false, reason: n };
        if (n !== null && n > 65535) return { ok: false, reason: `port ${n} is out of range` };
        if (h.cols[i] === 'sport') sport = n; else dport = n;
        break;
      }
      case 'src': case 'dst': {
        const s = igEndpoint(v, h.cols[i] === 'src' ? 'saddr' : 'daddr', masked);
        if (typeof s === 'string') return { ok: false, reason: s };
        if (h.cols[i] === 'src') { src = s; sport = s.port; } else { dst = s; dport = s.port; }
        break;
      }
      case 'node': case 'namespace': case 'pod': case 'container':
        if (v !== '' && v !== '<>') k8s[h.cols[i] as 'node' | 'namespace' | 'pod' | 'container'] = v;
        break;
      default:
        break;
    }
  }
  if (!src || !dst || rec.type === undefined) return { ok: false, reason: 'row lacks an endpoint or event type' };
  rec.saddr = src.ip;
  rec.daddr = dst.ip;
  rec.sport = sport;
  rec.dport = dport;
  if (src.k8s) rec.srcK8s = src.k8s;
  if (dst.k8s) rec.dstK8s = dst.k8s;
  if (rec.pid === undefined) rec.pid = null;
  if (rec.comm === undefined) rec.comm = '';
  rec.ipVersion = ipCol ?? src.version ?? dst.version ?? null;
  if (rec.netns === undefined && netnsFilter !== undefined && !h.cols.includes('netns')) rec.netns = netnsFilter;
  if (Object.keys(k8s).length > 0) rec.k8s = k8s;
  if (masked.length > 0) rec.masked = masked;
  return { ok: true, rec: rec as Omit<TcpTracerRecord, 'line'> };
}
