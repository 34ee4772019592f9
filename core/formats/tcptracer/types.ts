export type TcpEventType = 'connect' | 'accept' | 'close' | 'unknown';

/** A Kubernetes name Inspektor Gadget prints instead of an IP (`p/default/bb:50192`, `s/default/nginx:80`). */
export interface K8sEndpoint {
  kind: 'pod' | 'service';
  namespace: string;
  name: string;
}

/**
 * One connect/accept/close event from BCC `tcptracer` (any flag combination) or an Inspektor
 * Gadget `trace tcp` / `tcptracer` table.
 */
export interface TcpTracerRecord {
  tool: 'bcc' | 'inspektor-gadget';
  /**
   * µs. bcc's TIME(s) / TIME(ns) columns count from the first event of the trace (`tsRelative`);
   * an Inspektor Gadget TIMESTAMP column is absolute (epoch µs).
   */
  tsUs?: number;
  tsRelative?: true;
  type: TcpEventType;
  /** null when masked in the dump or absent from a custom-column table. */
  pid: number | null;
  tid?: number;
  uid?: number;
  gid?: number;
  /** '' when the table has no COMM column. */
  comm: string;
  ipVersion: 4 | 6 | null;
  /** Canonical IP text; null when the tool printed a Kubernetes name instead (see `srcK8s`). Masked text is kept verbatim (see `masked`). */
  saddr: string | null;
  daddr: string | null;
  sport: number | null;
  dport: number | null;
  srcK8s?: K8sEndpoint;
  dstK8s?: K8sEndpoint;
  /** Network namespace inode: the NETNS column, or the `-N NETNS` filter of the command that produced the table. */
  netns?: number;
  /** Inspektor Gadget enrichment columns (values `<>` are left out). */
  k8s?: { node?: string; namespace?: string; pod?: string; container?: string };
  /** Fields whose value was masked in the dump (`tsUs`, `saddr`, ...). */
  masked?: string[];
  /** 1-based line number. */
  line: number;
}

/**
 * A row of the runbook's `awk | sort | uniq -c` count of tcptracer events (`Count SADDR NETNS`),
 * keyed by whichever tcptracer columns were counted.
 */
export interface TcpTracerCountRecord {
  count: number;
  saddr?: string;
  daddr?: string;
  sport?: number;
  dport?: number;
  netns?: number;
  pid?: number;
  comm?: string;
  type?: TcpEventType;
  /** Columns the header names that podcap does not map, verbatim. */
  other?: Record<string, string>;
  masked?: string[];
  line: number;
}
