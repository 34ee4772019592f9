import type { K8sEndpoint, TcpEventType } from '../tcptracer/types.js';

export type { K8sEndpoint };

/** Which gadget printed the row: each carries a different kind of fact. */
export type IgGadget =
  | 'trace_tcp' // connect/accept/close events
  | 'trace_tcpconnect' // connect() calls (no event column)
  | 'trace_network' // aggregated outgoing/incoming peers per pod
  | 'top_tcp' // live connections with bytes sent/received
  | 'snapshot_socket' // sockets open at one moment
  | 'other'; // any other gadget: read for its Kubernetes/netns identity only

/**
 * One row (columns) or object (`-o json` / `jsonpretty`) of an Inspektor Gadget (`kubectl gadget`,
 * `ig`) output. `saddr` is the local side for the TCP gadgets and snapshot socket; for
 * trace network the remote peer is `daddr` (OUTGOING) or `saddr` (INCOMING).
 */
export interface IgRecord {
  gadget: IgGadget;
  form: 'columns' | 'json';
  /** Absolute time, epoch µs. */
  tsUs?: number;
  /** trace tcp / tcpconnect event (tcpconnect rows are connects). */
  event?: TcpEventType;
  /** trace network's TYPE. */
  direction?: 'outgoing' | 'incoming';
  proto?: 'tcp' | 'udp';
  pid: number | null;
  tid?: number;
  uid?: number;
  gid?: number;
  /** '' when the output has no COMM. */
  comm: string;
  ipVersion: 4 | 6 | null;
  /** Canonical IP text; null when IG printed a Kubernetes name instead (see srcK8s/dstK8s) or the side is absent. */
  saddr: string | null;
  sport: number | null;
  daddr: string | null;
  dport: number | null;
  srcK8s?: K8sEndpoint;
  dstK8s?: K8sEndpoint;
  /** Network / mount namespace inodes (JSON `netns_id`/`netnsid`, `mntns_id`/`mountnsid`). */
  netns?: number;
  mntns?: number;
  /** Kubernetes enrichment. Values IG cut to its column width are left out (see `truncated`). */
  k8s?: { node?: string; namespace?: string; pod?: string; container?: string; hostNetwork?: boolean };
  /** Container runtime enrichment (`RUNTIME.CONTAINERNAME`, JSON `runtime`). */
  runtime?: { containerName?: string; containerId?: string; runtimeName?: string };
  sentBytes?: number;
  recvBytes?: number;
  /** Socket state name (LISTEN, ESTABLISHED, ...); numeric kernel states are named. */
  state?: string;
  /** Fields whose value IG cut with `…` (prefix kept verbatim here, never used as an identity). */
  truncated?: Record<string, string>;
  /** Fields whose value was masked in the dump. */
  masked?: string[];
  /** 1-based line (of the object's opening brace for JSON). */
  line: number;
}
