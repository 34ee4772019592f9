import { prepared } from '../../db/statements.js';
import { SNAT } from '../cells/snat.js';
import { ciliumNatGroups } from './cilium-nat.js';
import { distinctPorts, summarizeSnat } from '../cells/snat-cells.js';
import { snatCellSet, type SnatCellSet } from '../rollups/cells.js';
import { SNAT_FLOWS, type SnatGroupCells } from '../rollups/cell-sources.js';
import { planWindow, type WindowPlan } from '../rollups/window-plan.js';
import type { CaseDb } from '../../db/open-case.js';
import { registerAnalysisFunctions } from '../sql-functions.js';
import { MATERIALIZED_ROWS, readAnswer } from '../rollups/answers.js';
import type { TimeWindow } from '../rollups/window-plan.js';

/** `podcap ports` row. */
export interface PortsOut {
  snat_ip: string;
  dst_ip: string;
  dst_port: number;
  distinct_src_ports: number;
  peak_concurrent: number;
  first_ts: number | null;
  last_ts: number | null;
  allocation: number;
  utilization: number;
  reused_ports: number;
  min_reuse_gap_s: number | null;
  time_wait_held: number;
  /** Attempts answered by a stale ACK then reset: a port reused while the peer still held its old connection. */
  stale_ack_resets: number;
  pods: { pod: string; ports: number }[];
  /**
   * Where the counts come from when not the flows: `cilium bpf nat list` (a snapshot of Cilium's
   * NAT map, whose entries are all held at once: no times, reuse or post-close hold), with its lines.
   */
  from?: { source: string; lines: number[] }[];
}

/** Source-port × time cells for the port-usage heatmap of one destination. */
export interface PortHeatmap {
  dst_ip: string;
  dst_port: number;
  bucketSeconds: number;
  portBucket: number;
  cells: { ts: number; port: number; count: number }[];
}

/** SNAT flows (cells.ts) to public destinations, for the per-destination heatmap. */
const PUBLIC_SNAT_FLOWS = `${SNAT_FLOWS} AND ip_public(f.resp_ip)`;

function win(w: TimeWindow, params: unknown[]): string {
  let s = '';
  if (w.fromUs !== undefined) { s += ' AND f.end_us >= ?'; params.push(w.fromUs); }
  if (w.toUs !== undefined) { s += ' AND f.start_us <= ?'; params.push(w.toUs); }
  return s;
}

export function listPorts(db: CaseDb, req: TimeWindow & { allocation?: number; limit?: number } = {}): PortsOut[] {
  const limit = req.limit ?? 100;
  const whole = req.fromUs === undefined && req.toUs === undefined;
  const usual = req.allocation === undefined || req.allocation === SNAT.defaultAllocation;
  const stored = whole && usual && limit <= MATERIALIZED_ROWS ? readAnswer<PortsOut[]>(db, 'ports') : null;
  return stored ? stored.slice(0, limit) : computePorts(db, req);
}

/** SNAT port use computed from the flows or the minute rollups (what listPorts reads back when it was stored). */
export function computePorts(db: CaseDb, req: TimeWindow & { allocation?: number; limit?: number } = {}, exactMaxFlows?: number): PortsOut[] {
  const plan = planWindow(db, req, exactMaxFlows);
  const set = snatCellSet(db, plan);
  const limit = req.limit ?? 100;
  const allocation = req.allocation ?? SNAT.defaultAllocation;
  const rows = portsRows(set, rankSnatGroups(set, limit), plan, allocation);
  // A NAT map dump carries no time: it answers the whole case only.
  if (req.fromUs !== undefined || req.toUs !== undefined) return rows;
  const seen = new Set(rows.map((r) => `${r.snat_ip}|${r.dst_ip}|${r.dst_port}`));
  const cilium = ciliumNatGroups(db).filter((g) => !seen.has(`${g.snatIp}|${g.dstIp}|${g.dstPort}`)).map((g): PortsOut => ({
    snat_ip: g.snatIp, dst_ip: g.dstIp, dst_port: g.dstPort, distinct_src_ports: g.ports, peak_concurrent: g.ports, first_ts: null, last_ts: null,
    allocation, utilization: g.ports / allocation, reused_ports: 0, min_reuse_gap_s: null, time_wait_held: 0, stale_ack_resets: 0, pods: g.pods,
    from: g.evidence.map((e) => ({ source: e.source, lines: e.lines })),
  }));
  if (cilium.length === 0) return rows;
  return [...rows, ...cilium].sort((a, b) => b.distinct_src_ports - a.distinct_src_ports || cmp(a.snat_ip, b.snat_ip) || cmp(a.dst_ip, b.dst_ip) || a.dst_port - b.dst_port)
    .slice(0, limit);
}

/** Groups by distinct source ports (most first), at most `limit`. */
export function rankSnatGroups(set: SnatCellSet, limit: number): { g: SnatGroupCells; distinct: number }[] {
  return set.groups.map((g) => ({ g, distinct: distinctPorts(g.cells) }))
    .filter((x) => x.distinct > 0)
    .sort((a, b) => b.distinct - a.distinct || cmp(a.g.snatIp, b.g.snatIp) || cmp(a.g.dstIp, b.g.dstIp) || a.g.dstPort - b.g.dstPort)
    .slice(0, limit);
}

/** The full rows of ranked groups. */
export function portsRows(set: SnatCellSet, ranked: { g: SnatGroupCells }[], plan: WindowPlan, allocation: number): PortsOut[] {
  return ranked.map(({ g }) => {
    const st = summarizeSnat(g.cells, plan);
    return {
      snat_ip: g.snatIp,
      dst_ip: g.dstIp,
      dst_port: g.dstPort,
      distinct_src_ports: st.distinctPorts,
      peak_concurrent: st.peakConcurrent,
      first_ts: st.firstUs === null ? null : st.firstUs / 1e6,
      last_ts: st.lastUs === null ? null : st.lastUs / 1e6,
      allocation,
      utilization: st.peakHeld / allocation,
      reused_ports: st.reusedPorts,
      min_reuse_gap_s: st.minReuseGapUs === null ? null : st.minReuseGapUs / 1e6,
      time_wait_held: st.heldAfterCloseAtPeak,
      stale_ack_resets: st.staleAcks,
      pods: [...st.podPorts].flatMap(([id, ports]) => {
        const pod = set.pod(id);
        return pod === null ? [] : [{ pod, ports }];
      }).sort((a, b) => b.ports - a.ports || cmp(a.pod, b.pod)),
    };
  });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Source-port × time cells for one destination (the port-usage heatmap). */
export function portHeatmap(db: CaseDb, req: TimeWindow & { dstIp: string; dstPort: number }): PortHeatmap {
  registerAnalysisFunctions(db);
  const params: unknown[] = [];
  const w = win(req, params);
  const span = prepared(db, `SELECT min(f.start_us) AS a, max(f.end_us) AS b ${PUBLIC_SNAT_FLOWS}${w} AND f.resp_ip = ? AND f.resp_port = ?`).get(...params, req.dstIp, req.dstPort) as { a: number | null; b: number | null };
  const seconds = span.a === null || span.b === null ? 1 : Math.max(1, Math.ceil((span.b - span.a) / 1e6 / 120));
  const portBucket = 256;
  // Integer buckets: better-sqlite3 binds JS numbers as REAL, which would make `/` a plain division.
  const cells = prepared(db, `SELECT (f.start_us / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, (f.orig_port / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS port, count(*) AS count ${PUBLIC_SNAT_FLOWS}${w} AND f.resp_ip = ? AND f.resp_port = ?
    GROUP BY t, port ORDER BY t, port`).all(seconds * 1e6, seconds * 1e6, portBucket, portBucket, ...params, req.dstIp, req.dstPort) as { t: number; port: number; count: number }[];
  return { dst_ip: req.dstIp, dst_port: req.dstPort, bucketSeconds: seconds, portBucket, cells: cells.map((c) => ({ ts: c.t / 1e6, port: c.port, count: c.count })) };
}
