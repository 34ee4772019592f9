import { addressClass, parseV4Cidr, type ClusterRanges } from '../net/address-class.js';
import type { CaseDb } from '../db/open-case.js';

const registered = new WeakSet<CaseDb>();

/** The cluster's pod CIDRs as the case knows them (kubectl get nodes podCIDR). */
export function clusterRanges(db: CaseDb): ClusterRanges {
  const rows = db.prepare(`SELECT json_extract(data, '$.podCIDR') AS c, json_extract(data, '$.podCIDRs') AS cs FROM records
    WHERE kind = 'kubectl' AND json_extract(data, '$.type') = 'node'`).all() as { c: string | null; cs: string | null }[];
  const cidrs = new Set<string>();
  for (const r of rows) {
    if (r.c) cidrs.add(r.c);
    if (r.cs) for (const c of JSON.parse(r.cs) as string[]) cidrs.add(c);
  }
  return { v4: [...cidrs].map(parseV4Cidr).filter((x): x is NonNullable<typeof x> => x !== null) };
}

/** `ip_class(ip)` and `ip_public(ip)` for the analysis queries; registered once per connection. */
export function registerAnalysisFunctions(db: CaseDb): void {
  if (registered.has(db)) return;
  const ranges = clusterRanges(db);
  const cache = new Map<string, string>();
  const cls = (ip: unknown): string => {
    if (typeof ip !== 'string') return 'unspecified';
    let c = cache.get(ip);
    if (c === undefined) {
      c = addressClass(ip, ranges);
      if (cache.size > 100_000) cache.clear();
      cache.set(ip, c);
    }
    return c;
  };
  db.function('ip_class', { deterministic: true }, (ip: unknown) => cls(ip));
  db.function('ip_public', { deterministic: true }, (ip: unknown) => (cls(ip) === 'public' ? 1 : 0));
  registered.add(db);
}
