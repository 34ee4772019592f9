import { isMaskedHexId } from '../node-text/index.js';
import type { PstreeRecord, ShimInfo } from './types.js';

/** containerd-shim, containerd-shim-runc-v2 (comm cut to "containerd-shim"), CRI-O's conmon. */
export function isShim(r: PstreeRecord): boolean {
  return !r.isThread && (r.name.startsWith('containerd-shim') || r.name === 'conmon');
}

/**
 * The nearest shim at or above `pid` (the process itself, then its parents), with the id from its
 * arguments. Undefined when the pid is not in the records or no ancestor is a shim (a process of
 * the node itself, or a tree cut above the shim).
 */
export function findShimAncestor(records: readonly PstreeRecord[], pid: number): ShimInfo | undefined {
  const byPid = new Map<number, PstreeRecord>();
  for (const r of records) byPid.set(r.pid, r);
  let cur = byPid.get(pid);
  const seen = new Set<number>();
  while (cur && !seen.has(cur.pid)) {
    seen.add(cur.pid);
    if (isShim(cur)) return shimInfo(cur);
    cur = cur.parentPid === undefined ? undefined : byPid.get(cur.parentPid);
  }
  return undefined;
}

export function shimInfo(r: PstreeRecord): ShimInfo {
  const args = (r.args ?? '').split(/\s+/).filter((a) => a !== '');
  const flag = (...names: string[]): string | undefined => {
    for (let i = 0; i < args.length - 1; i++) if (names.includes(args[i]!)) return args[i + 1];
    for (const a of args) for (const n of names) if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    return undefined;
  };
  let raw = flag('-id', '--id', '-c', '--cid');
  // pstree cuts a long line without a terminal and drops the space before the cut argument:
  // `-id4339cc45bb` (seen from psmisc 23 on a shim line), so a glued id is the id's head.
  let glued = false;
  if (raw === undefined) {
    raw = args.map((a) => /^--?id([0-9a-f]{6,})$/i.exec(a)?.[1]).find((x) => x !== undefined);
    glued = raw !== undefined;
  }
  if (raw === undefined) {
    // containerd-shim v1: the id is the last element of -workdir.
    const workdir = flag('-workdir');
    if (workdir) raw = workdir.split('/').filter((p) => p !== '').pop();
  }
  const info: ShimInfo = { pid: r.pid, name: r.name, idIsPrefix: true, idTruncated: false, line: r.line };
  if (raw !== undefined && isMaskedHexId(raw)) {
    // Kept verbatim: a masked id can still single out one sandbox (core/correlate/ids.ts).
    info.idMasked = true;
    info.id = raw;
  } else if (raw !== undefined) {
    const hex = /^[0-9a-f]+/i.exec(raw)?.[0];
    if (hex) {
      info.id = hex;
      info.idIsPrefix = hex.length < 64;
      info.idTruncated = glued || hex.length !== raw.length;
    }
  }
  const k8sName = /^k8s_([^_]+)_([^_]+)_([^_]+)_[0-9a-f-]+_\d+$/.exec(flag('-n', '--name') ?? '');
  if (k8sName && r.name === 'conmon') {
    info.podName = k8sName[2];
    info.podNamespace = k8sName[3];
  }
  const namespace = flag('-namespace', '--namespace');
  if (namespace) info.namespace = namespace;
  const address = flag('-address', '--address');
  if (address) info.address = address;
  return info;
}
