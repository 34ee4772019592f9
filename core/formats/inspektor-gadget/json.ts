/**
 * Inspektor Gadget `-o json` (one object a line), `-o jsonpretty` / `| jq` (one object over many
 * lines) and arrays. Three schemas are in the wild: the early flat one (node/namespace/pod,
 * saddr/daddr, operation), the built-in gadgets' (src/dst objects, netnsid, mountnsid) and the
 * image-based one (k8s{}, runtime{}, src/dst{addr,port,kind,name}, netns_id, type).
 */
import { parseIpText } from '../netstat/address.js';
import type { TcpEventType } from '../tcptracer/types.js';
import { isoToUs, tcpStateName } from './row.js';
import type { IgGadget, IgRecord, K8sEndpoint } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== '<>' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const EVENTS = new Set(['connect', 'accept', 'close', 'unknown']);

/** An object IG printed: it carries Kubernetes/runtime enrichment and some process or socket field. */
export function looksLikeIgObject(o: Obj): boolean {
  const enriched = isObj(o.k8s) || isObj(o.runtime) || ('node' in o && 'namespace' in o && 'pod' in o);
  const event = ['src', 'dst', 'saddr', 'daddr', 'netns_id', 'netnsid', 'mntns_id', 'mountnsid', 'pid', 'comm'].some((k) => k in o);
  return enriched && event;
}

interface Side {
  ip: string | null;
  port: number | null;
  version: 4 | 6 | null;
  k8s?: K8sEndpoint;
}

function sideOf(v: unknown, addr: unknown, port: unknown): Side | undefined {
  if (isObj(v)) {
    const ip = typeof v.addr === 'string' ? parseIpText(v.addr) : null;
    const kind = str(v.kind);
    const name = str(v.name) ?? str(v.podname);
    const ns = str(v.namespace);
    const s: Side = { ip: ip?.ip ?? null, port: int(v.port) ?? null, version: ip?.version ?? (v.v === 4 || v.v === 6 ? v.v : null) };
    if ((kind === 'pod' || kind === 'svc' || kind === 'service') && name && ns) s.k8s = { kind: kind === 'pod' ? 'pod' : 'service', namespace: ns, name };
    return s;
  }
  if (typeof addr === 'string') {
    const ip = parseIpText(addr);
    if (ip) return { ip: ip.ip, port: int(port) ?? null, version: ip.version };
  }
  return undefined;
}

function gadgetOfObject(o: Obj, hint: IgGadget | undefined): IgGadget {
  if (hint) return hint;
  const ev = typeof o.operation === 'string' ? o.operation : typeof o.type === 'string' ? o.type : '';
  if (EVENTS.has(ev)) return 'trace_tcp';
  if ('sent' in o && ('received' in o || 'recv' in o)) return 'top_tcp';
  if ('pkt_type' in o || 'pktType' in o) return 'trace_network';
  if (('state' in o || 'status' in o) && ('src' in o || 'saddr' in o) && !('reason' in o)) return 'snapshot_socket';
  return 'other';
}

/** One IG JSON object to a record; null for IG's own messages (`"type":"debug"`) and foreign objects. */
export function igRecordOfObject(o: Obj, line: number, hint?: IgGadget): IgRecord | null {
  if (!looksLikeIgObject(o) || o.type === 'debug' || o.type === 'err' || o.type === 'warn') return null;
  const gadget = gadgetOfObject(o, hint);
  const src = sideOf(o.src, o.saddr, o.sport);
  const dst = sideOf(o.dst, o.daddr, o.dport);
  const rec: IgRecord = {
    gadget, form: 'json', pid: int(o.pid) ?? null, comm: str(o.comm) ?? '',
    ipVersion: o.ipversion === 4 || o.ipversion === 6 ? o.ipversion : src?.version ?? dst?.version ?? null,
    saddr: src?.ip ?? null, sport: src?.port ?? null, daddr: dst?.ip ?? null, dport: dst?.port ?? null, line,
  };
  if (src?.k8s) rec.srcK8s = src.k8s;
  if (dst?.k8s) rec.dstK8s = dst.k8s;
  const ev = typeof o.operation === 'string' ? o.operation : typeof o.type === 'string' ? o.type : undefined;
  if (ev && EVENTS.has(ev)) rec.event = ev as TcpEventType;
  else if (gadget === 'trace_tcpconnect') rec.event = 'connect';
  for (const k of ['tid', 'uid', 'gid'] as const) {
    const n = int(o[k]);
    if (n !== undefined) rec[k] = n;
  }
  const netns = int(o.netns_id) ?? int(o.netnsid) ?? int(o.netns);
  if (netns !== undefined && netns > 0) rec.netns = netns;
  const mntns = int(o.mntns_id) ?? int(o.mountnsid);
  if (mntns !== undefined && mntns > 0) rec.mntns = mntns;
  const k = isObj(o.k8s) ? o.k8s : o;
  const k8s: NonNullable<IgRecord['k8s']> = {};
  const node = str(k.node) ?? str(k.nodeName);
  const namespace = str(k.namespace);
  const pod = str(k.pod) ?? str(k.podName) ?? str(k.podname);
  const container = str(k.container) ?? str(k.containerName);
  if (node) k8s.node = node;
  if (namespace) k8s.namespace = namespace;
  if (pod) k8s.pod = pod;
  if (container) k8s.container = container;
  if (typeof k.hostnetwork === 'boolean' && (k.hostnetwork || pod)) k8s.hostNetwork = k.hostnetwork;
  if (Object.keys(k8s).length > 0) rec.k8s = k8s;
  if (isObj(o.runtime)) {
    const rt: NonNullable<IgRecord['runtime']> = {};
    const n = str(o.runtime.containerName);
    const id = str(o.runtime.containerId);
    const r = str(o.runtime.runtimeName);
    if (n) rt.containerName = n;
    if (id) rt.containerId = id;
    if (r) rt.runtimeName = r;
    if (Object.keys(rt).length > 0) rec.runtime = rt;
  }
  if (typeof o.timestamp === 'string') {
    const us = isoToUs(o.timestamp);
    if (us !== null) rec.tsUs = us;
  } else if (typeof o.timestamp === 'number' && o.timestamp > 1e17) {
    rec.tsUs = Math.floor(o.timestamp / 1000); // built-in gadgets: wall-clock ns
  }
  const proto = typeof o.proto === 'string' ? o.proto.toLowerCase() : isObj(o.dst) && typeof o.dst.proto === 'string' ? o.dst.proto.toLowerCase() : undefined;
  if (proto === 'tcp' || proto === 'udp') rec.proto = proto;
  const sent = int(o.sent);
  const recv = int(o.received) ?? int(o.recv);
  if (sent !== undefined) rec.sentBytes = sent;
  if (recv !== undefined) rec.recvBytes = recv;
  const state = o.state ?? o.status;
  if (typeof state === 'string' || typeof state === 'number') rec.state = tcpStateName(state);
  return rec;
}

export interface JsonChunk {
  text: string;
  line: number;
}

/**
 * Cuts the top-level JSON values out of a text that may mix them with prompts and log lines:
 * a value starts on a line beginning with `{` or `[` and ends where its brackets balance.
 */
export function jsonChunks(lines: string[], isJsonStart: (i: number) => boolean): { chunks: JsonChunk[]; taken: Set<number> } {
  const chunks: JsonChunk[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (!isJsonStart(i)) continue;
    let depth = 0;
    let inStr = false;
    let esc = false;
    let end = -1;
    for (let j = i; j < lines.length && end < 0; j++) {
      for (const ch of lines[j]) {
        if (inStr) {
          if (esc) esc = false;
          else if (ch === '\\') esc = true;
          else if (ch === '"') inStr = false;
        } else if (ch === '"') inStr = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) { end = j; break; }
        }
      }
    }
    if (end < 0) end = lines.length - 1; // unbalanced: the parse below reports it
    chunks.push({ text: lines.slice(i, end + 1).join('\n'), line: i + 1 });
    for (let j = i; j <= end; j++) taken.add(j);
    i = end;
  }
  return { chunks, taken };
}
