import type { Packet } from '../../core/decode/packet.js';
import { ConnTracker, type TrackerOptions } from '../../core/flows/tracker.js';
import type { ConnRecord, RstEvent } from '../../core/flows/types.js';

export interface Run {
  conns: ConnRecord[];
  rsts: RstEvent[];
  tracker: ConnTracker;
}

/** Pushes the packets (in order), flushes, and returns everything the tracker emitted. */
export function run(pkts: Packet[], opts: Partial<TrackerOptions> = {}): Run {
  const conns: ConnRecord[] = [];
  const rsts: RstEvent[] = [];
  const tracker = new ConnTracker({ sourceId: 7, onConn: (c) => conns.push(c), onRst: (e) => rsts.push(e), ...opts });
  for (const p of pkts) tracker.push(p);
  tracker.flush();
  conns.sort((a, b) => a.startUs - b.startUs || a.connId - b.connId);
  return { conns, rsts, tracker };
}

/** The only connection, or a failure that shows what was emitted. */
export function only(r: Run): ConnRecord {
  if (r.conns.length !== 1) throw new Error(`expected 1 connection, got ${r.conns.length}: ${r.conns.map((c) => `${c.state}/${c.history}`).join(', ')}`);
  return r.conns[0];
}
