import { isMaskedText, parseEndpoint, parseIpText } from '../netstat/address.js';
import type { TcpEventType } from '../tcptracer/types.js';
import type { IgHeader } from './columns.js';
import type { IgRecord, K8sEndpoint } from './types.js';

export type IgRowOutcome = { ok: true; rec: Omit<IgRecord, 'line'> } | { ok: false; reason: string };

const EVENTS: Record<string, TcpEventType> = {
  C: 'connect', A: 'accept', X: 'close', U: 'unknown',
  connect: 'connect', accept: 'accept', close: 'close', unknown: 'unknown',
};

/** The kernel's TCP states (include/net/tcp_states.h): image-based snapshot_socket prints the number. */
const TCP_STATES = ['', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV'];

export function tcpStateName(v: string | number): string {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && TCP_STATES[n] ? TCP_STATES[n] : String(v).toUpperCase();
}

/** IG's column cut: the cell ends with `…` and holds only a prefix of the value. */
export const isCut = (s: string): boolean => s.endsWith('…');

interface Side {
  ip: string | null;
  port: number | null;
  version: 4 | 6 | null;
  k8s?: K8sEndpoint;
}

/**
 * IG endpoints: `p/ns/pod:port` and `s/ns/svc:port` (IG resolved the address to a Kubernetes
 * name), `r/ip:port` / `o/ip:port` (raw / other), or a bare `ip:port`.
 */
export function igEndpoint(text: string): Side | null {
  const k = /^([ps])\/([^/]+)\/([^:]+):(\d+)$/.exec(text);
  if (k) return { ip: null, port: Number(k[4]), version: null, k8s: { kind: k[1] === 'p' ? 'pod' : 'service', namespace: k[2], name: k[3] } };
  const ep = parseEndpoint(text.replace(/^[ro]\//, ''));
  if (!ep || ep.ip === '*' || ep.ipMasked) return null;
  return { ip: ep.ip, port: ep.port, version: ep.version };
}

/** trace network's REMOTE: `svc ns/name`, `pod ns/name`, `endpoint 1.1.1.1`, or a bare IP. */
function remoteOf(text: string): Side | null {
  const m = /^(svc|pod|endpoint|raw|other)\s+(\S+)$/.exec(text);
  const body = m ? m[2] : text;
  if (m && (m[1] === 'svc' || m[1] === 'pod')) {
    const nn = /^([^/]+)\/(.+)$/.exec(body);
    if (!nn) return null;
    return { ip: null, port: null, version: null, k8s: { kind: m[1] === 'pod' ? 'pod' : 'service', namespace: nn[1], name: nn[2] } };
  }
  const ip = parseIpText(body);
  return ip ? { ip: ip.ip, port: null, version: ip.version } : null;
}

/** `296B`, `15.49KiB`, `42652`: top tcp's byte counts, human-readable in older releases. */
export function sizeToBytes(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB|kB|MB|GB|TB)?$/.exec(s);
  if (!m) return null;
  const mult: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
  return Math.round(Number(m[1]) * (m[2] ? mult[m[2]] : 1));
}

/** ISO times IG prints (`2024-08-02T01:03:15.022231308+02:00`) to epoch µs. */
export function isoToUs(s: string): number | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(s);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return ms * 1000 + Number((m[2] ?? '').slice(0, 6).padEnd(6, '0'));
}

const NETNS_MIN = 0xf0000000;

export function buildIgRow(cells: string[], h: IgHeader): IgRowOutcome {
  const rec: Partial<IgRecord> = { gadget: h.gadget, form: 'columns' };
  const k8s: NonNullable<IgRecord['k8s']> = {};
  const truncated: Record<string, string> = {};
  const masked: string[] = [];
  let src: Side | undefined;
  let dst: Side | undefined;
  let sport: number | null = null;
  let dport: number | null = null;
  let port: number | null = null;
  let remote: Side | undefined;
  let ipCol: 4 | 6 | undefined;
  for (let i = 0; i < h.cols.length; i++) {
    const v = cells[i];
    const col = h.cols[i];
    const name = h.names[i];
    if (isCut(v) && col !== 'other') {
      truncated[col] = v;
      continue;
    }
    switch (col) {
      case 'node': case 'namespace': case 'pod': case 'container':
        if (v !== '' && v !== '<>') k8s[col] = v;
        break;
      case 'runtimeContainer':
        if (v !== '') rec.runtime = { containerName: v };
        break;
      case 'type': {
        if (h.gadget === 'trace_network') {
          if (!/^(OUTGOING|INCOMING)$/i.test(v)) return { ok: false, reason: `TYPE "${v}" is not OUTGOING or INCOMING` };
          rec.direction = v.toLowerCase() as 'outgoing' | 'incoming';
        } else {
          const e = EVENTS[v];
          if (!e) return { ok: false, reason: `"${v}" is not a trace tcp event type` };
          rec.event = e;
        }
        break;
      }
      case 'pid': case 'tid': case 'uid': case 'gid': case 'netns': case 'mntns': {
        if (v === '') break;
        if (!/^\d+$/.test(v)) {
          if (isMaskedText(v)) { masked.push(col); break; }
          return { ok: false, reason: `${name} "${v}" is not a number` };
        }
        const n = Number(v);
        if ((col === 'netns' || col === 'mntns') && (n < NETNS_MIN || n > 0xffffffff)) return { ok: false, reason: `${name} ${n} is not a namespace inode` };
        rec[col] = n;
        break;
      }
      case 'comm':
        rec.comm = v;
        break;
      case 'ip':
        if (v !== '4' && v !== '6') return { ok: false, reason: `IP "${v}" is not 4 or 6` };
        ipCol = v === '4' ? 4 : 6;
        break;
      case 'src': case 'dst': {
        const s = igEndpoint(v);
        if (!s) return { ok: false, reason: `${name} "${v}" is not an endpoint` };
        if (col === 'src') { src = s; sport = s.port; } else { dst = s; dport = s.port; }
        break;
      }
      case 'saddr': case 'daddr': {
        const ip = parseIpText(v);
        if (!ip) return { ok: false, reason: `${name} "${v}" is not an IP address` };
        const s: Side = { ip: ip.ip, port: null, version: ip.version };
        if (col === 'saddr') src = s; else dst = s;
        break;
      }
      case 'sport': case 'dport': case 'port': {
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) return { ok: false, reason: `${name} "${v}" is not a port` };
        if (col === 'sport') sport = Number(v); else if (col === 'dport') dport = Number(v); else port = Number(v);
        break;
      }
      case 'remote': {
        const r = remoteOf(v);
        if (!r) return { ok: false, reason: `REMOTE "${v}" is not an address or Kubernetes name` };
        remote = r;
        break;
      }
      case 'proto': {
        const p = v.toLowerCase();
        if (p !== 'tcp' && p !== 'udp') return { ok: false, reason: `${name} "${v}" is not TCP or UDP` };
        rec.proto = p;
        break;
      }
      case 'sent': case 'recv': {
        const b = sizeToBytes(v);
        if (b === null) return { ok: false, reason: `${name} "${v}" is not a byte count` };
        if (col === 'sent') rec.sentBytes = b; else rec.recvBytes = b;
        break;
      }
      case 'state':
        rec.state = tcpStateName(v);
        break;
      case 'timestamp': {
        const us = isoToUs(v);
        if (us === null) return { ok: false, reason: `TIMESTAMP "${v}" is not an ISO time` };
        rec.tsUs = us;
        break;
      }
      default:
        break;
    }
  }
  if (h.gadget === 'trace_network') {
    if (!remote || !rec.direction) return { ok: false, reason: 'row lacks its remote peer or direction' };
    const out = rec.direction === 'outgoing';
    src = out ? { ip: null, port: null, version: null } : remote;
    dst = out ? remote : { ip: null, port: null, version: null };
    // PORT is the remote's port for OUTGOING and the pod's own (listening) port for INCOMING.
    dport = port;
  }
  if (!src || !dst) return { ok: false, reason: 'row lacks an endpoint' };
  if (h.gadget === 'trace_tcpconnect') rec.event = 'connect';
  rec.saddr = src.ip;
  rec.daddr = dst.ip;
  rec.sport = sport;
  rec.dport = dport;
  if (src.k8s) rec.srcK8s = src.k8s;
  if (dst.k8s) rec.dstK8s = dst.k8s;
  if (rec.pid === undefined) rec.pid = null;
  if (rec.comm === undefined) rec.comm = '';
  rec.ipVersion = ipCol ?? src.version ?? dst.version ?? null;
  if (Object.keys(k8s).length > 0) rec.k8s = k8s;
  if (Object.keys(truncated).length > 0) rec.truncated = truncated;
  if (masked.length > 0) rec.masked = masked;
  return { ok: true, rec: rec as Omit<IgRecord, 'line'> };
}
