import { portNumber } from './ports.js';
import type { IptablesRecord, IptablesRule } from './types.js';

/**
 * Rules that drop or reject packets (runbook 2: "an iptables rule in INPUT with target DROP and
 * tcp dpt:10250"). Optionally only those that can match a destination port: a rule without a
 * port match applies to every port.
 */
export function blockingRules(records: readonly IptablesRecord[], port?: number): IptablesRule[] {
  return records.filter((r): r is IptablesRule => {
    if (r.type !== 'rule' || (r.target !== 'DROP' && r.target !== 'REJECT')) return false;
    if (port === undefined) return true;
    if (!r.dports) return true;
    if (r.dports.some((p) => portMatches(p, port) || portNumber(p) === port)) return true;
    // A service name podcap cannot resolve might be this port: keep the rule rather than hide it.
    return r.dports.some((p) => portNumber(p) === undefined && !/^\d*:\d*$/.test(p));
  });
}

export function portMatches(spec: string, port: number): boolean {
  const range = /^(\d*):(\d*)$/.exec(spec);
  if (range) {
    const lo = range[1] === '' ? 0 : Number(range[1]);
    const hi = range[2] === '' ? 65535 : Number(range[2]);
    return port >= lo && port <= hi;
  }
  return /^\d+$/.test(spec) ? Number(spec) === port : false;
}
