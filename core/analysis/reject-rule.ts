import { portMatches } from '../formats/iptables/blocking.js';
import { portNumber } from '../formats/iptables/ports.js';
import type { IptablesRule } from '../formats/iptables/types.js';
import { cidrContains, parseCidr, parseIp } from '../api/ip-cidr.js';

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
