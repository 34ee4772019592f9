/**
 * `ss -s` (iproute2): socket totals, the TCP state counters and the per-transport table.
 * Old iproute2 printed `Total: N (kernel M)` and `timewait X/Y), ports P`; both layouts are read.
 */
export type SsSummaryRecord = SsTotal | SsTcpCounts | SsTransport;

export interface SsTotal {
  type: 'total';
  sockets: number;
  /** Old iproute2 only: the kernel's own count. */
  kernel?: number;
  line: number;
}

export interface SsTcpCounts {
  type: 'tcp';
  /** TCP sockets the kernel counts (includes closed ones still allocated). */
  total: number;
  estab: number;
  closed: number;
  orphaned: number;
  timewait: number;
  synrecv?: number;
  /** Old iproute2: the `Y` of `timewait X/Y` (time-wait buckets). */
  timewaitBuckets?: number;
  ports?: number;
  line: number;
}

export interface SsTransport {
  type: 'transport';
  /** RAW, UDP, TCP, INET, FRAG (MPTCP… on newer kernels). */
  transport: string;
  total: number;
  ip: number;
  ipv6: number;
  line: number;
}
