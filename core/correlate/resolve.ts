import { ifindexFromCaptures } from './capture-ifindex.js';
import { conventionalVethNames } from './cni-names.js';
import { idsMatch } from './ids.js';
import { sortFacts, type Facts, type Sourced } from './facts.js';
import type { IpInterface } from '../formats/iplink/types.js';
import type { CaptureFact, CorrelationResult, Evidence, FactInput, Identity, Strength } from './types.js';

/** Everything learned about one pod while following the runbook chains. */
interface PodAcc {
  namespace: string | null;
  name: string;
  node: string | null;
  ips: Map<string, Evidence[]>;
  startUs: number | null;
  sandboxIds: Set<string>;
  containerIds: Set<string>;
  pids: Map<number, string | null>;
  netns: Map<number, Evidence[]>;
  /** Netns names (`cni-<uuid>`, a CRI-O uuid) the pod's files point at. */
  netnsNames: Map<string, Evidence[]>;
  veth: string | null;
  ifindex: number | null;
  /** Host ifindex of the pod's veth, per route, strongest first when read. */
  ifindexClaims: { ifindex: number; strength: Strength; e: Evidence; group: string | null }[];
  /** Bundle folder holding files taken on the pod's node (its veth, its processes). */
  group: string | null;
  evidence: Evidence[];
}

const ev = (s: Sourced<unknown>, line: number | null, link: string, strength: Strength = 'direct'): Evidence => ({ link, source: s.source, line, strength });
const RANK: Record<Strength, number> = { direct: 0, inferred: 1, naming: 2 };


/** Podcap's version of the runbooks' manual chains, over whatever files the bundle holds. */
export function correlate(inputs: FactInput[], captures: CaptureFact[] = [], folders: { group: string; source: string }[] = []): CorrelationResult {
  const f = sortFacts(inputs);
  const notes: CorrelationResult['notes'] = [];
  const pods: PodAcc[] = [];

  const findPod = (name: string, namespace: string | null | undefined): PodAcc | undefined =>
    pods.find((p) => p.name === name && (p.namespace === null || !namespace || p.namespace === namespace));
  /** `local`: the fact's file was taken on the pod's node (its folder groups that node's files). */
  const podFor = (name: string, namespace: string | null | undefined, node: string | null, e: Evidence, local?: Sourced<unknown>): PodAcc => {
    let p = findPod(name, namespace);
    if (!p) {
      p = { namespace: namespace ?? null, name, node, ips: new Map(), startUs: null, sandboxIds: new Set(), containerIds: new Set(), pids: new Map(), netns: new Map(), netnsNames: new Map(), veth: null, ifindex: null, ifindexClaims: [], group: null, evidence: [] };
      pods.push(p);
    }
    if (!p.namespace && namespace) p.namespace = namespace;
    if (!p.node && node) p.node = node;
    if (local) setLocal(p, local);
    p.evidence.push(e);
    return p;
  };
  const setLocal = (p: PodAcc, s: Sourced<unknown>) => {
    if (p.group === null && s.group !== null) p.group = s.group;
    if (!p.node && s.node) p.node = s.node; // --node named it
  };
  const addNetnsName = (p: PodAcc, name: string, e: Evidence) => {
    const list = p.netnsNames.get(name) ?? [];
    list.push(e);
    p.netnsNames.set(name, list);
  };
  const claimIfindex = (p: PodAcc, ifindex: number, strength: Strength, e: Evidence, group: string | null) => {
    p.ifindexClaims.push({ ifindex, strength, e: { ...e, strength }, group });
  };
  const addIp = (p: PodAcc, ip: string, e: Evidence) => {
    if (!isUsableIp(ip)) return;
    const list = p.ips.get(ip) ?? [];
    list.push(e);
    p.ips.set(ip, list);
  };
  const addNetns = (p: PodAcc, inode: number, e: Evidence) => {
    const list = p.netns.get(inode) ?? [];
    list.push(e);
    p.netns.set(inode, list);
  };

  // 1. Pods and their ids: kubectl, crictl pods/ps/inspect.
  for (const s of f.kubePods) {
    const k = s.r;
    if (k.hostNetwork) continue; // a hostNetwork pod's IP is the node's
    const p = podFor(k.name, k.namespace, k.node ?? null, ev(s, k.line, `kubectl: pod ${k.namespace ?? ''}/${k.name}${k.node ? ` on ${k.node}` : ''}`));
    for (const ip of new Set([...(k.ip ? [k.ip] : []), ...k.podIPs])) addIp(p, ip, ev(s, k.line, `kubectl: pod IP ${ip}`));
    if (k.startTimeUs !== undefined) p.startUs = k.startTimeUs;
    for (const id of k.containerIds ?? []) p.containerIds.add(id);
  }
  // Endpoints and EndpointSlices name the pod behind each address (targetRef) and its node; one
  // record per port, so each address is taken once per file. A node's address there is a hostNetwork pod's.
  const nodeIps = new Set(f.kubeNodes.flatMap((s) => [s.r.internalIp, ...(s.r.internalIps ?? []), s.r.externalIp]).filter((x): x is string => !!x));
  const epSeen = new Set<string>();
  for (const s of f.kubeEndpoints) {
    const e = s.r;
    const key = `${s.source}\0${e.namespace ?? ''}/${e.targetPod}\0${e.ip}`;
    if (!e.targetPod || e.embedded || nodeIps.has(e.ip) || epSeen.has(key)) continue;
    epSeen.add(key);
    const what = `kubectl ${e.source === 'endpointslice' ? 'endpointslice' : 'endpoints'}: ${e.ip} of service ${e.service} is pod ${e.namespace ?? '?'}/${e.targetPod}${e.node ? ` on ${e.node}` : ''}`;
    addIp(podFor(e.targetPod, e.namespace, e.node ?? null, ev(s, e.line, what)), e.ip, ev(s, e.line, what));
  }
  for (const s of f.sandboxes) {
    const p = podFor(s.r.name, s.r.namespace, null, ev(s, s.r.line, `crictl pods: sandbox ${s.r.podId} is pod ${s.r.name}`), s);
    p.sandboxIds.add(s.r.podId);
  }
  for (const s of f.containers) {
    const c = s.r;
    if (!c.podName) continue;
    const p = podFor(c.podName, c.namespace, null, ev(s, c.line, `crictl ps: container ${c.containerId} (${c.name}) in pod ${c.podName}${c.podId ? ` (POD ID ${c.podId})` : ''}`), s);
    p.containerIds.add(c.containerId);
    if (c.podId) p.sandboxIds.add(c.podId);
  }
  for (const s of f.inspects) {
    const c = s.r;
    const name = c.podName ?? (c.object === 'sandbox' ? c.name : undefined);
    if (!name) continue;
    const p = podFor(name, c.podNamespace, null, ev(s, c.line, `crictl inspect${c.object === 'sandbox' ? 'p' : ''}: ${c.id} of pod ${name}`), s);
    if (c.object === 'sandbox') p.sandboxIds.add(c.id);
    else p.containerIds.add(c.id);
    if (c.sandboxId) p.sandboxIds.add(c.sandboxId);
    if (c.pid) p.pids.set(c.pid, s.node);
    if (!c.hostNetwork) for (const ip of c.ips) addIp(p, ip, ev(s, c.line, `crictl inspect: IP ${ip}`));
    if (c.netnsPath && !c.hostNetwork && !/^\/proc\//.test(c.netnsPath)) addNetnsName(p, basename(c.netnsPath), ev(s, c.line, `crictl inspect: pod ${name} lives in netns ${c.netnsPath}`));
  }

  // 1a. The node's runtime logs: containerd names each sandbox's pod and each container's sandbox,
  //     CNI plugins the pod's netns, host veth and address, the kubelet the ids it started.
  const cniVeths: { p: PodAcc; name: string; e: Evidence }[] = [];
  const bySandbox = (id: string) => pods.find((p) => p.sandboxIds.has(id));
  const hostOf = (s: Sourced<{ host?: string }>) => (s.group === null ? s.r.host ?? null : null);
  for (const s of f.runtime) {
    if (s.r.type !== 'sandbox') continue;
    const r = s.r;
    podFor(r.pod, r.namespace, hostOf(s), ev(s, r.line, `containerd: sandbox ${r.sandboxId.slice(0, 13)} is pod ${r.namespace}/${r.pod}`), s).sandboxIds.add(r.sandboxId);
  }
  for (const s of f.runtime) {
    const r = s.r;
    if (r.type === 'container') {
      const p = bySandbox(r.sandboxId);
      if (!p) continue;
      p.containerIds.add(r.containerId);
      p.evidence.push(ev(s, r.line, `containerd: container ${r.containerId.slice(0, 13)} (${r.name}) in sandbox ${r.sandboxId.slice(0, 13)}`));
    } else if (r.type === 'kubelet') {
      const p = podFor(r.pod, r.namespace, hostOf(s), ev(s, r.line, `kubelet: ${r.event} for pod ${r.namespace}/${r.pod}`), s);
      if (r.id && !p.sandboxIds.has(r.id)) p.containerIds.add(r.id);
    } else if (r.type === 'cni') {
      const label = `${r.plugin}: CNI ${r.op}`;
      const p = r.pod ? podFor(r.pod, r.namespace, hostOf(s), ev(s, r.line, `${label} for pod ${r.namespace ?? '?'}/${r.pod}`), s)
        : r.sandboxId ? bySandbox(r.sandboxId) : undefined;
      if (!p) continue;
      if (r.sandboxId) p.sandboxIds.add(r.sandboxId);
      // After a DEL the address and netns are released: they no longer say where the pod is.
      if (r.op === 'DEL') continue;
      for (const ip of r.ips) addIp(p, ip, ev(s, r.line, `${label} gave pod ${p.name} ${ip}`));
      if (r.netns && !/^\/proc\//.test(r.netns)) addNetnsName(p, basename(r.netns), ev(s, r.line, `${label}: pod ${p.name} in netns ${r.netns}`));
      if (r.hostVeth) cniVeths.push({ p, name: r.hostVeth, e: ev(s, r.line, `${label}: pod ${p.name}'s host veth is ${r.hostVeth}`) });
    }
  }

  // 1b. Inspektor Gadget names the pod of each traced process itself: pod ↔ node, container id,
  //     netns, and the address the pod's own sockets use. A few rows per pod are kept as evidence.
  const igClaims = new Map<string, Set<string>>();
  for (const s of f.igPods) {
    const ip = s.r.ip && unmapV4(s.r.ip);
    if (ip && !s.r.hostNetwork && isUsableIp(ip)) igClaims.set(ip, (igClaims.get(ip) ?? new Set()).add(`${s.r.namespace ?? ''}/${s.r.pod}`));
  }
  const igShown = new Map<string, number>();
  const igSkipped = new Set<string>();
  for (const s of f.igPods) {
    const g = s.r;
    const label = g.namespace ? `${g.namespace}/${g.pod}` : g.pod;
    const node = g.node ?? s.node;
    const key = `${label}\0${s.source}`;
    const shown = igShown.get(key) ?? 0;
    igShown.set(key, shown + 1);
    const cite = shown < 3;
    const p = cite ? podFor(g.pod, g.namespace, node, ev(s, g.line, g.tool === 'hubble' ? `hubble: flow of pod ${label}` : `inspektor-gadget: process ${g.pid ?? '?'} in pod ${label}${node ? ` on ${node}` : ''}`))
      : findPod(g.pod, g.namespace) ?? podFor(g.pod, g.namespace, node, ev(s, g.line, `${g.tool}: pod ${label}`));
    if (g.containerId) p.containerIds.add(g.containerId);
    if (g.hostNetwork) continue; // its netns and address are the node's
    if (g.netns !== null && (cite || !p.netns.has(g.netns))) addNetns(p, g.netns, ev(s, g.line, `inspektor-gadget: pod ${label} in netns ${g.netns}`));
    if (g.pid !== null) p.pids.set(g.pid, node);
    const ip = g.ip && unmapV4(g.ip);
    if (!ip || !isUsableIp(ip)) continue;
    // Several pods on one address, or a node's address: hostNetwork pods the table did not mark.
    if (nodeIps.has(ip) || (igClaims.get(ip)?.size ?? 0) > 1) {
      if (!igSkipped.has(ip)) {
        igSkipped.add(ip);
        notes.push({ code: 'CORRELATE_CONFLICT', message: `${g.tool}: ${ip} is used by ${nodeIps.has(ip) ? 'a node' : `pods ${[...igClaims.get(ip)!].join(', ')}`} (hostNetwork?); not taken as a pod address`, source: s.source, line: g.line });
      }
      continue;
    }
    if (cite || !p.ips.has(ip)) addIp(p, ip, ev(s, g.line, `${g.tool}: pod ${label} uses ${ip}`));
  }

  // 2. Files collected inside a pod (…/pods/<pod>/): its eth0 address and its iflink.
  for (const s of f.links) {
    if (!s.folderPod) continue;
    const p = podFor(s.folderPod, null, null, ev(s, s.r.line, `${s.source}: collected inside pod ${s.folderPod}`), s);
    if (s.r.name === 'lo') continue;
    for (const a of s.r.addresses) if (a.family === 'inet' || a.scope === 'global') addIp(p, a.address, ev(s, a.line, `ip addr in pod: ${s.r.name} ${a.address}`));
    if (s.r.name === 'eth0' && s.r.peerIndex !== undefined) claimIfindex(p, s.r.peerIndex, 'direct', ev(s, s.r.line, `ip addr in pod ${s.folderPod}: eth0@if${s.r.peerIndex}`), s.group);
  }
  for (const s of f.iflinks) {
    if (!s.folderPod) continue;
    const p = podFor(s.folderPod, null, null, ev(s, s.r.line, `iflink in pod ${s.folderPod}: ${s.r.ifindex}`), s);
    claimIfindex(p, s.r.ifindex, 'direct', ev(s, s.r.line, `iflink in pod ${s.folderPod}: ${s.r.ifindex}`), s.group);
  }

  // 3. Processes → pod: pstree's containerd-shim -id against sandbox/container ids.
  for (const s of f.shimPids) {
    if (s.r.podName) {
      const p = podFor(s.r.podName, s.r.podNamespace, null, ev(s, s.r.line, `pstree: pid ${s.r.pid} under conmon -n k8s_…_${s.r.podName}_${s.r.podNamespace ?? ''}_…`), s);
      p.pids.set(s.r.pid, s.node);
      if (s.r.shimId) p.containerIds.add(s.r.shimId);
      continue;
    }
    const shimId = s.r.shimId;
    if (!shimId) continue;
    const hits = pods.filter((p) => [...p.sandboxIds, ...p.containerIds].some((id) => idsMatch(id, shimId).ok));
    if (hits.length === 1) {
      const masked = [...hits[0].sandboxIds, ...hits[0].containerIds].some((id) => idsMatch(id, shimId).masked);
      hits[0].pids.set(s.r.pid, s.node);
      setLocal(hits[0], s);
      hits[0].evidence.push(ev(s, s.r.line, `pstree: pid ${s.r.pid} under ${s.r.shimName} -id ${shimId}${masked ? ' (masked id, unique match)' : ''}`));
    } else if (hits.length > 1) {
      notes.push({ code: 'CORRELATE_CONFLICT', message: `shim id ${s.r.shimId} matches ${hits.length} pods (${hits.map((h) => h.name).join(', ')})`, source: s.source, line: s.r.line });
    }
  }

  // 4. Network namespaces: pid → netns (lsns, tcptracer); nsfs names ↔ inodes.
  const netnsByPid = new Map<number, { inode: number; e: Evidence }[]>();
  const pushPid = (pid: number, inode: number, e: Evidence) => {
    const l = netnsByPid.get(pid) ?? [];
    l.push({ inode, e });
    netnsByPid.set(pid, l);
  };
  for (const s of f.netns) if (s.r.pid !== undefined) pushPid(s.r.pid, s.r.inode, ev(s, s.r.line, `lsns: netns ${s.r.inode} holds pid ${s.r.pid}${s.r.command ? ` (${s.r.command})` : ''}`));
  for (const s of f.tcp) if (s.r.pid !== null) pushPid(s.r.pid, s.r.netns, ev(s, s.r.line, `tcptracer: pid ${s.r.pid} in netns ${s.r.netns}`));
  for (const p of pods) {
    for (const pid of p.pids.keys()) for (const x of netnsByPid.get(pid) ?? []) addNetns(p, x.inode, x.e);
  }
  const nsfsName = new Map<string, { inode: number; netnsid?: number; e: Evidence; group: string | null }>();
  for (const s of f.netns) if (s.r.nsfs) nsfsName.set(basename(s.r.nsfs), { inode: s.r.inode, netnsid: s.r.netnsid, group: s.group, e: ev(s, s.r.line, `lsns: netns ${s.r.inode} is ${s.r.nsfs}`) });
  for (const p of pods) {
    for (const [inode] of p.netns) for (const [name, n] of nsfsName) if (n.inode === inode) addNetnsName(p, name, n.e);
  }

  // Node-side interface listings (not taken inside a pod): the node's veths, link-netns, addresses.
  const knownNetnsNames = new Set<string>([...nsfsName.keys(), ...pods.flatMap((p) => [...p.netnsNames.keys()])]);
  for (const s of f.links) if (!s.folderPod && s.r.peerNetns) knownNetnsNames.add(s.r.peerNetns);
  // `nsenter -t PID -n …` pastes: lsns prints one PID per netns with its NSFS name
  const nsfsOfPid = new Map<number, string>();
  for (const s of f.netns) if (s.r.pid !== undefined && s.r.nsfs) nsfsOfPid.set(s.r.pid, basename(s.r.nsfs));
  const netnsOfFile = (s: Sourced<unknown> & { r: { netns?: string; nsenterPid?: number } }): string | null => {
    if (s.r.netns) return s.r.netns;
    if (s.r.nsenterPid !== undefined) return nsfsOfPid.get(s.r.nsenterPid) ?? null;
    return s.source.split(/[\\/]|!\//).find((seg) => knownNetnsNames.has(seg)) ?? null;
  };
  const podSide = (s: Sourced<IpInterface>) => s.folderPod !== null || netnsOfFile(s) !== null || s.r.nsenterPid !== undefined;
  const nodeLinks = f.links.filter((l) => !podSide(l) && l.r.name !== 'lo');

  // 5. Files taken inside a netns the path or a pasted `ip netns exec NAME` names: its address and
  // the host ifindex of its eth0 peer, joined to the pod by netns name or by address.
  const inNetns = new Map<string, { ips: { ip: string; e: Evidence }[]; ifindex: { v: number; e: Evidence }[]; group: string | null }>();
  const netnsEntry = (name: string, group: string | null) => {
    const x = inNetns.get(name) ?? { ips: [], ifindex: [], group };
    inNetns.set(name, x);
    return x;
  };
  for (const s of f.links) {
    if (s.folderPod || s.r.name === 'lo') continue;
    const name = netnsOfFile(s);
    if (!name) continue;
    const x = netnsEntry(name, s.group);
    for (const a of s.r.addresses) if (a.family === 'inet' || a.scope === 'global') x.ips.push({ ip: a.address, e: ev(s, a.line, `ip addr in netns ${name}: ${s.r.name} ${a.address}`) });
    if (s.r.name === 'eth0' && s.r.peerIndex !== undefined) x.ifindex.push({ v: s.r.peerIndex, e: ev(s, s.r.line, `ip addr in netns ${name}: eth0@if${s.r.peerIndex}`) });
  }
  for (const s of f.iflinks) {
    if (s.folderPod) continue;
    const name = netnsOfFile(s as Sourced<{ ifindex: number; line: number; netns?: string }>);
    if (name) netnsEntry(name, s.group).ifindex.push({ v: s.r.ifindex, e: ev(s, s.r.line, `iflink in netns ${name}: ${s.r.ifindex}`) });
  }

  // 6. The node's veths: every route proposes the pod's host ifindex with a strength; the
  // strongest wins and a disagreeing one is reported, never dropped silently.
  /**
   * The node interface a claim points at: in the claim's own folder, else in the one other folder
   * that can be the same node (a bundle may spread one node over proc-net/, netns/, captures/).
   */
  const linkOf = (p: PodAcc, group: string | null, pred: (l: Sourced<IpInterface>) => boolean) => {
    const own = nodeLinks.find((l) => l.group === group && pred(l));
    if (own) return own;
    const node = p.node ?? nodeOfGroup(group);
    const others = nodeLinks.filter((l) => pred(l) && (!node || !nodeOfGroup(l.group) || nodeOfGroup(l.group) === node));
    return new Set(others.map((l) => l.group)).size === 1 ? others[0] : undefined;
  };
  const byPeerNetns = (name: string) => nodeLinks.filter((l) => l.r.peerNetns === name);
  const settleNetns = (p: PodAcc) => {
    for (const [name, es] of p.netnsNames) {
      const n = nsfsName.get(name);
      if (n && !p.netns.has(n.inode)) addNetns(p, n.inode, { ...n.e, link: `${n.e.link}, named by ${es[0]!.link}` });
    }
  };
  for (const p of pods) {
    settleNetns(p);
    for (const [name, x] of inNetns) {
      const byName = p.netnsNames.has(name);
      const byIp = x.ips.find((a) => p.ips.has(a.ip));
      if (!byName && !byIp) continue;
      addNetnsName(p, name, byIp ? { ...byIp.e, link: `${byIp.e.link} (pod ${p.name}'s address)` } : p.netnsNames.get(name)![0]!);
      for (const a of x.ips) addIp(p, a.ip, a.e);
      for (const i of x.ifindex) claimIfindex(p, i.v, 'direct', i.e, x.group);
      if (p.group === null) p.group = x.group;
    }
    for (const [name] of p.netnsNames) {
      for (const l of byPeerNetns(name)) claimIfindex(p, l.r.index, 'direct', ev(l, l.r.line, `ip link: ${l.r.name} (ifindex ${l.r.index}) leads into netns ${name}`), l.group);
    }
    if (p.netnsNames.size === 0) {
      for (const [inode] of p.netns) {
        const named = [...nsfsName.entries()].find(([, n]) => n.inode === inode);
        const v = nodeLinks.find((l) => (named && l.r.peerNetns === named[0]) || (named?.[1].netnsid !== undefined && l.r.peerNetnsId === named[1].netnsid && l.r.kind !== undefined));
        if (v) claimIfindex(p, v.r.index, 'direct', ev(v, v.r.line, `ip link: ${v.r.name} (ifindex ${v.r.index}) leads into netns ${inode}`), v.group);
      }
    }
  }

  // Which folder holds which node: kubectl node addresses on a folder's own interfaces, or a
  // folder named like a node kubectl knows. Pods placed by their own files come later.
  const knownNodes = new Set<string>([...f.kubeNodes.map((k) => k.r.name), ...f.kubePods.map((k) => k.r.node).filter((n): n is string => !!n)]);
  const groupNode = new Map<string, { node: string; e: Evidence }[]>();
  const nameGroup = (g: string, node: string, e: Evidence) => {
    const l = groupNode.get(g) ?? [];
    if (!l.some((x) => x.node === node && x.e.link === e.link)) l.push({ node, e });
    groupNode.set(g, l);
  };
  for (const l of nodeLinks) {
    if (l.group === null) continue;
    for (const a of l.r.addresses) {
      if (a.family !== 'inet') continue;
      for (const k of f.kubeNodes) {
        if (![k.r.internalIp, ...(k.r.internalIps ?? []), k.r.externalIp].includes(a.address)) continue;
        nameGroup(l.group, k.r.name, { ...ev(l, a.line, `ip addr: ${l.r.name} holds ${a.address}, the address kubectl gives node ${k.r.name}`), source: l.source });
      }
    }
  }
  for (const s of f.nodeNames) {
    if (s.group === null) continue;
    // hostname may be the short form of the node name kubectl shows (or the FQDN of a short one)
    const short = (n: string) => n.split('.')[0]!;
    const exact = [...knownNodes].find((n) => n.toLowerCase() === s.r.name);
    const byLabel = [...knownNodes].filter((n) => short(n).toLowerCase() === short(s.r.name));
    const name = exact ?? (byLabel.length === 1 ? byLabel[0]! : s.r.name);
    nameGroup(s.group, name, ev(s, s.r.line, s.r.via === 'hostname' ? `hostname: this folder's node calls itself ${s.r.name}` : `${s.r.via === 'runtime-log' ? 'runtime journal' : 'kubelet log'} lines come from host ${s.r.name}`));
  }
  // Any file in the folder counts, a capture too: a folder holding only a pod's veth capture is
  // still named like the node kubectl lists.
  for (const s of [...f.links, ...f.netns, ...f.containers, ...f.sandboxes, ...f.inspects, ...f.tcp, ...f.shimPids, ...folders] as { group: string | null; source: string }[]) {
    if (s.group && knownNodes.has(s.group)) nameGroup(s.group, s.group, { link: `folder ${s.group} is named like node ${s.group}, which kubectl lists`, source: s.source, line: null, strength: 'inferred' });
  }
  const nodeOfGroup = (g: string | null): string | null => {
    const l = g === null ? undefined : groupNode.get(g);
    const names = new Set(l?.map((x) => x.node));
    return names.size === 1 ? [...names][0]! : null;
  };
  /** A folder can hold the pod's node: its own folder, or one not named as another node. */
  const groupFits = (p: PodAcc, g: string | null) => {
    if (g === p.group) return true;
    const gn = nodeOfGroup(g);
    const pn = p.node ?? nodeOfGroup(p.group);
    return !gn || !pn || gn === pn;
  };

  // Captures: the interface a pod address's packets use on the node (inferred).
  const ownerOf = (ip: string) => { const o = pods.find((p) => p.ips.has(ip)); return o ? `${o.namespace}/${o.name}` : null; };
  // Interfaces the node's listings show are not a pod's veth: addressed (uplink, cni0), bridges and
  // other kinds (-d), masters of other interfaces.
  const notVeth = (g: string | null, ifindex: number) => nodeLinks.some((l) => l.group === g && l.r.index === ifindex
    && (l.r.addresses.some((a) => a.family === 'inet') || (l.r.kind !== undefined && l.r.kind !== 'veth') || nodeLinks.some((m) => m.group === g && m.r.master === l.r.name)));
  const seen = ifindexFromCaptures(captures, ownerOf, notVeth);
  for (const p of pods) {
    for (const ip of p.ips.keys()) {
      for (const [, c] of seen) {
        if (c.fact.ip !== ip || !groupFits(p, c.group)) continue;
        claimIfindex(p, c.ifindex, 'inferred', { link: `capture: all ${c.fact.flows} flows of ${ip} pass SLL2 interface ${c.ifindex}`, source: c.fact.source, line: null }, c.group);
      }
    }
    // The CNI plugin's own log names the host veth it made for the pod.
    for (const c of cniVeths) {
      if (c.p !== p) continue;
      for (const l of nodeLinks) if (l.r.name === c.name && groupFits(p, l.group)) claimIfindex(p, l.r.index, 'direct', { ...c.e, link: `${c.e.link} (ifindex ${l.r.index})` }, l.group);
    }
    // CNI naming conventions: weakest, only where the names match the pod's own hash
    if (p.namespace) {
      const names = conventionalVethNames(p.namespace, p.name);
      for (const l of nodeLinks) if (names.includes(l.r.name) && groupFits(p, l.group)) claimIfindex(p, l.r.index, 'naming', ev(l, l.r.line, `${l.r.name} is the CNI's name for ${p.namespace}/${p.name} (sha1 of namespace.pod)`, 'naming'), l.group);
    }
  }
  for (const p of pods) {
    const claims = [...p.ifindexClaims].sort((a, b) => RANK[a.strength] - RANK[b.strength]);
    if (claims.length === 0) continue;
    const best = claims[0]!;
    p.ifindex = best.ifindex;
    if (p.group === null) p.group = best.group;
    const agreeing = claims.filter((c) => c.ifindex === best.ifindex && c.group === best.group);
    p.evidence.push(...agreeing.map((c) => c.e));
    for (const c of claims) {
      if (c.ifindex === best.ifindex && c.group === best.group) continue;
      notes.push({ code: 'CORRELATE_CONFLICT', message: `pod ${p.namespace ?? '?'}/${p.name}: ${c.strength} evidence says host ifindex ${c.ifindex} (${c.e.link}); kept ${best.ifindex} from ${best.strength} evidence (${best.e.link})`, source: c.e.source, line: c.e.line ?? undefined });
    }
    const found = linkOf(p, best.group, (l) => l.r.index === best.ifindex);
    if (found) {
      // `ip addr -o` and `ip link` list the same interface apart; the one naming its link-netns tells more
      const v = nodeLinks.find((l) => l.group === found.group && l.r.index === found.r.index && l.r.peerNetns) ?? found;
      p.veth = v.r.name;
      p.evidence.push(ev(v, v.r.line, `ip link: ifindex ${v.r.index} is ${v.r.name}${v.r.peerNetns ? ` (link-netns ${v.r.peerNetns})` : ''}`));
      if (v.r.peerNetns) addNetnsName(p, v.r.peerNetns, ev(v, v.r.line, `ip link: ${v.r.name} leads into netns ${v.r.peerNetns}`));
      settleNetns(p);
    }
  }

  // A veth the CNI log names but no link listing shows is still the pod's veth (without an ifindex).
  for (const c of cniVeths) if (c.p.veth === null) c.p.veth = c.name;

  // The rest of the folders: named by the kubectl NODE of the pods their own files place there.
  // (a folder whose captures carry a pod's packets on the pod's interface counts as placing it)
  const unnamed = new Map<string, Map<string, Evidence>>();
  for (const p of pods) {
    if (!p.node) continue;
    const k = f.kubePods.find((x) => x.r.name === p.name && x.r.node === p.node);
    if (!k) continue;
    const places = new Set([p.group, ...p.ifindexClaims.filter((c) => c.ifindex === p.ifindex).map((c) => c.group)]);
    for (const g of places) {
      if (g === null || groupNode.has(g)) continue;
      const m = unnamed.get(g) ?? new Map<string, Evidence>();
      m.set(p.node, ev(k, k.r.line, `kubectl: pod ${p.name} runs on ${p.node}, and files in this folder place it here`, 'inferred'));
      unnamed.set(g, m);
    }
  }
  for (const [g, m] of unnamed) for (const [node, e] of m) nameGroup(g, node, e);
  for (const [g, l] of groupNode) {
    const names = [...new Set(l.map((x) => x.node))];
    if (names.length > 1) notes.push({ code: 'CORRELATE_CONFLICT', message: `folder ${g || '(top)'} is named as several nodes: ${names.join(', ')}; none is taken` });
  }
  for (const p of pods) {
    if (p.group === null) continue;
    const g = nodeOfGroup(p.group);
    if (!g) continue;
    if (!p.node) {
      p.node = g;
      p.evidence.push(...(groupNode.get(p.group) ?? []).map((x) => ({ ...x.e, link: `${x.e.link}; the pod's own files are there`, strength: 'inferred' as const })));
    } else if (p.node !== g) {
      notes.push({ code: 'CORRELATE_CONFLICT', message: `pod ${p.namespace ?? '?'}/${p.name}: kubectl says node ${p.node}, but its files sit in folder ${p.group || '(top)'}, which is node ${g}; kept ${p.node}` });
    }
  }

  // 7. Addresses seen inside a netns (tcptracer SADDR) belong to the pod of that netns.
  for (const s of f.tcp) {
    if (!s.r.saddr || !isUsableIp(s.r.saddr)) continue;
    const owner = pods.filter((p) => p.netns.has(s.r.netns));
    if (owner.length === 1 && owner[0].ips.size === 0) addIp(owner[0], s.r.saddr, ev(s, s.r.line, `tcptracer: ${s.r.saddr} used in netns ${s.r.netns}`, 'inferred'));
  }

  const identities: Identity[] = [];
  for (const p of pods) {
    const base = {
      kind: 'pod' as const, pod: p.name, namespace: p.namespace, service: null,
      containerIds: [...p.containerIds].sort(), sandboxIds: [...p.sandboxIds].sort(),
      netnsInode: p.netns.size > 0 ? [...p.netns.keys()][0] : null,
      veth: p.veth, ifindex: p.ifindex, node: p.node, firstUs: p.startUs, lastUs: null,
    };
    if (p.netns.size > 1) notes.push({ code: 'CORRELATE_CONFLICT', message: `pod ${p.name} maps to several netns: ${[...p.netns.keys()].join(', ')}` });
    const netnsEvidence = [...p.netns.values()].flat();
    if (p.ips.size === 0) identities.push({ ...base, ip: null, evidence: dedupe([...p.evidence, ...netnsEvidence]) });
    for (const [ip, e] of p.ips) identities.push({ ...base, ip, evidence: dedupe([...e, ...p.evidence, ...netnsEvidence]) });
  }

  // 8. Nodes and services.
  for (const s of f.kubeNodes) {
    for (const ip of new Set([s.r.internalIp, ...(s.r.internalIps ?? []), s.r.externalIp].filter((x): x is string => !!x && isUsableIp(x)))) {
      identities.push(plain('node', ip, { node: s.r.name }, [ev(s, s.r.line, `kubectl: node ${s.r.name} has ${ip}`)]));
    }
  }
  for (const s of f.kubeServices) {
    for (const ip of new Set([s.r.clusterIp, ...(s.r.clusterIps ?? [])].filter((x): x is string => !!x && isUsableIp(x)))) {
      identities.push(plain('service', ip, { service: `${s.r.namespace ?? 'default'}/${s.r.name}`, namespace: s.r.namespace ?? null }, [ev(s, s.r.line, `kubectl: service ${s.r.name} has cluster IP ${ip}`)]));
    }
  }
  for (const s of f.proxyServices) {
    if (!s.r.clusterIp || identities.some((i) => i.kind === 'service' && i.ip === s.r.clusterIp)) continue;
    identities.push(plain('service', s.r.clusterIp, { service: `${s.r.namespace}/${s.r.name}`, namespace: s.r.namespace }, [ev(s, s.r.line, `iptables: KUBE-SERVICES ${s.r.service} → ${s.r.clusterIp}`)]));
  }

  // Cilium's service map: a VIP and its backends, as kube-proxy's rules would name them. The map
  // carries no service name; a VIP kubectl or iptables already named keeps that name and gains the evidence.
  for (const [key, rows] of groupLb(f.lbServices)) {
    const [vip] = key.split('|');
    if (!isUsableIp(vip) || vip === '0.0.0.0') continue;
    const head = rows[0];
    const backends = rows.filter((r) => r.r.backend).map((r) => `${r.r.backend!.ip}:${r.r.backend!.port}`);
    const type = rows.find((r) => r.r.serviceFlags)?.r.serviceFlags?.[0];
    const e = ev(head, head.r.line, `cilium bpf lb list: ${vip}:${head.r.vipPort}${type ? ` (${type})` : ''} → ${backends.length ? backends.join(', ') : 'no backend'} (revNAT ${head.r.revNat})`);
    const named = identities.find((i) => i.kind === 'service' && i.ip === vip);
    if (named) named.evidence.push(e);
    else identities.push(plain('service', vip, {}, [e]));
  }

  // 9. Netns seen in tcptracer but owned by no known pod: still an identity (who fans out).
  const ownedNetns = new Set(pods.flatMap((p) => [...p.netns.keys()]));
  const loose = new Map<number, { ips: Set<string>; e: Evidence[]; node: string | null }>();
  for (const s of f.tcp) {
    if (ownedNetns.has(s.r.netns)) continue;
    const l = loose.get(s.r.netns) ?? { ips: new Set(), e: [], node: s.node };
    if (s.r.saddr && isUsableIp(s.r.saddr)) l.ips.add(s.r.saddr);
    if (l.e.length < 3) l.e.push(ev(s, s.r.line, `tcptracer: netns ${s.r.netns}`));
    loose.set(s.r.netns, l);
  }
  for (const [inode, l] of loose) {
    const ips = l.ips.size ? [...l.ips] : [null];
    for (const ip of ips) identities.push({ ...plain('netns', ip, { node: l.node }, l.e), netnsInode: inode });
  }

  flagReusedIps(identities, notes);
  const groups = new Set(inputs.map((i) => i.group).filter((g): g is string => g !== null && g !== undefined));
  for (const c of captures) if (c.group !== null) groups.add(c.group);
  for (const d of folders) groups.add(d.group);
  const groupNodes = [...groups].map((g) => ({ group: g, node: nodeOfGroup(g), evidence: groupNode.get(g)?.map((x) => x.e) ?? [] }));
  return { identities, notes, groupNodes };
}

/** Service map rows by frontend (VIP, port, revNAT): the older layout and 1.17+ both print one row per slot. */
function groupLb(rows: Facts['lbServices']): Map<string, Facts['lbServices']> {
  const m = new Map<string, Facts['lbServices']>();
  for (const r of rows) {
    const k = `${r.r.vip}|${r.r.vipPort}|${r.r.revNat}`;
    const l = m.get(k);
    if (l) l.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function plain(kind: Identity['kind'], ip: string | null, o: Partial<Identity>, evidence: Evidence[]): Identity {
  return { kind, ip, pod: null, namespace: null, service: null, containerIds: [], sandboxIds: [], netnsInode: null, veth: null, ifindex: null, node: null, firstUs: null, lastUs: null, evidence, ...o };
}

/** Two pods claiming one IP: keep both; without start times to order them it is a contradiction. */
function flagReusedIps(ids: Identity[], notes: CorrelationResult['notes']): void {
  const byIp = new Map<string, Identity[]>();
  for (const i of ids) if (i.ip && i.kind === 'pod') byIp.set(i.ip, [...(byIp.get(i.ip) ?? []), i]);
  for (const [ip, list] of byIp) {
    if (list.length < 2) continue;
    const ordered = list.every((i) => i.firstUs !== null);
    if (ordered) {
      list.sort((a, b) => a.firstUs! - b.firstUs!);
      for (let k = 0; k + 1 < list.length; k++) list[k].lastUs = list[k + 1].firstUs;
    } else {
      notes.push({ code: 'CORRELATE_CONFLICT', message: `IP ${ip} is claimed by ${list.map((i) => `${i.namespace ?? '?'}/${i.pod}`).join(' and ')} with no start times to order them` });
    }
  }
}

function dedupe(e: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return e.filter((x) => {
    const k = `${x.source}\0${x.line}\0${x.link}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `::ffff:10.0.0.1` (an IPv4 socket seen through an IPv6 one) is the IPv4 address. */
function unmapV4(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

function basename(p: string): string {
  return p.split('/').filter(Boolean).pop() ?? p;
}

/** Masked ("10.x.x.x") or unspecified addresses identify nothing. */
function isUsableIp(ip: string): boolean {
  return !/x/i.test(ip.replace(/^::ffff:/, '')) && ip !== '0.0.0.0' && ip !== '::' && ip.length > 0 && !/^127\./.test(ip);
}

export type { Facts };
