import type { CaseDb } from '../db/open-case.js';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../net/ip-cidr.js';

const registered = new WeakSet<CaseDb>();

/**
 * SQL functions the display filter compiles to, registered once per connection:
 * `ip_in_cidr(ip_text, 'net/bits')` → 1 | 0. Networks are parsed once and kept (filters reuse few).
 */
export function registerFilterFunctions(db: CaseDb): void {
  if (registered.has(db)) return;
  const nets = new Map<string, Cidr | null>();
  db.function('ip_in_cidr', { deterministic: true }, (ip: unknown, net: unknown) => {
    if (typeof ip !== 'string' || typeof net !== 'string') return 0;
    let c = nets.get(net);
    if (c === undefined) {
      c = parseCidr(net);
      if (nets.size > 256) nets.clear();
      nets.set(net, c);
    }
    if (!c) return 0;
    const a = parseIp(ip);
    return a && cidrContains(c, a) ? 1 : 0;
  });
  registered.add(db);
}
