import { portNumber } from './ports.js';
import type { IptablesRule } from './types.js';

const ANY = new Set(['anywhere', '0.0.0.0/0', '::/0', '0.0.0.0/0.0.0.0']);

/** Sets source/destination, dropping "any" and remembering `!`. */
export function setAddress(rule: IptablesRule, which: 'source' | 'destination', raw: string, negated: boolean): void {
  let v = raw;
  let neg = negated;
  if (v.startsWith('!')) {
    neg = true;
    v = v.slice(1);
  }
  if (ANY.has(v)) return;
  rule[which] = v;
  if (neg) rule[which === 'source' ? 'sourceNegated' : 'destinationNegated'] = true;
}

export function setPorts(rule: IptablesRule, which: 'sports' | 'dports', list: string[]): void {
  rule[which] = list;
  if (which === 'dports') {
    const nums = list.map(portNumber).filter((p): p is number => p !== undefined);
    if (nums.length) rule.dportNumbers = nums;
  }
}

/** An address without its host-length prefix (`10.96.0.1/32` → `10.96.0.1`). */
export function hostAddress(a: string | undefined): string | undefined {
  if (a === undefined) return undefined;
  return a.replace(/\/(32|128)$/, '');
}

/** `1234`, `12K`, `3M`: iptables -L rounds counters above 99999 unless -x. */
export function counter(text: string): { value: number; approx: boolean } | undefined {
  const m = /^(\d+)([KMGT]?)$/.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return { value: Number(m[1]) * mult, approx: m[2] !== '' };
}

const PROTOCOL_NAMES: Record<string, string> = { '0': 'all', '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp', '132': 'sctp' };

/** iptables -L -n prints protocol numbers (nft backend); podcap keeps names. */
export function protocolName(p: string): string {
  return PROTOCOL_NAMES[p] ?? p;
}
