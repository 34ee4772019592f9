/** Label text for axes and graph nodes: pure, no DOM, so it is unit-tested under Node. */

/** Shortens a label to `max` characters for an axis, keeping the full text in a <title>. */
export function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * Clips labels to `max` characters, keeping them distinct: where two clipped labels would read the
 * same, the middle gives way instead of the end (node and pod names differ in their tails:
 * `aks-nodepool1-38164255-vmss000001` and `…000002`).
 */
export function distinctClips(labels: readonly string[], max: number): string[] {
  const out = labels.map((l) => clip(l, max));
  const clashes = () => {
    const seen = new Map<string, Set<string>>();
    labels.forEach((l, i) => seen.set(out[i], (seen.get(out[i]) ?? new Set()).add(l)));
    return new Set([...seen].filter(([, originals]) => originals.size > 1).map(([c]) => c));
  };
  for (let tail = Math.ceil((max - 1) / 2); tail <= max - 1; tail++) {
    const bad = clashes();
    if (bad.size === 0) break;
    labels.forEach((l, i) => {
      if (bad.has(out[i]) && l.length > max) out[i] = `${l.slice(0, max - 1 - tail)}…${l.slice(l.length - tail)}`;
    });
  }
  return out;
}
