import { portStats, SNAT, type PortUse } from '../analysis/snat.js';
import type { CaseDb } from '../db/open-case.js';
import { registerAnalysisFunctions } from './analysis-functions.js';
import { MATERIALIZED_ROWS, readAnswer } from './answers.js';
import type { PortHeatmap, PortsOut, TimeWindow } from './contract.js';

/**
 * The translated side of each connection: the post-NAT half of a linked pair, or a flow whose
 * originator is a node address (captured only on the uplink). Only public destinations use SNAT.
 */
const SNAT_FLOWS = `FROM flows f
  WHERE f.proto = 'tcp' AND f.origin_guessed = 0 AND ip_public(f.resp_ip)
    AND (f.nat_side = 'post' OR (f.nat_peer IS NULL AND f.orig_ip IN (SELECT ip FROM identities WHERE kind = 'node')))`;

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
  const stored = whole && usual && limit <= MATERIALIZED_ROWS ? readAnswer(db, 'ports') : null;
  return stored ? stored.slice(0, limit) : computePorts(db, req);
}

/** SNAT port use computed from the flows (what listPorts reads back when it was stored). */
export function computePorts(db: CaseDb, req: TimeWindow & { allocation?: number; limit?: number } = {}): PortsOut[] {
  registerAnalysisFunctions(db);
  const allocation = req.allocation ?? SNAT.defaultAllocation;
  const params: unknown[] = [];
  const w = win(req, params);
  const groups = db.prepare(`SELECT f.orig_ip AS snat_ip, f.resp_ip AS dst_ip, f.resp_port AS dst_port, count(DISTINCT f.orig_port) AS distinct_src_ports,
      min(f.start_us) AS first_us, max(f.end_us) AS last_us
    ${SNAT_FLOWS}${w} GROUP BY f.orig_ip, f.resp_ip, f.resp_port ORDER BY distinct_src_ports DESC, snat_ip, dst_ip, dst_port LIMIT ?`)
    .all(...params, req.limit ?? 100) as { snat_ip: string; dst_ip: string; dst_port: number; distinct_src_ports: number; first_us: number; last_us: number }[];
  // The top groups' flows in one pass (a query per group re-walked the SNAT flows each time).
  type Use = { ip: string; dst: string; dport: number; port: number; s: number; e: number; rst: string | null; state: string; pod: string | null };
  const key = (ip: string, dst: string, dport: number) => `${ip}|${dst}|${dport}`;
  const byGroup = new Map(groups.map((g) => [key(g.snat_ip, g.dst_ip, g.dst_port), [] as Use[]]));
  const uses = db.prepare(`SELECT f.orig_ip AS ip, f.resp_ip AS dst, f.resp_port AS dport, f.orig_port AS port, f.start_us AS s, f.end_us AS e, f.rst_by AS rst, f.state,
      coalesce((SELECT p.orig_pod FROM flows p WHERE p.id = f.nat_peer), f.orig_pod,
        (SELECT i.namespace || '/' || i.pod FROM conntrack_entries c JOIN identities i ON i.ip = c.orig_src AND i.kind = 'pod'
          WHERE c.reply_dst = f.orig_ip AND c.reply_dport = f.orig_port AND c.orig_dst = f.resp_ip AND c.orig_dport = f.resp_port LIMIT 1)) AS pod
    ${SNAT_FLOWS}${w} AND f.orig_ip IN (SELECT value FROM json_each(?))`);
  for (const u of uses.iterate(...params, JSON.stringify([...new Set(groups.map((g) => g.snat_ip))])) as Iterable<Use>) {
    byGroup.get(key(u.ip, u.dst, u.dport))?.push(u);
  }
  return groups.map((g) => {
    const rows = byGroup.get(key(g.snat_ip, g.dst_ip, g.dst_port)) ?? [];
    const st = portStats(rows.map((r): PortUse => ({ port: r.port, startUs: r.s, endUs: r.e, ended: r.rst ? 'rst' : ['SF', 'S2', 'S3'].includes(r.state) ? 'fin' : 'open' })));
    const pods = new Map<string, Set<number>>();
    for (const r of rows) if (r.pod) pods.set(r.pod, (pods.get(r.pod) ?? new Set()).add(r.port));
    return {
      snat_ip: g.snat_ip,
      dst_ip: g.dst_ip,
      dst_port: g.dst_port,
      distinct_src_ports: g.distinct_src_ports,
      peak_concurrent: st.peakConcurrent,
      first_ts: g.first_us / 1e6,
      last_ts: g.last_us / 1e6,
      allocation,
      utilization: st.peakHeld / allocation,
      reused_ports: st.reusedPorts,
      min_reuse_gap_s: st.minReuseGapUs === null ? null : st.minReuseGapUs / 1e6,
      time_wait_held: st.heldAfterCloseAtPeak,
      pods: [...pods].map(([pod, ports]) => ({ pod, ports: ports.size })).sort((a, b) => b.ports - a.ports),
    };
  });
}

/** Source-port × time cells for one destination (the port-usage heatmap). */
export function portHeatmap(db: CaseDb, req: TimeWindow & { dstIp: string; dstPort: number }): PortHeatmap {
  registerAnalysisFunctions(db);
  const params: unknown[] = [];
  const w = win(req, params);
  const span = db.prepare(`SELECT min(f.start_us) AS a, max(f.end_us) AS b ${SNAT_FLOWS}${w} AND f.resp_ip = ? AND f.resp_port = ?`).get(...params, req.dstIp, req.dstPort) as { a: number | null; b: number | null };
  const seconds = span.a === null || span.b === null ? 1 : Math.max(1, Math.ceil((span.b - span.a) / 1e6 / 120));
  const portBucket = 256;
  // Integer buckets: better-sqlite3 binds JS numbers as REAL, which would make `/` a plain division.
  const cells = db.prepare(`SELECT (f.start_us / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t, (f.orig_port / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS port, count(*) AS count ${SNAT_FLOWS}${w} AND f.resp_ip = ? AND f.resp_port = ?
    GROUP BY t, port ORDER BY t, port`).all(seconds * 1e6, seconds * 1e6, portBucket, portBucket, ...params, req.dstIp, req.dstPort) as { t: number; port: number; count: number }[];
  return { dst_ip: req.dstIp, dst_port: req.dstPort, bucketSeconds: seconds, portBucket, cells: cells.map((c) => ({ ts: c.t / 1e6, port: c.port, count: c.count })) };
}
