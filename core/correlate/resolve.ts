import { idsMatch } from './ids.js';
import { sortFacts, type Facts, type Sourced } from './facts.js';
import type { CorrelationResult, Evidence, FactInput, Identity } from './types.js';

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
  veth: string | null;
  ifindex: number | null;
  evidence: Evidence[];
}

const ev = (s: Sourced<unknown>, line: number | null, link: string): Evidence => ({ link, source: s.source, line });


/** Podcap's version of the runbooks' manual chains, over whatever files the bundle holds. */
export function correlate(inputs: FactInput[]): CorrelationResult {
  const f = sortFacts(inputs);
  const notes: CorrelationResult['notes'] = [];
  const pods: PodAcc[] = [];

  const findPod = (name: string, namespace: string | null | undefined): PodAcc | undefined =>
    pods.find((p) => p.name === name && (p.namespace === null || !namespace || p.namespace === namespace));
  const podFor = (name: string, namespace: string | null | undefined, node: string | null, e: Evidence): PodAcc => {
    let p = findPod(name, namespace);
    if (!p) {
      p = { namespace: namespace ?? null, name, node, ips: new Map(), startUs: null, sandboxIds: new Set(), containerIds: new Set(), pids: new Map(), netns: new Map(), veth: null, ifindex: null, evidence: [] };
      pods.push(p);
    }
    if (!p.namespace && namespace) p.namespace = namespace;
    if (!p.node && node) p.node = node;
    p.evidence.push(e);
    return p;
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
  for (const s of f.sandboxes) {
    const p = podFor(s.r.name, s.r.namespace, s.node, ev(s, s.r.line, `crictl pods: sandbox ${s.r.podId} is pod ${s.r.name}`));
    p.sandboxIds.add(s.r.podId);
  }
  for (const s of f.containers) {
    const c = s.r;
    if (!c.podName) continue;
    const p = podFor(c.podName, c.namespace, s.node, ev(s, c.line, `crictl ps: container ${c.containerId} (${c.name}) in pod ${c.podName}${c.podId ? ` (POD ID ${c.podId})` : ''}`));
    p.containerIds.add(c.containerId);
    if (c.podId) p.sandboxIds.add(c.podId);
  }
  for (const s of f.inspects) {
    const c = s.r;
    const name = c.podName ?? (c.object === 'sandbox' ? c.name : undefined);
    if (!name) continue;
    const p = podFor(name, c.podNamespace, s.node, ev(s, c.line, `crictl inspect${c.object === 'sandbox' ? 'p' : ''}: ${c.id} of pod ${name}`));
    if (c.object === 'sandbox') p.sandboxIds.add(c.id);
    else p.containerIds.add(c.id);
    if (c.sandboxId) p.sandboxIds.add(c.sandboxId);
    if (c.pid) p.pids.set(c.pid, s.node);
    if (!c.hostNetwork) for (const ip of c.ips) addIp(p, ip, ev(s, c.line, `crictl inspect: IP ${ip}`));
  }

  // 1b. Inspektor Gadget names the pod of each traced process itself: pod ↔ node, container id,
  //     netns, and the address the pod's own sockets use. A few rows per pod are kept as evidence.
  const nodeIps = new Set(f.kubeNodes.flatMap((s) => [s.r.internalIp, ...(s.r.internalIps ?? []), s.r.externalIp]).filter((x): x is string => !!x));
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
    const p = podFor(s.folderPod, null, s.node, ev(s, s.r.line, `${s.source}: collected inside pod ${s.folderPod}`));
    if (s.r.name === 'lo') continue;
    for (const a of s.r.addresses) if (a.family === 'inet' || a.scope === 'global') addIp(p, a.address, ev(s, a.line, `ip addr in pod: ${s.r.name} ${a.address}`));
    if (s.r.name === 'eth0' && s.r.peerIndex !== undefined && p.ifindex === null) p.ifindex = s.r.peerIndex;
  }
  for (const s of f.iflinks) {
    if (!s.folderPod) continue;
    const p = podFor(s.folderPod, null, s.node, ev(s, s.r.line, `iflink in pod ${s.folderPod}: ${s.r.ifindex}`));
    p.ifindex = s.r.ifindex;
  }

  // 3. Processes → pod: pstree's containerd-shim -id against sandbox/container ids.
  for (const s of f.shimPids) {
    const hits = pods.filter((p) => [...p.sandboxIds, ...p.containerIds].some((id) => idsMatch(id, s.r.shimId).ok));
    if (hits.length === 1) {
      const masked = [...hits[0].sandboxIds, ...hits[0].containerIds].some((id) => idsMatch(id, s.r.shimId).masked);
      hits[0].pids.set(s.r.pid, s.node);
      hits[0].evidence.push(ev(s, s.r.line, `pstree: pid ${s.r.pid} under containerd-shim -id ${s.r.shimId}${masked ? ' (masked id, unique match)' : ''}`));
    } else if (hits.length > 1) {
      notes.push({ code: 'CORRELATE_CONFLICT', message: `shim id ${s.r.shimId} matches ${hits.length} pods (${hits.map((h) => h.name).join(', ')})`, source: s.source, line: s.r.line });
    }
  }

  // 4. Network namespaces: pid → netns (lsns, tcptracer), nsfs name, netnsid.
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
  const nsfsName = new Map<string, { inode: number; netnsid?: number; e: Evidence }>();
  for (const s of f.netns) if (s.r.nsfs) nsfsName.set(basename(s.r.nsfs), { inode: s.r.inode, netnsid: s.r.netnsid, e: ev(s, s.r.line, `lsns: netns ${s.r.inode} is ${s.r.nsfs}`) });
  for (const s of f.inspects) {
    if (!s.r.netnsPath || !s.r.podName) continue;
    const hit = nsfsName.get(basename(s.r.netnsPath));
    const p = findPod(s.r.podName, s.r.podNamespace);
    if (hit && p) addNetns(p, hit.inode, hit.e);
  }

  // 5. veths on the node: the pod's iflink is the veth's ifindex; link-netns names the pod's netns.
  for (const p of pods) {
    const nodeLinks = f.links.filter((l) => !l.folderPod && (!p.node || !l.node || l.node === p.node));
    if (p.ifindex !== null) {
      const v = nodeLinks.find((l) => l.r.index === p.ifindex && l.r.name !== 'lo');
      if (v) {
        p.veth = v.r.name;
        p.evidence.push(ev(v, v.r.line, `ip link: ifindex ${v.r.index} is ${v.r.name}`));
        if (v.r.peerNetns) {
          const n = nsfsName.get(v.r.peerNetns);
          if (n) addNetns(p, n.inode, { ...n.e, link: `${n.e.link}, the link-netns of ${v.r.name}` });
        }
      }
    }
    if (p.veth === null && p.netns.size > 0) {
      for (const [inode] of p.netns) {
        const named = [...nsfsName.entries()].find(([, n]) => n.inode === inode);
        const v = nodeLinks.find((l) => (named && l.r.peerNetns === named[0]) || (named?.[1].netnsid !== undefined && l.r.peerNetnsId === named[1].netnsid && l.r.kind !== undefined));
        if (v) {
          p.veth = v.r.name;
          p.ifindex = v.r.index;
          p.evidence.push(ev(v, v.r.line, `ip link: ${v.r.name} (ifindex ${v.r.index}) leads into netns ${inode}`));
          break;
        }
      }
    }
  }

  // 6. Addresses seen inside a netns (tcptracer SADDR) belong to the pod of that netns.
  for (const s of f.tcp) {
    if (!s.r.saddr || !isUsableIp(s.r.saddr)) continue;
    const owner = pods.filter((p) => p.netns.has(s.r.netns));
    if (owner.length === 1 && owner[0].ips.size === 0) addIp(owner[0], s.r.saddr, ev(s, s.r.line, `tcptracer: ${s.r.saddr} used in netns ${s.r.netns}`));
  }

  const identities: Identity[] = [];
  for (const p of pods) {
    const base = {
      kind: 'pod' as const, pod: p.name, namespace: p.namespace, service: null,
      containerIds: [...p.containerIds].sort(), sandboxIds: [...p.sandboxIds].sort(),
      netnsInode: p.netns.size > 0 ? [...p.netns.keys()][0] : null,
      veth: p.veth, ifindex: p.veth ? p.ifindex : null, node: p.node, firstUs: p.startUs, lastUs: null,
    };
    if (p.netns.size > 1) notes.push({ code: 'CORRELATE_CONFLICT', message: `pod ${p.name} maps to several netns: ${[...p.netns.keys()].join(', ')}` });
    const netnsEvidence = [...p.netns.values()].flat();
    if (p.ips.size === 0) identities.push({ ...base, ip: null, evidence: dedupe([...p.evidence, ...netnsEvidence]) });
    for (const [ip, e] of p.ips) identities.push({ ...base, ip, evidence: dedupe([...e, ...p.evidence, ...netnsEvidence]) });
  }

  // 7. Nodes and services.
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

  // 8. Netns seen in tcptracer but owned by no known pod: still an identity (who fans out).
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
  return { identities, notes };
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
