import { describe, expect, it } from 'vitest';
import { nthSmallest } from '../../core/analysis/cells/nth-smallest.js';
import { MINUTE_US, OpenerCellBuilder, rankOpeners, summarizeOpener, type OpenerFlow } from '../../core/analysis/cells/opener-cells.js';
import { snatCells, summarizeSnat, type SnatUse } from '../../core/analysis/cells/snat-cells.js';
import { portStats } from '../../core/analysis/cells/snat.js';
import { rng } from '../../scripts/synthetic-case.js';

const T0 = 1_764_000_000_000_000 - (1_764_000_000_000_000 % MINUTE_US);

/** Port uses of one SNAT group over `minutes`: short and long connections, ports reused, each use after the previous one of its port. */
function uses(seed: number, n: number, minutes: number, ports: number): SnatUse[] {
  const r = rng(seed);
  const free = new Map<number, number>();
  const out: SnatUse[] = [];
  for (let i = 0; i < n; i++) {
    const port = 1024 + Math.floor(r() * ports);
    const start = Math.max(T0 + Math.floor(r() * minutes * MINUTE_US), (free.get(port) ?? 0) + 1 + Math.floor(r() * 5e6));
    const end = start + (r() < 0.1 ? Math.floor(r() * 400e6) : Math.floor(r() * 3e6));
    free.set(port, end);
    out.push({ port, startUs: start, endUs: end, ended: r() < 0.3 ? 'rst' : r() < 0.8 ? 'fin' : 'open', podId: 1 + Math.floor(r() * 3) });
  }
  return out;
}

describe('nthSmallest', () => {
  it('agrees with a sort on random, repeated and ordered input', () => {
    const r = rng(7);
    for (const n of [1, 2, 3, 10, 101, 5000]) {
      for (const make of [() => r() * 1000, () => Math.floor(r() * 4), (i: number) => i, (i: number) => -i]) {
        const xs = Float64Array.from({ length: n }, (_, i) => make(i));
        const sorted = Float64Array.from(xs).sort();
        for (const k of [0, n - 1, Math.floor((n - 1) / 2), Math.floor(r() * n)]) expect(nthSmallest(Float64Array.from(xs), k)).toBe(sorted[k]);
      }
    }
    expect(() => nthSmallest(new Float64Array(0), 0)).toThrow(RangeError);
  });
});

describe('SNAT cells', () => {
  it('over the whole case give what portStats gives for the same uses', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const u = uses(seed, 600, 12, 200);
      const ref = portStats(u);
      const got = summarizeSnat(snatCells(u));
      expect({ d: got.distinctPorts, p: got.peakConcurrent, h: got.peakHeld, a: got.heldAfterCloseAtPeak, r: got.reusedPorts, g: got.minReuseGapUs })
        .toEqual({ d: ref.distinctPorts, p: ref.peakConcurrent, h: ref.peakHeld, a: ref.heldAfterCloseAtPeak, r: ref.reusedPorts, g: ref.minReuseGapUs });
      expect(got.firstUs).toBe(Math.min(...u.map((x) => x.startUs)));
      expect(got.lastUs).toBe(Math.max(...u.map((x) => x.endUs)));
    }
  });

  it('stored for the whole case, answer any run of whole minutes as the window\'s own uses do', () => {
    for (const [seed, n] of [[11, 800], [12, 800], [13, 800], [14, 12], [15, 5]]) {
      // Sparse groups too: minutes without any event, held ports carried through them.
      const u = uses(seed, n, 15, 150);
      const stored = snatCells(u);
      for (const [a, b] of [[0, 0], [2, 5], [6, 14], [14, 20], [3, 3]]) {
        const win = { fromUs: T0 + a * MINUTE_US, toUs: T0 + (b + 1) * MINUTE_US - 1 };
        const m0 = a + T0 / MINUTE_US;
        const m1 = b + T0 / MINUTE_US;
        const fromRollup = summarizeSnat(stored.filter((c) => c.minute >= m0 && c.minute <= m1), win);
        const exact = summarizeSnat(snatCells(u, win), win);
        expect(fromRollup, `seed ${seed} minutes ${a}-${b}`).toEqual(exact);
        // And the window's own uses, swept plainly: the ports and pods are those of the overlapping connections.
        const inside = u.filter((x) => x.endUs >= win.fromUs && x.startUs <= win.toUs);
        expect(exact.distinctPorts).toBe(new Set(inside.map((x) => x.port)).size);
        expect(exact.podPorts.get(2) ?? 0).toBe(new Set(inside.filter((x) => x.podId === 2).map((x) => x.port)).size);
        expect(exact.reusedPorts).toBe(portStats(inside).reusedPorts);
        expect(exact.minReuseGapUs).toBe(portStats(inside).minReuseGapUs);
      }
    }
  });

  it('counts a port held after a close just before the window as held inside it', () => {
    const u: SnatUse[] = [{ port: 2000, startUs: T0, endUs: T0 + 1e6, ended: 'fin', podId: 0 }];
    const win = { fromUs: T0 + MINUTE_US, toUs: T0 + 2 * MINUTE_US - 1 };
    const s = summarizeSnat(snatCells(u, win), win);
    expect(s).toMatchObject({ distinctPorts: 0, peakConcurrent: 0, peakHeld: 1, heldAfterCloseAtPeak: 1 });
    // The stored cells carry the hold through the minutes without events.
    const m = T0 / MINUTE_US;
    expect(snatCells(u).map((c) => [c.minute - m, c.peakHeld])).toEqual([[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]);
    expect(summarizeSnat(snatCells(u).filter((c) => c.minute === m + 1), win)).toEqual(s);
    // Held for 240 s after a FIN: gone by the sixth minute.
    const later = { fromUs: T0 + 5 * MINUTE_US, toUs: T0 + 6 * MINUTE_US - 1 };
    expect(summarizeSnat(snatCells(u, later), later).peakHeld).toBe(0);
  });
});

describe('opener cells', () => {
  it('add up to the figures of the flows themselves, for any run of minutes', () => {
    const r = rng(99);
    const flows: OpenerFlow[] = Array.from({ length: 3000 }, () => {
      const s = T0 + Math.floor(r() * 20 * MINUTE_US);
      const who = `ns/pod-${Math.floor(r() ** 2 * 12)}`;
      return { startUs: s, endUs: s + Math.floor(r() * 90e6), who, isPod: true, destId: 1 + Math.floor(r() * 30), requests: r() < 0.7 ? 1 : 3 };
    }).sort((a, b) => a.startUs - b.startUs);
    const dest = (id: number) => ({ ip: `203.0.113.${id % 10}`, port: 443 + (id % 3), public: id % 2 === 0 });
    const b = new OpenerCellBuilder();
    const cells = [];
    for (const f of flows) { cells.push(...b.drain(Math.floor(f.startUs / MINUTE_US))); b.add(f); }
    cells.push(...b.drain());
    for (const [a, z] of [[0, 19], [4, 9], [7, 7]]) {
      const m0 = T0 / MINUTE_US + a;
      const m1 = T0 / MINUTE_US + z;
      const inWin = flows.filter((f) => Math.floor(f.startUs / MINUTE_US) >= m0 && Math.floor(f.startUs / MINUTE_US) <= m1);
      const win = cells.filter((c) => c.minute >= m0 && c.minute <= m1);
      const top = rankOpeners(win, 3);
      for (const { who, connections } of top) {
        const mine = inWin.filter((f) => f.who === who);
        expect(connections).toBe(mine.length);
        const s = summarizeOpener(win.filter((c) => c.who === who), dest);
        const lives = mine.map((f) => f.endUs - f.startUs).sort((x, y) => x - y);
        const perMinute = new Map<number, number>();
        for (const f of mine) perMinute.set(Math.floor(f.startUs / MINUTE_US), (perMinute.get(Math.floor(f.startUs / MINUTE_US)) ?? 0) + 1);
        expect(s).toMatchObject({
          who, connections: mine.length,
          destinations: new Set(mine.map((f) => dest(f.destId).ip)).size,
          public_destinations: new Set(mine.filter((f) => dest(f.destId).public).map((f) => dest(f.destId).ip)).size,
          peak_per_minute: Math.max(...perMinute.values()),
          median_lifetime_s: lives[Math.floor((lives.length - 1) / 2)] / 1e6,
          one_request_share: mine.filter((f) => f.requests === 1).length / mine.length,
        });
        expect(s.top_destinations.reduce((n, d) => n + d.connections, 0)).toBeLessThanOrEqual(mine.length);
      }
      // Ranked by connections, most first.
      expect(top.map((t) => t.connections)).toEqual([...top.map((t) => t.connections)].sort((x, y) => y - x));
    }
  });
});

describe('SNAT cell encoding', () => {
  it('keeps every distinct port of a pod, past 65,535 in one minute, and pod ids past 16 bits', () => {
    const u: SnatUse[] = Array.from({ length: 65536 }, (_, port) => ({ port, startUs: T0 + port, endUs: T0 + port + 10, ended: 'rst' as const, podId: 70_000 }));
    u.push({ port: 5, startUs: T0 + 100, endUs: T0 + 200, ended: 'fin', podId: 3 });
    const s = summarizeSnat(snatCells(u));
    expect(s.distinctPorts).toBe(65536);
    expect([...s.podPorts]).toEqual([[70_000, 65536], [3, 1]]);
  });
});
