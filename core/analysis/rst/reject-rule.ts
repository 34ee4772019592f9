import { portMatches } from '../../formats/iptables/blocking.js';
import { portNumber } from '../../formats/iptables/ports.js';
import type { IptablesRule } from '../../formats/iptables/types.js';
import type { NftMatch, NftRule, NftSet } from '../../formats/nft/types.js';
import { cidrContains, parseCidr, parseIp } from '../../net/ip-cidr.js';

/** The packet a RST answers, as the node's filter table saw it (before SNAT, after DNAT). */
export interface AnsweredPacket {
  proto: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  /** The answered packet was a SYN (a new connection): conntrack state NEW. */
  syn: boolean;
}

/**
 * The first iptables rule that answers this packet with a TCP reset (`-j REJECT --reject-with
 * tcp-reset`), in the order the rules were printed. Only the rule's own matches are checked:
 * an earlier ACCEPT or a chain never jumped to is not followed, so this names the rule that would
 * forge such a RST, it does not prove the packet reached it.
 */
export function rejectRuleFor(rules: readonly IptablesRule[], p: AnsweredPacket): IptablesRule | null {
  const src = parseIp(p.srcIp);
  const dst = parseIp(p.dstIp);
  if (!src || !dst) return null;
  for (const r of rules) {
    if (r.target !== 'REJECT' || !/^tcp-reset$/i.test(r.rejectWith ?? '')) continue;
    if (r.table !== undefined && r.table !== 'filter') continue;
    if (p.proto !== 'tcp') continue;
    if (r.protocol && r.protocol !== 'all' && (r.protocol === 'tcp') === !!r.protocolNegated) continue;
    if (!addressMatches(r.source, r.sourceNegated, src) || !addressMatches(r.destination, r.destinationNegated, dst)) continue;
    if (r.dports && !portsMatch(r.dports, p.dstPort)) continue;
    if (r.sports && !portsMatch(r.sports, p.srcPort)) continue;
    if (r.states?.length) {
      const want = p.syn ? ['NEW'] : ['ESTABLISHED', 'INVALID', 'RELATED'];
      const has = r.states.some((s) => want.includes(s.toUpperCase()));
      if (has === !!r.statesNegated) continue;
    }
    return r;
  }
  return null;
}

function addressMatches(spec: string | undefined, negated: boolean | undefined, addr: Uint8Array): boolean {
  if (!spec) return true;
  const c = parseCidr(spec);
  if (!c) return false; // a host name podcap cannot resolve: do not claim the rule
  return cidrContains(c, addr) !== !!negated;
}

/** `--dport 25`, `--dports 25,465`, ranges `1024:65535`, known service names (`smtp`). */
function portsMatch(specs: readonly string[], port: number): boolean {
  return specs.some((s) => portMatches(s, port) || portNumber(s) === port);
}

/**
 * The first nftables rule that answers the packet with `reject with tcp reset`. Rules with match
 * expressions podcap does not read are skipped (they may match less than the rest says); a named
 * set is looked up among the same table's sets.
 */
export function nftRejectRuleFor(rules: readonly NftRule[], sets: readonly NftSet[], p: AnsweredPacket): NftRule | null {
  const src = parseIp(p.srcIp);
  const dst = parseIp(p.dstIp);
  if (!src || !dst || p.proto !== 'tcp') return null;
  const v = src.length === 4 ? 4 : 6;
  for (const r of rules) {
    if (r.verdict !== 'reject' || r.rejectWith !== 'tcp reset' || r.unread?.length) continue;
    if ((r.family === 'ip' && v !== 4) || (r.family === 'ip6' && v !== 6) || !['ip', 'ip6', 'inet', 'bridge', 'netdev'].includes(r.family)) continue;
    if (r.ipVersion !== undefined && r.ipVersion !== v) continue;
    if (r.l4proto && !r.l4proto.includes('tcp')) continue;
    const setOf = (m: NftMatch) => (m.set !== undefined ? sets.find((s) => s.set === m.set && s.table === r.table && s.family === r.family)?.elements : m.values);
    const addr = (m: NftMatch | undefined, a: Uint8Array) => {
      if (!m) return true;
      const vals = setOf(m);
      if (!vals) return false; // a set that was not collected: do not claim the rule
      const hit = vals.some((x) => { const c = parseCidr(x); return c !== null && cidrContains(c, a); });
      return hit !== !!m.negated;
    };
    const port = (m: NftMatch | undefined, n: number) => {
      if (!m) return true;
      const vals = setOf(m);
      if (!vals) return false;
      const hit = vals.some((x) => { const range = /^(\d+)-(\d+)$/.exec(x); return range ? n >= Number(range[1]) && n <= Number(range[2]) : portsMatch([x], n); });
      return hit !== !!m.negated;
    };
    if (!addr(r.saddr, src) || !addr(r.daddr, dst) || !port(r.sport, p.srcPort) || !port(r.dport, p.dstPort)) continue;
    if (r.ctState) {
      const want = p.syn ? ['new'] : ['established', 'invalid', 'related'];
      const has = (setOf(r.ctState) ?? []).some((s) => want.includes(s.toLowerCase()));
      if (has === !!r.ctState.negated) continue;
    }
    return r;
  }
  return null;
}

/** How a matched nft rule is named in evidence: where it lives, then the rule as nft printed it. */
export function nftRuleText(r: NftRule): string {
  return `nft table ${r.family} ${r.table} chain ${r.chain}: ${r.text}`;
}

/**
 * nftables rules that drop or reject new TCP connections to `port` (a hardening rule on the kubelet
 * port): `tcp dport` holding the port itself, a range or anonymous set around it, or a named set
 * of the same table that lists it. A negated match (`dport != 10250`) spares the port.
 */
export function nftRulesBlockingPort(rules: readonly NftRule[], sets: readonly NftSet[], port: number): NftRule[] {
  return rules.filter((r) => {
    if (r.verdict !== 'drop' && r.verdict !== 'reject') return false;
    if (!r.dport || r.dport.negated || (r.l4proto && !r.l4proto.includes('tcp'))) return false;
    const vals = r.dport.set !== undefined ? sets.find((s) => s.set === r.dport!.set && s.table === r.table && s.family === r.family)?.elements : r.dport.values;
    return (vals ?? []).some((x) => { const range = /^(\d+)-(\d+)$/.exec(x); return range ? port >= Number(range[1]) && port <= Number(range[2]) : portsMatch([x], port); });
  });
}
