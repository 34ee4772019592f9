/**
 * Records from `nft list ruleset` (with or without `-a` handles): tables, chains, named sets and
 * rules, each rule with the matches and verdict podcap uses (who a REJECT answers).
 */
export type NftRecord = NftTable | NftChain | NftSet | NftRule;

export interface NftTable {
  type: 'table';
  /** ip, ip6, inet, arp, bridge, netdev. */
  family: string;
  table: string;
  line: number;
}

export interface NftChain {
  type: 'chain';
  family: string;
  table: string;
  chain: string;
  /** Base chains: `type filter hook forward priority filter; policy accept;`. */
  chainType?: string;
  hook?: string;
  policy?: string;
  line: number;
}

export interface NftSet {
  type: 'set';
  family: string;
  table: string;
  set: string;
  elements: string[];
  line: number;
}

/** One side of an address or port match: values (addresses, CIDRs, ports, ranges `a-b`) or a named set. */
export interface NftMatch {
  values?: string[];
  /** `@name`: a named set of the same table. */
  set?: string;
  negated?: boolean;
}

export interface NftRule {
  type: 'rule';
  family: string;
  table: string;
  chain: string;
  /** The rule as printed, without its `# handle N`. */
  text: string;
  handle?: number;
  /** accept, drop, reject, return, jump, goto, queue, masquerade, snat, dnat, redirect. */
  verdict?: string;
  /** `jump`/`goto` target chain. */
  target?: string;
  /** `reject with tcp reset` → "tcp reset"; absent for a plain `reject` (ICMP port unreachable). */
  rejectWith?: string;
  /** 4 or 6 when the rule matches `ip`/`ip6` fields. */
  ipVersion?: 4 | 6;
  saddr?: NftMatch;
  daddr?: NftMatch;
  /** `tcp dport`/`meta l4proto tcp`: the protocol the rule is limited to. */
  l4proto?: string[];
  sport?: NftMatch;
  dport?: NftMatch;
  ctState?: NftMatch;
  iifname?: NftMatch;
  oifname?: NftMatch;
  comment?: string;
  /** Match expressions podcap does not read (marks, meta, limits...): the rule may match less than it says. */
  unread?: string[];
  line: number;
}
