import type { CaptureFact } from './types.js';

/**
 * Which interface a pod address enters the node on, from `-i any` captures: the SLL2 interface
 * index of every flow of the address. A pod's own veth carries all its flows; a peer pod's veth,
 * the bridge or the uplink carry only some, or carry several addresses' flows. So per folder:
 * keep the indexes common to all of an address's flows, drop the ones common to several owners
 * (a bridge, the uplink) and the node's addressed interfaces, then settle by elimination.
 */
export function ifindexFromCaptures(
  facts: CaptureFact[],
  /** The pod an address belongs to (namespace/name), or null for addresses of no known pod. */
  ownerOf: (ip: string) => string | null,
  addressed: (group: string | null, ifindex: number) => boolean,
): Map<string, { group: string | null; ifindex: number; fact: CaptureFact }> {
  const out = new Map<string, { group: string | null; ifindex: number; fact: CaptureFact }>();
  const byGroup = new Map<string | null, CaptureFact[]>();
  // Only pod addresses: link-local neighbours, multicast and the node's own addresses show up on
  // every interface and would make a pod's veth look shared.
  for (const f of facts) if (ownerOf(f.ip) !== null) byGroup.set(f.group, [...(byGroup.get(f.group) ?? []), f]);
  const owner = (ip: string) => ownerOf(ip)!;
  for (const [group, list] of byGroup) {
    const cand = new Map<CaptureFact, Set<number>>();
    for (const f of list) cand.set(f, new Set(f.ifindexes.filter((i) => !addressed(group, i))));
    const owners = new Map<number, Set<string>>();
    for (const [f, s] of cand) for (const i of s) owners.set(i, (owners.get(i) ?? new Set()).add(owner(f.ip)));
    // an index in several owners' sets is dropped from a set only while the set keeps one that is not
    for (const s of cand.values()) {
      const own = [...s].filter((i) => (owners.get(i)?.size ?? 0) === 1);
      if (own.length > 0) for (const i of [...s]) if (!own.includes(i)) s.delete(i);
    }
    // elimination: an index settled for one owner is no other owner's
    for (let changed = true; changed; ) {
      changed = false;
      const settled = new Map<number, string>();
      for (const [f, s] of cand) if (s.size === 1) settled.set([...s][0]!, owner(f.ip));
      for (const [f, s] of cand) {
        if (s.size < 2) continue;
        for (const i of [...s]) if (settled.has(i) && settled.get(i) !== owner(f.ip)) { s.delete(i); changed = true; }
      }
    }
    const taken = new Map<number, Set<string>>();
    for (const [f, s] of cand) if (s.size === 1) taken.set([...s][0]!, (taken.get([...s][0]!) ?? new Set()).add(owner(f.ip)));
    for (const [f, s] of cand) {
      if (s.size !== 1) continue;
      const i = [...s][0]!;
      if (taken.get(i)!.size > 1) continue; // two owners still claim it: a shared interface
      out.set(`${group ?? ''}\0${f.ip}`, { group, ifindex: i, fact: f });
    }
  }
  return out;
}
