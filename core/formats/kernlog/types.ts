export type KernEvent =
  | 'conntrack_table_full'
  | 'conntrack_expect_table_full'
  | 'ratelimit_suppressed'
  | 'conntrack_max_set'
  | 'conntrack_hashsize_set'
  | 'sysctl_set'
  | 'neighbor_table_overflow'
  | 'syn_flood'
  | 'other';

/**
 * One kernel log line (dmesg in its time formats, syslog, journalctl -k, ISO-stamped logs), or a
 * klog line of kube-proxy. Every well-formed line is a record; `event` names the ones podcap uses.
 */
export interface KernLogRecord {
  /** Epoch µs when the line carries a wall-clock time. */
  tsUs?: number;
  /**
   * The time is the host's wall clock without a zone (syslog, dmesg -T, klog): it is stored as if
   * it were UTC. ISO times with an offset are exact and do not set this.
   */
  tsLocal?: true;
  /** The year was not in the line; it came from the bundle time (see TEXT_NO_DATE). */
  yearInferred?: true;
  /** Seconds since boot (`[12345.678901]`). */
  uptimeS?: number;
  host?: string;
  /** `kernel` for kernel lines; the syslog tag otherwise; `klog` for Kubernetes component logs. */
  program: string;
  pid?: number;
  /** klog severity letter and source (`I`, `conntrack.go:52`). */
  severity?: string;
  sourceFile?: string;
  event: KernEvent;
  /** `N callbacks suppressed`. */
  count?: number;
  /** Which ratelimit state was suppressed (`net_ratelimit`, `nf_conntrack`), or the prefix of the message. */
  subsystem?: string;
  /** Numeric value of a `*_set` event, the SYN-flood port, ... */
  value?: number;
  /** sysctl name of a `sysctl_set` event (`net/netfilter/nf_conntrack_tcp_timeout_established`). */
  key?: string;
  /** The message without time, host and tag prefixes (wrapped lines joined with a space). */
  raw: string;
  /** 1-based line number (the first line of a wrapped message). */
  line: number;
}
