/** One entry of `cilium bpf ct list global` (the datapath's own connection tracking). */
export interface CiliumCtRecord {
  type: 'ct';
  proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'any';
  /** IN / OUT as Cilium keys the tuple; SVC (or the `service` word) is the load-balancer entry. */
  dir: 'in' | 'out' | 'svc';
  service: boolean;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** Seconds on the agent's monotonic clock when the entry expires (not a remaining time). */
  expires: number;
  rxPackets?: number;
  rxBytes?: number;
  txPackets?: number;
  txBytes?: number;
  /** Flag names printed in `[ … ]` (RxClosing, TxClosing, SeenNonSyn, …). */
  flags: string[];
  revNat?: number;
  securityId?: number;
  backendId?: number;
  line: number;
}

/** One entry of `cilium bpf nat list`: the address/port Cilium translated a tuple to (SNAT port use). */
export interface CiliumNatRecord {
  type: 'nat';
  proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'any';
  dir: 'in' | 'out';
  src: string;
  sport: number;
  dst: string;
  dport: number;
  xlate: 'src' | 'dst';
  toIp: string;
  toPort: number;
  createdS?: number;
  hostLocal?: boolean;
  line: number;
}

/**
 * One row of `cilium(-dbg) bpf lb list`: a service frontend (VIP:port) and one of its slots. Slot 0
 * is the frontend itself (`0.0.0.0:0`, with the service type in brackets), slots 1..n its backends.
 */
export interface CiliumLbRecord {
  type: 'lb';
  vip: string;
  vipPort: number;
  /** From the `/TCP`, `/UDP` suffix of Cilium 1.17+; absent in older layouts. */
  proto?: 'tcp' | 'udp' | 'sctp' | 'any';
  /** `/i`: the frontend's internal scope (two-scopes services). */
  internal?: boolean;
  /** The backend pod or node address; null on the slot-0 row. */
  backend: { ip: string; port: number } | null;
  revNat: number;
  slot: number;
  /** Words in brackets on the slot-0 row: ClusterIP, NodePort, LoadBalancer, Local, non-routable, … */
  serviceFlags?: string[];
  line: number;
}

export type CiliumRecord = CiliumCtRecord | CiliumNatRecord | CiliumLbRecord;
