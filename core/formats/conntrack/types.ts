/** One direction of a conntrack entry, exactly as printed (with SNAT the reply dst is the node IP and dport the SNAT port). */
export interface ConntrackTuple {
  /** Canonical IP text (RFC 5952 for IPv6, also for /proc's zero-padded form); masked text kept verbatim. */
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  /** GRE keys (`srckey=0x0`), as printed. */
  srcKey?: string;
  dstKey?: string;
  /** Accounting (`nf_conntrack_acct=1`). */
  packets?: number;
  bytes?: number;
  /** Directional zone (`zone-orig=`, `zone-reply=`). */
  zone?: number;
}

export type ConntrackEvent = 'NEW' | 'UPDATE' | 'DESTROY';

/** A tracked connection from `conntrack -L`, `conntrack -E`, `-D/-U` echoes or /proc/net/nf_conntrack. */
export interface ConntrackEntry {
  kind: 'entry';
  event?: ConntrackEvent;
  /** Epoch µs of the event (`conntrack -E -o timestamp`: `[1466520286.987453]`). */
  tsUs?: number;
  /** `-o extended` and /proc/net/nf_conntrack print the layer-3 protocol first. */
  l3proto?: string;
  proto: string;
  protoNum: number;
  /** Seconds left; absent for offloaded flows (the kernel omits it) and some DESTROY events. */
  timeout?: number;
  tcpState?: string;
  /** State of other stateful protocols (sctp, dccp). */
  protoState?: string;
  orig: ConntrackTuple;
  reply: ConntrackTuple;
  /** `UNREPLIED`, `ASSURED`, `OFFLOAD`, `HW_OFFLOAD`, ... without brackets, in print order. */
  flags: string[];
  mark?: number;
  secmark?: number;
  secctx?: string;
  zone?: number;
  use?: number;
  /** conntrack id (`-o id`). */
  id?: number;
  labels?: string[];
  helper?: string;
  /** Seconds since the entry was created (`nf_conntrack_timestamp=1`). */
  deltaTimeS?: number;
  /** Other `key=value` / `[key=value]` items, verbatim (gre `timeout=`, `-o ktimestamp` start/stop, ...). */
  extra?: Record<string, string>;
  masked?: string[];
  line: number;
}

/** An expectation (`conntrack -E expect`, `conntrack -L expect`). */
export interface ConntrackExpect {
  kind: 'expect';
  event?: ConntrackEvent;
  tsUs?: number;
  timeout: number;
  protoNum: number;
  tuple: ConntrackTuple;
  mask?: ConntrackTuple;
  master?: ConntrackTuple;
  /** `PERMANENT`, `INACTIVE`, `USERSPACE`. */
  flags: string[];
  class?: number;
  helper?: string;
  zone?: number;
  extra?: Record<string, string>;
  line: number;
}

/** Per-CPU counters: `conntrack -S` (`cpu=0 found=0 invalid=130 ... insert_failed=0 drop=0 early_drop=0`) or /proc/net/stat/nf_conntrack. */
export interface ConntrackStats {
  kind: 'stats';
  cpu: number;
  source: 'conntrack-S' | 'proc-stat';
  /** Counter name → value (`found`, `invalid`, `insert_failed`, `drop`, `early_drop`, `error`, `search_restart`, ...). /proc's `entries` is the table size. */
  counters: Record<string, number>;
  line: number;
}

/** The footer conntrack-tools prints (`conntrack v1.4.7 (conntrack-tools): 8 flow entries have been shown.`) or another message of it. */
export interface ConntrackSummary {
  kind: 'summary';
  version?: string;
  count?: number;
  /** `flow entries`, `flow events`, `expectations`, ... */
  what?: string;
  /** `shown`, `deleted`, `updated`, `flushed`, ... */
  action?: string;
  message: string;
  line: number;
}

/** A conntrack sysctl seen among conntrack output (`net.netfilter.nf_conntrack_max = 262144`), or `conntrack -C` after its prompt. */
export interface ConntrackSetting {
  kind: 'setting';
  key: string;
  value: number;
  line: number;
}

export type ConntrackRecord = ConntrackEntry | ConntrackExpect | ConntrackStats | ConntrackSummary | ConntrackSetting;
