/**
 * Fan-out in cells of (opener, minute): what each opener started in one minute. Cells add up to
 * any run of whole minutes, so a stored set answers a time window without reading its flows, and
 * a set built from a window's own flows answers that window exactly; one reducer serves both.
 */
import { nthSmallest } from './nth-smallest.js';

export const MINUTE_US = 60_000_000;

export const minuteOf = (us: number): number => Math.floor(us / MINUTE_US);

/** A pre-NAT connection as fan-out counts it. */
export interface OpenerFlow {
  startUs: number;
  endUs: number;
  /** Pod (namespace/name) or, without one, the originator address. */
  who: string;
  isPod: boolean;
  /** Destination (address and port) as an id of the set's destination dictionary. */
  destId: number;
  requests: number | null;
}

/** The light part of a cell: enough to rank openers without decoding the rest. */
export interface OpenerCellHead {
  minute: number;
  who: string;
  isPod: boolean;
  connections: number;
  /** Connections that carried exactly one request (no reuse). */
  oneRequest: number;
}

export interface OpenerCell extends OpenerCellHead {
  /** Destination id, connections; repeated. */
  dests: Uint32Array;
  /** Lifetime of each connection (µs), for the median. */
  lifetimesUs: Float64Array;
}

interface Open extends OpenerCellHead { dests: Map<number, number>; life: number[] }

/** Collects flows into cells; flows given in start order can be drained minute by minute. */
export class OpenerCellBuilder {
  private open = new Map<string, Open>();

  add(f: OpenerFlow): void {
    const minute = minuteOf(f.startUs);
    const key = `${minute}\u0000${f.who}`;
    let c = this.open.get(key);
    if (!c) this.open.set(key, (c = { minute, who: f.who, isPod: f.isPod, connections: 0, oneRequest: 0, dests: new Map(), life: [] }));
    c.connections++;
    if (f.requests === 1) c.oneRequest++;
    c.dests.set(f.destId, (c.dests.get(f.destId) ?? 0) + 1);
    c.life.push(f.endUs - f.startUs);
  }

  /** Finished cells of minutes before `minute` (all cells without one), removed from the builder. */
  drain(beforeMinute = Infinity): OpenerCell[] {
    const out: OpenerCell[] = [];
    for (const [k, c] of this.open) {
      if (c.minute >= beforeMinute) continue;
      this.open.delete(k);
      const dests = new Uint32Array(c.dests.size * 2);
      let i = 0;
      for (const [id, n] of c.dests) { dests[i++] = id; dests[i++] = n; }
      out.push({ minute: c.minute, who: c.who, isPod: c.isPod, connections: c.connections, oneRequest: c.oneRequest, dests, lifetimesUs: Float64Array.from(c.life) });
    }
    return out;
  }
}

/** Openers by connections (most first, then name), at most `limit`. */
export function rankOpeners(heads: Iterable<OpenerCellHead>, limit: number): { who: string; isPod: boolean; connections: number }[] {
  const by = new Map<string, { who: string; isPod: boolean; connections: number }>();
  for (const h of heads) {
    const o = by.get(h.who);
    if (o) o.connections += h.connections;
    else by.set(h.who, { who: h.who, isPod: h.isPod, connections: h.connections });
  }
  return [...by.values()].sort((a, b) => b.connections - a.connections || a.who.localeCompare(b.who)).slice(0, limit);
}

export interface Destination { ip: string; port: number; public: boolean }

export interface OpenerSummary {
  who: string;
  isPod: boolean;
  connections: number;
  destinations: number;
  public_destinations: number;
  peak_per_minute: number;
  median_lifetime_s: number | null;
  one_request_share: number | null;
  top_destinations: { ip: string; port: number; connections: number; public: boolean }[];
}

/** One opener's figures from all its cells in the window. */
export function summarizeOpener(cells: OpenerCell[], dest: (id: number) => Destination): OpenerSummary {
  let connections = 0;
  let one = 0;
  let peak = 0;
  let lives = 0;
  const perMinute = new Map<number, number>();
  const perDest = new Map<number, number>();
  for (const c of cells) {
    connections += c.connections;
    one += c.oneRequest;
    lives += c.lifetimesUs.length;
    const m = (perMinute.get(c.minute) ?? 0) + c.connections;
    perMinute.set(c.minute, m);
    if (m > peak) peak = m;
    for (let i = 0; i < c.dests.length; i += 2) perDest.set(c.dests[i], (perDest.get(c.dests[i]) ?? 0) + c.dests[i + 1]);
  }
  const all = new Float64Array(lives);
  let at = 0;
  for (const c of cells) { all.set(c.lifetimesUs, at); at += c.lifetimesUs.length; }
  const ips = new Set<string>();
  const publicIps = new Set<string>();
  const top: OpenerSummary['top_destinations'] = [];
  for (const [id, n] of perDest) {
    const d = dest(id);
    ips.add(d.ip);
    if (d.public) publicIps.add(d.ip);
    top.push({ ip: d.ip, port: d.port, connections: n, public: d.public });
  }
  top.sort((a, b) => b.connections - a.connections || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
  return {
    who: cells[0]?.who ?? '',
    isPod: cells[0]?.isPod ?? false,
    connections,
    destinations: ips.size,
    public_destinations: publicIps.size,
    peak_per_minute: peak,
    median_lifetime_s: lives ? nthSmallest(all, Math.floor((lives - 1) / 2)) / 1e6 : null,
    one_request_share: connections ? one / connections : null,
    top_destinations: top.slice(0, 10),
  };
}
