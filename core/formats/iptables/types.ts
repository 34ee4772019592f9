/**
 * Records from `iptables-save` / `ip6tables-save` (with or without -c) and from
 * `iptables -L [-n] [-v] [-x] [--line-numbers] [-t TABLE] [CHAIN]`. Both forms produce the same
 * rule shape so that later steps (blocking rules, kube-proxy service maps) work on either.
 */
export type IptablesRecord = IptablesChain | IptablesRule | KubeProxyService;

export interface IptablesChain {
  type: 'chain';
  form: 'save' | 'list';
  /** filter, nat, mangle, raw, security; absent for a listing that does not say (-t not shown). */
  table?: string;
  chain: string;
  /** Built-in chains only (ACCEPT, DROP); user chains have none. */
  policy?: string;
  packets?: number;
  bytes?: number;
  /** `(N references)` in listings. */
  references?: number;
  family?: 'ipv4' | 'ipv6';
  line: number;
}

export interface IptablesRule {
  type: 'rule';
  form: 'save' | 'list';
  table?: string;
  /** The paste had no `*table` line: the table was guessed from the chain and target (nat for kube-proxy's). */
  tableInferred?: true;
  chain: string;
  /** 1-based position in its chain (--line-numbers, else counted). */
  num: number;
  packets?: number;
  bytes?: number;
  /** Counters printed with K/M/G/T suffixes are rounded (iptables -L without -x). */
  countersApprox?: boolean;
  /** -j target or -g goto chain; absent for a rule that only counts. */
  target?: string;
  goto?: boolean;
  /** tcp, udp, icmp, all, ... (numbers printed by `-L -n` are turned into these names). */
  protocol?: string;
  protocolNegated?: boolean;
  /** Address or CIDR; `anywhere`/`0.0.0.0/0`/`::/0` are kept absent. */
  source?: string;
  sourceNegated?: boolean;
  destination?: string;
  destinationNegated?: boolean;
  inInterface?: string;
  outInterface?: string;
  /** Ports as printed: numbers, ranges `1024:65535`, or service names (listings without -n). */
  sports?: string[];
  dports?: string[];
  /** dports with service names resolved where podcap knows the name; ranges stay strings. */
  dportNumbers?: number[];
  comment?: string;
  /** DNAT/SNAT `--to-destination`/`--to-source` (listing: `to:`). */
  toDestination?: string;
  toSource?: string;
  rejectWith?: string;
  /** conntrack/state match values (RELATED,ESTABLISHED). */
  states?: string[];
  statesNegated?: boolean;
  probability?: number;
  family?: 'ipv4' | 'ipv6';
  /** The rule as printed (save: after `-A CHAIN`; list: the match text after the destination). */
  text: string;
  line: number;
}

export interface KubeProxyEndpoint {
  ip: string;
  port: number;
  sepChain: string;
  probability?: number;
  line: number;
}

/**
 * One service port as kube-proxy (iptables mode) programmed it: KUBE-SERVICES/KUBE-NODEPORTS →
 * KUBE-EXT-/KUBE-SVC-/KUBE-SVL- → KUBE-SEP- → DNAT. Derived from the rules after reading.
 */
export interface KubeProxyService {
  type: 'kubeService';
  /** `namespace/name:portName` as kube-proxy writes it in comments (`portName` may be empty). */
  service: string;
  namespace: string;
  name: string;
  portName: string;
  protocol?: string;
  clusterIp?: string;
  port?: number;
  nodePort?: number;
  externalIps: string[];
  loadBalancerIps: string[];
  svcChain?: string;
  endpoints: KubeProxyEndpoint[];
  /** kube-proxy's "has no endpoints" REJECT rule exists for this service port. */
  noEndpoints?: boolean;
  table?: string;
  /** First rule line that mentions the service. */
  line: number;
}
