/**
 * Azure facts from RUNBOOKS.md §1: a SNAT port stays held after its connection ends — about 15 s
 * after a RST, about 240 s after a FIN or an idle timeout — and a node gets 1,024 ports by default.
 */
export const SNAT = {
  defaultAllocation: 1024,
  holdAfterRstUs: 15_000_000,
  holdAfterFinUs: 240_000_000,
} as const;

export interface PortUse {
  port: number;
  startUs: number;
  endUs: number;
  /** How the connection ended: 'rst' | 'fin' | 'open'. */
  ended: 'rst' | 'fin' | 'open';
}

export interface PortStats {
  distinctPorts: number;
  peakConcurrent: number;
  /** Peak of ports held (in use, or still held after close) at one time. */
  peakHeld: number;
  /** Ports held only because of the post-close hold at that peak. */
  heldAfterCloseAtPeak: number;
  reusedPorts: number;
  minReuseGapUs: number | null;
  /** Reuses that started while the previous use of the port was still held. */
  reusedWhileHeld: number;
}

export function holdEnd(u: Pick<PortUse, 'endUs' | 'ended'>): number {
  return u.endUs + (u.ended === 'rst' ? SNAT.holdAfterRstUs : SNAT.holdAfterFinUs);
}

/** Sweeps start/end events: concurrency and holding, per destination. */
export function portStats(uses: PortUse[]): PortStats {
  const ev: [number, number, number][] = []; // time, +1/-1 in use, +1/-1 held
  for (const u of uses) {
    ev.push([u.startUs, 1, 1], [u.endUs, -1, 0], [holdEnd(u), 0, -1]);
  }
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  let inUse = 0, held = 0, peak = 0, peakHeld = 0, afterClose = 0;
  for (const [, d, h] of ev) {
    inUse += d;
    held += h;
    if (inUse > peak) peak = inUse;
    if (held > peakHeld) { peakHeld = held; afterClose = held - inUse; }
  }
  const byPort = new Map<number, PortUse[]>();
  for (const u of uses) byPort.set(u.port, [...(byPort.get(u.port) ?? []), u]);
  let reused = 0, whileHeld = 0;
  let minGap: number | null = null;
  for (const list of byPort.values()) {
    if (list.length < 2) continue;
    reused++;
    list.sort((a, b) => a.startUs - b.startUs);
    for (let i = 1; i < list.length; i++) {
      const gap = list[i].startUs - list[i - 1].endUs;
      if (minGap === null || gap < minGap) minGap = gap;
      if (list[i].startUs < holdEnd(list[i - 1])) whileHeld++;
    }
  }
  return { distinctPorts: byPort.size, peakConcurrent: peak, peakHeld, heldAfterCloseAtPeak: afterClose, reusedPorts: reused, minReuseGapUs: minGap, reusedWhileHeld: whileHeld };
}
