/**
 * Records from `kubectl get pods|nodes|services -o wide` tables (with or without -A) and from
 * `kubectl get ... -o json` (List, *List or single objects) for pods, nodes, services,
 * endpoints and endpointslices. Tables without a NAMESPACE column leave `namespace` absent: the
 * namespace was whatever -n/the context said, which the dump does not record.
 */
export type KubectlRecord = KubePod | KubeNode | KubeService | KubeEndpoint;

interface Common {
  line: number;
  masked?: string[];
  /** Read from a code fence inside a markdown document: an example, not evidence. */
  embedded?: boolean;
}

export interface KubePod extends Common {
  type: 'pod';
  namespace?: string;
  name: string;
  /** Primary pod IP (`<none>` → absent). */
  ip?: string;
  /** All pod IPs (dual stack); the table shows only the primary. */
  podIPs: string[];
  hostIP?: string;
  node?: string;
  /** Table STATUS (Running, CrashLoopBackOff, Terminating, ...) or JSON status.phase. */
  status?: string;
  /** READY as printed ("1/2"). */
  ready?: string;
  restarts?: number;
  /** Table AGE as printed. */
  age?: string;
  /** JSON status.startTime (RFC 3339) and the same in epoch µs. */
  startTime?: string;
  startTimeUs?: number;
  /** Approximate creation time from AGE and the context's base time. */
  createdAtUs?: number;
  /** Container ids without the runtime prefix (`containerd://`), from status.containerStatuses. */
  containerIds?: string[];
  containers?: { name: string; id?: string; runtime?: string; ready?: boolean; restartCount?: number }[];
  uid?: string;
  labels?: Record<string, string>;
  nominatedNode?: string;
  readinessGates?: string;
  hostNetwork?: boolean;
}

export interface KubeNode extends Common {
  type: 'node';
  name: string;
  internalIp?: string;
  externalIp?: string;
  /** All InternalIP addresses (dual stack). */
  internalIps?: string[];
  hostname?: string;
  podCIDR?: string;
  podCIDRs?: string[];
  status?: string;
  roles?: string;
  age?: string;
  version?: string;
  osImage?: string;
  kernelVersion?: string;
  containerRuntime?: string;
  labels?: Record<string, string>;
}

export interface ServicePort {
  port: number;
  protocol: string;
  nodePort?: number;
  name?: string;
  /** Number or named container port; only JSON has it. */
  targetPort?: string | number;
}

export interface KubeService extends Common {
  type: 'service';
  namespace?: string;
  name: string;
  /** ClusterIP, NodePort, LoadBalancer, ExternalName. */
  serviceType: string;
  /** `None` for headless services is kept as absent plus `headless: true`. */
  clusterIp?: string;
  clusterIps?: string[];
  headless?: boolean;
  /** EXTERNAL-IP / spec.externalIPs + status.loadBalancer.ingress; `<pending>` → `pending: true`. */
  externalIps: string[];
  pending?: boolean;
  ports: ServicePort[];
  /** Absent when the service has no selector (`<none>`). */
  selector?: Record<string, string>;
  age?: string;
  uid?: string;
}

export interface KubeEndpoint extends Common {
  type: 'endpoint';
  source: 'endpoints' | 'endpointslice';
  /** Service name (Endpoints name, or the slice's kubernetes.io/service-name label). */
  service: string;
  namespace?: string;
  ip: string;
  port?: number;
  portName?: string;
  protocol?: string;
  ready?: boolean;
  /** targetRef of kind Pod: `name`. */
  targetPod?: string;
  targetPodUid?: string;
  node?: string;
  /** EndpointSlice name (several slices may serve one service). */
  slice?: string;
}
