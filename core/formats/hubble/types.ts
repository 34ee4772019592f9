/** One side of a Hubble flow: the pod Cilium knows for it, or only its address. */
export interface HubbleEndpoint {
  ip: string | null;
  port: number | null;
  namespace?: string;
  pod?: string;
  /** Cilium security identity (`(ID:25698)`, JSON `identity`). */
  identity?: number;
  /** A reserved identity Hubble names instead (`(ingress)`, `(world)`, `(host)`). */
  reserved?: string;
}

export type HubbleVerdict = 'FORWARDED' | 'DROPPED' | 'DENIED' | 'ALLOWED' | 'AUDIT' | 'ERROR' | 'REDIRECTED' | 'TRACED' | 'TRANSLATED';

/**
 * One flow event of `hubble observe` (compact text, `-o json`/`jsonpb`) or the Hubble exporter
 * log. A DROPPED flow says why in `dropReason`; a `policy-verdict` event is the policy decision
 * that precedes a policy drop (not itself a drop).
 */
export interface HubbleFlow {
  /** Epoch µs; absent when the compact time has no year and no bundle time anchors it. */
  tsUs?: number;
  /** The time as printed (compact `Apr  5 21:03:15.919`, JSON ISO). */
  time: string;
  verdict: HubbleVerdict;
  /** `POLICY_DENIED`, `INVALID_SOURCE_IP`, …; compact lines' text (`Policy denied`) is mapped to these names. */
  dropReason?: string;
  /** What Hubble saw: `to-endpoint`, `policy-verdict:none INGRESS`, `http-request`, `L3_L4`, `L7`, … */
  event: string;
  /** `->` / `<-` / `<>` / `<->` of the compact form. */
  arrow?: string;
  /**
   * Whether the packet went from the connection's responder to its originator (JSON `is_reply`,
   * compact `<-`); absent when Hubble did not know (`<>`, the table form, old releases).
   * A compact reply is printed originator first, so its sender is `dst`.
   */
  isReply?: boolean;
  direction?: 'ingress' | 'egress';
  proto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp';
  tcpFlags?: string[];
  src: HubbleEndpoint;
  dst: HubbleEndpoint;
  node?: string;
  summary?: string;
  /** 1-based line. */
  line: number;
}
