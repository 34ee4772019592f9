/**
 * SNAT port use of one (SNAT address, destination, port) group in minute cells. A stored set of
 * cells answers any run of whole minutes; a set built from one window's flows (clamped to it)
 * answers that window exactly. Both reduce through summarizeSnat, which gives what portStats
 * gives for the same uses when the window is the whole case.
 */
import { MINUTE_US, minuteOf } from './opener-cells.js';
import { holdEnd, type PortStats, type PortUse } from './snat.js';

export interface SnatUse extends PortUse {
  /** Pod charged with the port (id in the set's pod dictionary); 0 when unknown. */
  podId: number;
  /** The attempt met the peer's stale ACK and was reset (stale-ack.ts): the port was reused while the peer still held it. */
  staleAck?: boolean;
}

export interface SnatCell {
  minute: number;
  /** Earliest start / latest end among the uses active in the minute (µs). */
  firstUs: number;
  lastUs: number;
  /** Most ports in use at one instant of the minute. */
  peakConcurrent: number;
  /** Most ports held at one instant of the minute (in use, or in their hold after close)… */
  peakHeld: number;
  /** …and how many of those were held only after close, at the first such instant. */
  heldAfterClose: number;
  /**
   * Distinct source ports of the uses active in the minute, by pod: segments of [pod id low 16
   * bits, high 16 bits, count, ports...]. Ports are 16-bit, and a group's uses come from few pods, so
   * this is about a third of (port, pod) pairs, and the rollup is read for every group.
   */
  active: Uint16Array;
  /** Reuses of a port whose later use started in the minute: port, previous end, start, end (µs); repeated. */
  reuse: Float64Array;
  /** Attempts starting in the minute that met a stale ACK (reused while the peer still held the port). */
  staleAcks: number;
}

export interface Window { fromUs: number; toUs: number }

const WHOLE: Window = { fromUs: -Infinity, toUs: Infinity };

interface Draft { minute: number; firstUs: number; lastUs: number; peakConcurrent: number; peakHeld: number; heldAfterClose: number; active: Map<number, Set<number>>; reuse: number[]; staleAcks: number }

function encodeActive(byPod: Map<number, Set<number>>): Uint16Array {
  const out: number[] = [];
  for (const [pod, set] of byPod) {
    const ports = [...set];
    // A count is 16-bit: 65,536 distinct ports take two segments.
    for (let i = 0; i < ports.length; i += 0xffff) {
      const part = ports.slice(i, i + 0xffff);
      out.push(pod & 0xffff, pod >>> 16, part.length);
      for (const p of part) out.push(p);
    }
  }
  return Uint16Array.from(out);
}

/** Calls `f(port, podId)` for every active entry of a cell. */
export function forEachActive(active: Uint16Array, f: (port: number, podId: number) => void): void {
  for (let i = 0; i < active.length; ) {
    const pod = active[i] | (active[i + 1] << 16);
    const end = i + 3 + active[i + 2];
    for (let j = i + 3; j < end; j++) f(active[j], pod >>> 0);
    i = end;
  }
}

/**
 * Cells for one group's uses. With `clamp`, only what happens inside the window counts: uses
 * overlapping it, and peaks at its instants (a port still held from a connection closed just
 * before the window is held inside it).
 */
export function snatCells(uses: SnatUse[], clamp: Window = WHOLE): SnatCell[] {
  const cells = new Map<number, Draft>();
  const cell = (minute: number): Draft => {
    let c = cells.get(minute);
    if (!c) cells.set(minute, (c = { minute, firstUs: Infinity, lastUs: -Infinity, peakConcurrent: 0, peakHeld: 0, heldAfterClose: 0, active: new Map(), reuse: [], staleAcks: 0 }));
    return c;
  };
  const inside = uses.filter((u) => u.endUs >= clamp.fromUs && u.startUs <= clamp.toUs);

  for (const u of inside) {
    if (u.staleAck && u.startUs >= clamp.fromUs) cell(minuteOf(u.startUs)).staleAcks++;
    const last = minuteOf(Math.min(u.endUs, clamp.toUs));
    for (let m = minuteOf(Math.max(u.startUs, clamp.fromUs)); m <= last; m++) {
      const c = cell(m);
      const ports = c.active.get(u.podId);
      if (ports) ports.add(u.port);
      else c.active.set(u.podId, new Set([u.port]));
      if (u.startUs < c.firstUs) c.firstUs = u.startUs;
      if (u.endUs > c.lastUs) c.lastUs = u.endUs;
    }
  }

  // Start/end/hold-end events; before the window they count as happening at its start, after it not at all.
  const ev: number[][] = [];
  for (const u of uses) {
    if (u.startUs > clamp.toUs || holdEnd(u) < clamp.fromUs) continue;
    for (const [t, d, h] of [[u.startUs, 1, 1], [u.endUs, -1, 0], [holdEnd(u), 0, -1]]) {
      if (t <= clamp.toUs) ev.push([Math.max(t, clamp.fromUs), d, h]);
    }
  }
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  let inUse = 0;
  let held = 0;
  let minute: number | null = null;
  const observe = (m: number) => {
    const c = cell(m);
    if (inUse > c.peakConcurrent) c.peakConcurrent = inUse;
    if (held > c.peakHeld) { c.peakHeld = held; c.heldAfterClose = held - inUse; }
  };
  // The state between two events also holds in the minutes the gap spans.
  const carry = (upTo: number) => {
    if (minute === null || held <= 0) return;
    for (let m = minute + 1; m <= upTo; m++) observe(m);
  };
  for (const [t, d, h] of ev) {
    const m = minuteOf(t);
    if (minute !== null && m > minute) carry(t > m * MINUTE_US ? m : m - 1);
    minute = m;
    inUse += d;
    held += h;
    observe(m);
  }
  if (Number.isFinite(clamp.toUs)) carry(minuteOf(clamp.toUs));

  const byPort = new Map<number, SnatUse[]>();
  for (const u of inside) {
    const list = byPort.get(u.port);
    if (list) list.push(u);
    else byPort.set(u.port, [u]);
  }
  for (const list of byPort.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.startUs - b.startUs);
    for (let i = 1; i < list.length; i++) {
      const u = list[i];
      cell(minuteOf(Math.max(u.startUs, clamp.fromUs))).reuse.push(u.port, list[i - 1].endUs, u.startUs, u.endUs);
    }
  }

  return [...cells.values()].sort((a, b) => a.minute - b.minute).map((c) => ({
    ...c, active: encodeActive(c.active), reuse: Float64Array.from(c.reuse),
  }));
}

// Marks for distinct ports: a generation number per port avoids clearing 64k entries per group.
const stamp = new Uint32Array(65536);
let generation = 0;
function nextGeneration(): number {
  if (++generation === 0xffffffff) { stamp.fill(0); generation = 1; }
  return generation;
}

/** Distinct source ports active in the cells (what the groups are ranked by). */
export function distinctPorts(cells: readonly SnatCell[]): number {
  const g = nextGeneration();
  let n = 0;
  // forEachActive's walk written out, without a callback per port: this is the one pass over
  // every group of a window (A/B runs here could not tell the two apart, so the cheaper form stays).
  for (const c of cells) {
    const a = c.active;
    for (let i = 0; i < a.length; ) {
      const end = i + 3 + a[i + 2];
      for (let j = i + 3; j < end; j++) {
        const p = a[j];
        if (stamp[p] !== g) { stamp[p] = g; n++; }
      }
      i = end;
    }
  }
  return n;
}

/** portStats' figures (without the held-reuse count, which the ports answer does not show), plus: */
export interface SnatSummary extends Omit<PortStats, 'reusedWhileHeld'> {
  firstUs: number | null;
  lastUs: number | null;
  /** Distinct ports per pod id (0 = unknown pod). */
  podPorts: Map<number, number>;
  /** Attempts that met a stale ACK: the port was reused while the peer still held it. */
  staleAcks: number;
}

/** One group's figures over cells of consecutive minutes (given in minute order) within `win`. */
export function summarizeSnat(cells: readonly SnatCell[], win: Window = WHOLE): SnatSummary {
  let peak = 0, peakHeld = 0, afterClose = 0, first = Infinity, last = -Infinity;
  const pods = new Map<number, Set<number>>();
  const reused = new Set<number>();
  let minGap: number | null = null;
  let staleAcks = 0;
  // Distinct ports over all pods in the same pass as the per-pod sets.
  const g = nextGeneration();
  let distinct = 0;
  for (const c of cells) {
    staleAcks += c.staleAcks;
    if (c.peakConcurrent > peak) peak = c.peakConcurrent;
    if (c.peakHeld > peakHeld) { peakHeld = c.peakHeld; afterClose = c.heldAfterClose; }
    if (c.firstUs < first) first = c.firstUs;
    if (c.lastUs > last) last = c.lastUs;
    forEachActive(c.active, (port, pod) => {
      if (stamp[port] !== g) { stamp[port] = g; distinct++; }
      const set = pods.get(pod);
      if (set) set.add(port);
      else pods.set(pod, new Set([port]));
    });
    for (let i = 0; i < c.reuse.length; i += 4) {
      const port = c.reuse[i], prevEnd = c.reuse[i + 1], start = c.reuse[i + 2], end = c.reuse[i + 3];
      // Both uses must fall in the window, as when the window's own flows are swept.
      if (prevEnd < win.fromUs || start > win.toUs || end < win.fromUs) continue;
      reused.add(port);
      const gap = start - prevEnd;
      if (minGap === null || gap < minGap) minGap = gap;
    }
  }
  return {
    distinctPorts: distinct,
    peakConcurrent: peak,
    peakHeld,
    heldAfterCloseAtPeak: afterClose,
    reusedPorts: reused.size,
    minReuseGapUs: minGap,
    firstUs: Number.isFinite(first) ? first : null,
    lastUs: Number.isFinite(last) ? last : null,
    podPorts: new Map([...pods].map(([id, ports]) => [id, ports.size])),
    staleAcks,
  };
}
