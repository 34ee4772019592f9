/**
 * Records read from container-runtime listings on a node: `crictl ps`, `crictl pods`,
 * `crictl inspect`/`inspectp` (and their `-o json` forms), `docker ps` and `docker inspect`.
 * Ids are kept exactly as printed: tables show 13-char (crictl) or 12-char (docker) prefixes,
 * JSON shows full 64-char ids; `idIsPrefix` says which, so correlation matches by prefix.
 */
export type CrictlRecord = ContainerRecord | SandboxRecord | InspectRecord;

interface Common {
  /** 1-based line where the row (or JSON object) starts. */
  line: number;
  /** Fields whose value was masked in the dump (TEXT_MASKED_VALUE was emitted for each). */
  masked?: string[];
  /** Read from a code fence inside a markdown document: an example, not evidence from a node. */
  embedded?: boolean;
}

/** One row of `crictl ps [-a]`, `docker ps [-a]`, or one entry of `crictl ps -o json`. */
export interface ContainerRecord extends Common {
  type: 'container';
  tool: 'crictl' | 'docker';
  containerId: string;
  idIsPrefix: boolean;
  image?: string;
  /** As printed ("6 hours ago"); JSON listings give `createdAtUs` instead. */
  created?: string;
  /** Epoch µs: exact from JSON, or the printed age subtracted from the context's base time. */
  createdAtUs?: number;
  /** crictl STATE (Running, Exited, Created, Unknown) or docker STATUS ("Up 2 hours"). */
  state?: string;
  /** Container name (for docker `k8s_` names, the container part). */
  name: string;
  attempt?: number;
  podId?: string;
  podIdIsPrefix?: boolean;
  podName?: string;
  namespace?: string;
  podUid?: string;
  /** docker only: the pod's pause container (`k8s_POD_...`), i.e. the sandbox. */
  isSandbox?: boolean;
  /** docker only: COMMAND, PORTS and the raw NAMES cell. */
  command?: string;
  ports?: string;
  dockerName?: string;
  labels?: Record<string, string>;
}

/** One row of `crictl pods`, or one entry of `crictl pods -o json`. */
export interface SandboxRecord extends Common {
  type: 'sandbox';
  tool: 'crictl';
  podId: string;
  idIsPrefix: boolean;
  created?: string;
  createdAtUs?: number;
  /** Ready / NotReady (tables) or SANDBOX_READY / SANDBOX_NOTREADY (JSON). */
  state?: string;
  name: string;
  namespace?: string;
  attempt?: number;
  /** RUNTIME column (runtime handler, "(default)" when none). */
  runtime?: string;
  podUid?: string;
  labels?: Record<string, string>;
}

/** A network interface the CNI plugin reported for a sandbox (containerd's `info.cniResult`). */
export interface CniInterface {
  name: string;
  mac?: string;
  /** Netns path for interfaces inside the pod; empty for host-side interfaces (the veth). */
  sandbox?: string;
  ips: string[];
}

/** One object of `crictl inspect` / `crictl inspectp` or one element of `docker inspect`. */
export interface InspectRecord extends Common {
  type: 'inspect';
  tool: 'crictl' | 'docker';
  object: 'container' | 'sandbox';
  /** Full id as the runtime reports it. */
  id: string;
  /** Container name, or pod name for a sandbox. */
  name?: string;
  state?: string;
  createdAtUs?: number;
  image?: string;
  /** Host PID of the container's (or sandbox's pause) process; absent when 0/stopped. */
  pid?: number;
  /** Network namespace: `/proc/<pid>/ns/net`, `/var/run/netns/cni-...`, docker's SandboxKey. */
  netnsPath?: string;
  /** True when the pod uses the node's network namespace (hostNetwork). */
  hostNetwork?: boolean;
  /** Pod IPs (crictl inspectp status.network; docker NetworkSettings). */
  ips: string[];
  /** For a container: the sandbox (pod) it belongs to. For a sandbox: its own id. */
  sandboxId?: string;
  podName?: string;
  podNamespace?: string;
  podUid?: string;
  containerName?: string;
  /** Runtime labels (includes the io.kubernetes.* ones and the pod's own labels). */
  labels: Record<string, string>;
  cniInterfaces?: CniInterface[];
}
