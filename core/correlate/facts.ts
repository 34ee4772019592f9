import type { CiliumLbRecord, CiliumRecord } from '../formats/cilium/types.js';
import type { CrictlRecord } from '../formats/crictl/types.js';
import type { HubbleFlow } from '../formats/hubble/types.js';
import type { IgRecord } from '../formats/inspektor-gadget/types.js';
import type { IpInterface, IpLinkRecord } from '../formats/iplink/types.js';
import type { IptablesRecord } from '../formats/iptables/types.js';
import type { KubectlRecord } from '../formats/kubectl/types.js';
import type { LsnsRecord } from '../formats/lsns/types.js';
import type { NodeNameRecord } from '../formats/nodename/types.js';
import { findShimAncestor, type PstreeRecord } from '../formats/pstree/index.js';
import type { RuntimeLogRecord } from '../formats/runtime-log/types.js';
import type { TcpTracerCountRecord, TcpTracerRecord } from '../formats/tcptracer/types.js';
import type { FactInput } from './types.js';

/** A typed record with where it came from. */
export interface Sourced<R> {
  r: R;
  source: string;
  node: string | null;
  /** Bundle folder of one node's files (see FactInput.group). */
  group: string | null;
  /** Pod named by the bundle folder (…/pods/<pod>/file), when the file sits in one. */
  folderPod: string | null;
}

/** The facts correlation uses, sorted by what they are. */
export interface Facts {
  kubePods: Sourced<Extract<KubectlRecord, { type: 'pod' }>>[];
  kubeNodes: Sourced<Extract<KubectlRecord, { type: 'node' }>>[];
  kubeServices: Sourced<Extract<KubectlRecord, { type: 'service' }>>[];
  proxyServices: Sourced<Extract<IptablesRecord, { type: 'kubeService' }>>[];
  /** Cilium's service map rows (kube-proxy replacement): VIP → backends. */
  lbServices: Sourced<CiliumLbRecord>[];
  containers: Sourced<Extract<CrictlRecord, { type: 'container' }>>[];
  sandboxes: Sourced<Extract<CrictlRecord, { type: 'sandbox' }>>[];
  inspects: Sourced<Extract<CrictlRecord, { type: 'inspect' }>>[];
  netns: Sourced<LsnsRecord>[];
  /** pid → shim id (and, for conmon, the pod its -n names), from pstree trees. */
  shimPids: Sourced<{ pid: number; shimId: string | null; line: number; podName?: string; podNamespace?: string; shimName: string }>[];
  links: Sourced<IpInterface>[];
  iflinks: Sourced<{ ifindex: number; line: number }>[];
  /** The node's own name in its files (hostname, kubelet journal host). */
  nodeNames: Sourced<NodeNameRecord>[];
  /** tcptracer events and counts: (pid, saddr) seen in a netns. */
  tcp: Sourced<{ pid: number | null; saddr: string | null; netns: number; line: number; comm?: string }>[];
  /** Pods Inspektor Gadget named for a process or socket, with what it saw of them. */
  igPods: Sourced<IgPodFact>[];
  /** Runtime log lines naming a pod of the node they were written on (sandbox, containers, CNI, kubelet). */
  runtime: Sourced<Exclude<RuntimeLogRecord, { type: 'host' }>>[];
  /** kubectl endpoints naming the pod behind an address (targetRef). */
  kubeEndpoints: Sourced<Extract<KubectlRecord, { type: 'endpoint' }>>[];
}

/** What one Inspektor Gadget row or Hubble flow says about the pod it names. */
export interface IgPodFact {
  tool: 'inspektor-gadget' | 'hubble';
  pod: string;
  namespace: string | null;
  node: string | null;
  containerId: string | null;
  /** The pod's own address: the local side of a TCP event or socket (never a wildcard). */
  ip: string | null;
  netns: number | null;
  pid: number | null;
  hostNetwork: boolean;
  line: number;
}

/** Gadgets whose SRC is the traced process's own socket (trace network's peers are remote). */
const LOCAL_SRC = new Set(['trace_tcp', 'trace_tcpconnect', 'top_tcp', 'snapshot_socket']);

export function igPodFact(g: IgRecord): IgPodFact | null {
  const pod = g.k8s?.pod ?? (g.srcK8s?.kind === 'pod' && LOCAL_SRC.has(g.gadget) ? g.srcK8s.name : undefined);
  if (!pod) return null;
  const namespace = g.k8s?.namespace ?? (g.srcK8s?.kind === 'pod' ? g.srcK8s.namespace : null);
  return {
    tool: 'inspektor-gadget', pod, namespace, node: g.k8s?.node ?? null, containerId: g.runtime?.containerId ?? null,
    ip: LOCAL_SRC.has(g.gadget) ? g.saddr : null, netns: g.netns ?? null, pid: g.pid, hostNetwork: g.k8s?.hostNetwork === true, line: g.line,
  };
}

/** `…/pods/<pod>/file` → `<pod>`: the bundle layout for files collected inside a pod. */
export function podFromPath(path: string): string | null {
  const parts = path.split(/[\\/]|!\//).filter(Boolean);
  const i = parts.lastIndexOf('pods');
  return i >= 0 && i + 2 < parts.length ? parts[i + 1] : null;
}

/** The PID a `pstree -aps PID` dump was taken for, from its file name (pstree-aps-46.txt, 04_pstree_-aps_19832.txt). */
export function pidFromPstreeName(path: string): number | null {
  const base = path.split(/[\\/]/).pop() ?? '';
  const m = /pstree.*?(\d{1,8})(?:\.\w+)?$/i.exec(base);
  return m ? Number(m[1]) : null;
}

export function sortFacts(inputs: FactInput[]): Facts {
  const f: Facts = { kubePods: [], kubeNodes: [], kubeServices: [], proxyServices: [], lbServices: [], containers: [], sandboxes: [], inspects: [], netns: [], shimPids: [], links: [], iflinks: [], tcp: [], nodeNames: [], igPods: [], runtime: [], kubeEndpoints: [] };
  const pstreeBySource = new Map<string, { node: string | null; group: string | null; recs: PstreeRecord[] }>();
  for (const x of inputs) {
    const base = { source: x.source, node: x.node, group: x.group ?? null, folderPod: podFromPath(x.source) };
    const rec = x.record as { type?: string };
    switch (x.kind) {
      case 'kubectl': {
        const k = x.record as KubectlRecord;
        if (k.type === 'pod') f.kubePods.push({ ...base, r: k });
        else if (k.type === 'node') f.kubeNodes.push({ ...base, r: k });
        else if (k.type === 'service') f.kubeServices.push({ ...base, r: k });
        else if (k.type === 'endpoint') f.kubeEndpoints.push({ ...base, r: k });
        break;
      }
      case 'iptables':
        if (rec.type === 'kubeService') f.proxyServices.push({ ...base, r: x.record as Extract<IptablesRecord, { type: 'kubeService' }> });
        break;
      case 'cilium-bpf': {
        const c = x.record as CiliumRecord;
        if (c.type === 'lb') f.lbServices.push({ ...base, r: c });
        break;
      }
      case 'crictl': {
        const c = x.record as CrictlRecord;
        if (c.type === 'container') f.containers.push({ ...base, r: c });
        else if (c.type === 'sandbox') f.sandboxes.push({ ...base, r: c });
        else f.inspects.push({ ...base, r: c });
        break;
      }
      case 'lsns': {
        const l = x.record as LsnsRecord;
        if (l.type === 'net') f.netns.push({ ...base, r: l });
        break;
      }
      case 'pstree': {
        const e = pstreeBySource.get(x.source) ?? { node: x.node, group: x.group ?? null, recs: [] };
        e.recs.push(x.record as PstreeRecord);
        pstreeBySource.set(x.source, e);
        break;
      }
      case 'iplink': {
        const l = x.record as IpLinkRecord;
        if (l.type === 'interface') f.links.push({ ...base, r: l });
        else f.iflinks.push({ ...base, r: l });
        break;
      }
      case 'nodename':
        f.nodeNames.push({ ...base, r: x.record as NodeNameRecord });
        break;
      case 'runtime-log': {
        // The journal's host field names the node exactly as the kubelet journal does.
        const r = x.record as RuntimeLogRecord;
        if (r.type === 'host') f.nodeNames.push({ ...base, r: { name: r.name, via: 'runtime-log', line: r.line, lines: r.lines } });
        else f.runtime.push({ ...base, r });
        break;
      }
      case 'tcptracer': {
        const t = x.record as TcpTracerRecord;
        if (t.netns !== undefined) f.tcp.push({ ...base, r: { pid: t.pid, saddr: t.saddr, netns: t.netns, line: t.line, comm: t.comm } });
        break;
      }
      case 'inspektor-gadget': {
        const g = x.record as IgRecord;
        const fact = igPodFact(g);
        if (fact) f.igPods.push({ ...base, r: fact });
        if (g.netns !== undefined && !g.k8s?.hostNetwork) f.tcp.push({ ...base, r: { pid: g.pid, saddr: LOCAL_SRC.has(g.gadget) ? g.saddr : null, netns: g.netns, line: g.line, comm: g.comm } });
        break;
      }
      case 'hubble': {
        // Cilium names both ends of a flow; JSON flows carry the address with the pod.
        const h = x.record as HubbleFlow;
        for (const e of [h.src, h.dst]) {
          if (!e.pod) continue;
          f.igPods.push({ ...base, r: { tool: 'hubble', pod: e.pod, namespace: e.namespace ?? null, node: null, containerId: null, ip: e.ip, netns: null, pid: null, hostNetwork: false, line: h.line } });
        }
        break;
      }
      case 'tcptracer-count': {
        const t = x.record as TcpTracerCountRecord;
        if (t.netns !== undefined) f.tcp.push({ ...base, r: { pid: t.pid ?? null, saddr: t.saddr ?? null, netns: t.netns, line: t.line } });
        break;
      }
      default:
        break;
    }
  }
  for (const [source, { node, group, recs }] of pstreeBySource) {
    for (const p of recs) {
      if (p.isThread) continue;
      const shim = findShimAncestor(recs, p.pid);
      if (shim && (shim.id || shim.podName) && shim.pid !== p.pid) {
        f.shimPids.push({ source, node, group, folderPod: null, r: { pid: p.pid, shimId: shim.id ?? null, line: p.line, podName: shim.podName, podNamespace: shim.podNamespace, shimName: shim.name } });
      }
    }
    // `pstree -aps PID` prints PID's ancestors; when the saved output lost PID's own line (cut
    // or copied short), the PID in the file name still hangs below the deepest shim shown.
    const target = pidFromPstreeName(source);
    if (target !== null && !recs.some((r) => r.pid === target)) {
      const shims = recs.filter((r) => !r.isThread && findShimAncestor(recs, r.pid)?.pid === r.pid);
      const deepest = shims.sort((a, b) => b.depth - a.depth)[0];
      const id = deepest ? findShimAncestor(recs, deepest.pid)?.id : undefined;
      if (deepest && id) f.shimPids.push({ source, node, group, folderPod: null, r: { pid: target, shimId: id, line: deepest.line, shimName: deepest.name } });
    }
  }
  return f;
}
