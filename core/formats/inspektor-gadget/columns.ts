/**
 * Inspektor Gadget tables: every gadget and release names, orders and pads its columns
 * differently (built-in gadgets, image-based `run`, `-o columns=...`), so a header is read by
 * its names and each name decides what its cell means.
 */
import type { IgGadget } from './types.js';

export type IgCol =
  | 'node' | 'namespace' | 'pod' | 'container' | 'runtimeContainer'
  | 'type' | 'pid' | 'tid' | 'uid' | 'gid' | 'comm' | 'ip'
  | 'src' | 'dst' | 'saddr' | 'daddr' | 'sport' | 'dport'
  | 'netns' | 'mntns' | 'timestamp' | 'proto' | 'port' | 'remote'
  | 'sent' | 'recv' | 'state' | 'other';

const NAMES: Record<string, IgCol> = {
  'K8S.NODE': 'node', NODE: 'node',
  'K8S.NAMESPACE': 'namespace', NAMESPACE: 'namespace',
  'K8S.PODNAME': 'pod', 'K8S.POD': 'pod', POD: 'pod',
  'K8S.CONTAINERNAME': 'container', 'K8S.CONTAINER': 'container', CONTAINER: 'container',
  'RUNTIME.CONTAINERNAME': 'runtimeContainer',
  T: 'type', TYPE: 'type',
  PID: 'pid', TID: 'tid', UID: 'uid', GID: 'gid', COMM: 'comm', IP: 'ip',
  SRC: 'src', DST: 'dst', SADDR: 'saddr', DADDR: 'daddr', SPORT: 'sport', DPORT: 'dport',
  NETNS: 'netns', NETNSID: 'netns', NETNS_ID: 'netns', MNTNS: 'mntns', MNTNSID: 'mntns', MNTNS_ID: 'mntns',
  TIMESTAMP: 'timestamp',
  PROTO: 'proto', PROTOCOL: 'proto', PORT: 'port', REMOTE: 'remote',
  SENT: 'sent', RECV: 'recv', RECEIVED: 'recv',
  STATE: 'state', STATUS: 'state',
};

/** Columns that only Inspektor Gadget prints (bcc and others never enrich with Kubernetes or runtime names). */
const IG_ONLY: IgCol[] = ['node', 'namespace', 'pod', 'container', 'runtimeContainer', 'src', 'dst'];

export interface IgHeader {
  cols: IgCol[];
  names: string[];
  /** Start offset of each cell (IG pads every cell to the header, and leaves some blank). */
  starts: number[];
  gadget: IgGadget;
}

/** `K8S.PODNAMECONTAINER`: two names printed without a space when the first filled its width. */
function splitGlued(name: string): string[] | null {
  for (let i = 1; i < name.length; i++) {
    const a = name.slice(0, i);
    const b = name.slice(i);
    if (NAMES[a] && NAMES[b]) return [a, b];
  }
  return null;
}

/** The gadget a header belongs to, from the columns only that gadget prints. */
export function gadgetOf(cols: IgCol[]): IgGadget | null {
  const has = (c: IgCol): boolean => cols.includes(c);
  const ends = (has('src') && has('dst')) || (has('saddr') && has('daddr'));
  if (has('sent') && has('recv') && ends) return 'top_tcp';
  if (has('remote') && has('port') && has('type')) return 'trace_network';
  if (has('state') && ends && !has('type')) return 'snapshot_socket';
  if (has('type') && ends) return 'trace_tcp';
  if (ends && (has('dport') || has('dst')) && has('pid')) return 'trace_tcpconnect';
  return null;
}

/** An Inspektor Gadget table header, or null. */
export function parseIgHeader(line: string): IgHeader | null {
  const t = line.trimEnd();
  if (!/^\s*[A-Z]/.test(t)) return null;
  const names: string[] = [];
  const starts: number[] = [];
  for (const m of t.matchAll(/\S+/g)) {
    const name = m[0];
    const glued = NAMES[name.toUpperCase()] ? null : splitGlued(name.toUpperCase());
    if (glued) {
      names.push(glued[0], glued[1]);
      starts.push(m.index ?? 0, (m.index ?? 0) + glued[0].length);
    } else {
      names.push(name);
      starts.push(m.index ?? 0);
    }
  }
  // IG cuts a long header name with `…` (SK… for SK_STATE); such a column is kept as 'other'.
  if (names.some((n) => !/^[A-Z][A-Z0-9._]*…?$/.test(n))) return null;
  const cols = names.map((n) => NAMES[n] ?? 'other');
  const mapped = cols.filter((c) => c !== 'other');
  if (new Set(mapped).size !== mapped.length) return null;
  if (!cols.some((c) => IG_ONLY.includes(c))) return null;
  const gadget = gadgetOf(cols);
  if (!gadget) return null;
  return { cols, names, starts, gadget };
}

/** Columns whose text may hold spaces: REMOTE (`svc kube-system/kube-dns`) and COMM. */
const FREE: IgCol[] = ['remote', 'comm'];

/**
 * Splits a row into one cell per header column. Surplus tokens go to the free-text column;
 * rows with blank cells are cut at the header's offsets, accepted only when the cut is clean.
 */
export function splitIgRow(line: string, h: IgHeader): string[] | null {
  const tok = line.trim().split(/\s+/);
  const n = h.cols.length;
  if (tok.length === n) return tok;
  if (tok.length > n) {
    const fi = h.cols.findIndex((c) => FREE.includes(c));
    if (fi < 0) return null;
    const right = n - fi - 1;
    return [...tok.slice(0, fi), tok.slice(fi, tok.length - right).join(' '), ...tok.slice(tok.length - right)];
  }
  const cells: string[] = [];
  for (let i = 0; i < n; i++) {
    const from = i === 0 ? 0 : h.starts[i];
    const to = i + 1 < n ? h.starts[i + 1] : line.length;
    cells.push(line.slice(from, to).trim());
  }
  // Right-aligned numbers (PID, UID) may start before their header: accept only a cut that keeps every token whole.
  return cells.join(' ').split(/\s+/).filter(Boolean).length === tok.length ? cells : null;
}
