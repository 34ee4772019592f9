/**
 * Which pod links a set of collected file types can support, decided at the level of file types
 * (not of podcap's code): each route names the file types it reads, the pod attribute it needs to
 * join on, and the attributes it yields. The closure over the remaining types is what a bundle
 * still supports after a file type is removed.
 */
export type Attr = 'name' | 'ip' | 'ifindex' | 'veth' | 'netns' | 'pid' | 'sandbox' | 'node' | 'local';

export interface Route {
  files: string[];
  /** Any one of these attributes must already be known (empty: the route names the pod itself). */
  needs: Attr[];
  gives: Attr[];
  /** Only for bundles with this property. */
  when?: (s: StyleFacts) => boolean;
}

export interface StyleFacts {
  naming: string;
  runtime: string;
  /** Folder files inside a pod are named by: 'pod' (pods/<pod>/), 'netns' (netns/<name>/). */
  podFolder: 'pod' | 'netns' | null;
  /** The node name appears in the node's own files (hostname, kubelet log), or its uplink IP in kubectl nodes. */
  pods: number;
}

const LINKS = ['ip-d-link', 'ip-link', 'ip-addr', 'ip-o-link', 'ip-o-addr'];

export const ROUTES: Route[] = [
  { files: ['kubectl-pods'], needs: [], gives: ['name', 'ip', 'node'] },
  { files: ['crictl-pods'], needs: [], gives: ['name', 'sandbox', 'local'] },
  { files: ['crictl-ps'], needs: [], gives: ['name', 'sandbox', 'local'] },
  { files: ['crictl-inspectp'], needs: [], gives: ['name', 'ip', 'netns', 'sandbox', 'local'] },
  { files: ['crictl-inspectp'], needs: ['name'], gives: ['pid'], when: (s) => s.runtime === 'containerd' },
  // kubelet log lines name the host; their SyncLoop ADD lines name pods too, but podcap reads only the host
  // containerd-shim -id → sandbox; CRI-O conmon -n k8s_<ctr>_<pod>_<ns>_… names the pod
  { files: ['pstree'], needs: ['sandbox'], gives: ['pid'], when: (s) => s.runtime === 'containerd' },
  { files: ['pstree'], needs: [], gives: ['name', 'pid', 'local'], when: (s) => s.runtime === 'crio' },
  // lsns prints one PID per netns (the lowest: the pause process); the pstree dumps are of the
  // apps, so lsns joins by netns name (NSFS) only
  { files: ['lsns'], needs: ['netns'], gives: ['netns'] },
  { files: ['pod-ip-addr'], needs: [], gives: ['name', 'ip', 'ifindex', 'local'], when: (s) => s.podFolder === 'pod' },
  { files: ['pod-ip-addr'], needs: ['netns'], gives: ['ip', 'ifindex', 'local'], when: (s) => s.podFolder === 'netns' },
  { files: ['pod-iflink'], needs: ['netns'], gives: ['ifindex', 'local'], when: (s) => s.podFolder === 'netns' },
  { files: ['netns-exec-ip-addr'], needs: ['netns', 'ip'], gives: ['netns', 'ip', 'ifindex', 'local'] },
  // `nsenter -t PID -n ip addr` pastes: PID is the netns's process in lsns (the pause), which names the netns
  { files: ['nsenter-ip-addr', 'lsns'], needs: ['netns', 'ip'], gives: ['netns', 'ip', 'ifindex', 'local'] },
  { files: ['nsenter-ip-addr'], needs: ['ip'], gives: ['ifindex', 'local'] },
  // node link listings: veth ifindex ↔ name ↔ link-netns
  ...LINKS.map((f): Route => ({ files: [f], needs: ['ifindex', 'veth', 'netns'], gives: ['ifindex', 'veth', 'netns', 'local'] })),
  // -i any capture: the interface index a pod IP's packets use on the node
  { files: ['tcpdump-any'], needs: ['ip'], gives: ['ifindex', 'local'] },
  // Calico / AWS veth names are a hash of namespace.pod: weak, but a link when nothing contradicts it
  ...LINKS.map((f): Route => ({ files: [f], needs: ['name'], gives: ['veth', 'ifindex', 'netns', 'local'], when: (s) => ['calico', 'aws', 'azure'].includes(s.naming) })),
];

/** Attributes per pod supported by `present` file types; `node` needs local evidence plus a node name from content. */
export function supported(present: Set<string>, s: StyleFacts, nodeNamed: boolean): Set<Attr> {
  const known = new Set<Attr>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of ROUTES) {
      if (r.when && !r.when(s)) continue;
      if (!r.files.every((f) => present.has(f))) continue;
      if (r.needs.length > 0 && !r.needs.some((a) => known.has(a))) continue;
      for (const a of r.gives) if (!known.has(a)) { known.add(a); grew = true; }
    }
  }
  if (!known.has('node') && known.has('local') && nodeNamed) known.add('node');
  return known;
}
