/**
 * What the node's runtime logs say about its pods: containerd's CRI lines (sandbox and container
 * ids with the pod's name), the kubelet's pod events, and CNI plugin lines (ADD/DEL with the pod,
 * its netns, host veth and addresses). Each record keeps the journal host it was written on.
 */
export type RuntimeLogRecord = RuntimeSandbox | RuntimeContainer | RuntimeCni | RuntimeKubeletPod | RuntimeHost;

interface Common {
  line: number;
  /** The journal/syslog host field (the node's own name), when the line has one. */
  host?: string;
  tsUs?: number;
}

/** containerd `RunPodSandbox for &PodSandboxMetadata{Name:…,Namespace:…} returns sandbox id "…"`. */
export interface RuntimeSandbox extends Common {
  type: 'sandbox';
  pod: string;
  namespace: string;
  uid?: string;
  sandboxId: string;
}

/** containerd `CreateContainer within sandbox "S" for &ContainerMetadata{Name:N,…} returns container id "C"`. */
export interface RuntimeContainer extends Common {
  type: 'container';
  sandboxId: string;
  name: string;
  containerId: string;
}

/** A CNI plugin's ADD/DEL for a pod: whatever of pod, sandbox, netns, veth and addresses the line names. */
export interface RuntimeCni extends Common {
  type: 'cni';
  op: 'ADD' | 'DEL';
  /** The plugin that wrote it (`azure-vnet`, `calico`, `cilium-cni`, …). */
  plugin: string;
  pod?: string;
  namespace?: string;
  /** The CNI ContainerID: the pod's sandbox id. */
  sandboxId?: string;
  /** Netns path as the plugin got it (`/var/run/netns/cni-…`). */
  netns?: string;
  /** Host side of the pod's veth. */
  hostVeth?: string;
  ips: string[];
}

/** kubelet lines naming a pod (`SyncLoop ADD`, PLEG `ContainerStarted` with its id, `Observed pod startup duration`). */
export interface RuntimeKubeletPod extends Common {
  type: 'kubelet';
  event: string;
  pod: string;
  namespace: string;
  uid?: string;
  /** PLEG event data: a container or sandbox id started/died on this node. */
  id?: string;
}

/** The host of the journal lines: one record per host, with how many lines name it. */
export interface RuntimeHost {
  type: 'host';
  name: string;
  line: number;
  lines: number;
}
