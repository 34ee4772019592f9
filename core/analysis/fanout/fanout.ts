import { prepared } from '../../db/statements.js';
import type { CaseDb } from '../../db/open-case.js';
import { registerAnalysisFunctions } from '../sql-functions.js';
import { MATERIALIZED_ROWS, readAnswer } from '../rollups/answers.js';
import { openerCells, type OpenerCells } from '../rollups/cells.js';
import { answeredWindow, planWindow, windowSql } from '../rollups/window-plan.js';
import { rankOpeners, summarizeOpener } from '../cells/opener-cells.js';
import type { TimeWindow } from '../rollups/window-plan.js';

/** The kinds of evidence that count a pod's connections, strongest first (the headline's order). */
export const FANOUT_SOURCES = ['pcap', 'hubble', 'conntrack', 'tcptracer', 'inspektor-gadget'] as const;
export type FanoutSource = (typeof FANOUT_SOURCES)[number];

/** `podcap fanout` row: one per pod (else netns, else address), whatever evidence counted it. */
export interface FanoutOut {
  who: string;
  namespace: string | null;
  netns: string | null;
  node: string | null;
  /**
   * The headline count, from the strongest source that counted this pod: captures (every
   * connection seen, with lifetimes) over conntrack (the kernel's table, a snapshot) over
   * tcptracer (connect events while it ran). Each source's own count is in `evidence`.
   */
  connections: number;
  /** The source `connections`, `destinations`, the peak and the lifetimes come from. */
  connections_from: FanoutSource;
  destinations: number;
  public_destinations: number;
  peak_per_minute: number;
  median_lifetime_s: number | null;
  one_request_share: number | null;
  /** Every source that counted this pod, with its count, in FANOUT_SOURCES order. */
  evidence: { source: FanoutSource; connections: number }[];
  /** Top destinations for the pod → destination graph. */
  top_destinations: { ip: string; port: number; connections: number; public: boolean }[];
}


interface Agg {
  who: string;
  connections: number;
  destinations: number;
  public_destinations: number;
}

/**
 * Who opens how many connections to where (RUNBOOKS §1 step 3 and 5, without the awk): per pod,
 * else per netns, else per address, from each kind of evidence the case holds.
 */
export function listFanout(db: CaseDb, req: TimeWindow & { limit?: number } = {}): FanoutOut[] {
  const limit = req.limit ?? 50;
  const whole = req.fromUs === undefined && req.toUs === undefined;
  const stored = whole && limit <= MATERIALIZED_ROWS ? readAnswer<FanoutOut[]>(db, 'fanout') : null;
  return stored ? stored.slice(0, limit) : computeFanout(db, req);
}

/** The fan-out computed from the case's tables (what listFanout reads back when it was stored). */
export function computeFanout(db: CaseDb, req: TimeWindow & { limit?: number } = {}, exactMaxFlows?: number, cells?: OpenerCells): FanoutOut[] {
  registerAnalysisFunctions(db);
  const limit = req.limit ?? 50;
  const plan = planWindow(db, req, exactMaxFlows);
  // Every kind of evidence over the window as the captures' fan-out answers it (whole minutes on a large case).
  const w = answeredWindow(plan);
  // Each source ranked as deep as the stored answer, so a pod's row (and its headline) is the same
  // whatever limit was asked: a shallower cut could drop the pod's capture count but keep its conntrack one.
  const depth = Math.max(limit, MATERIALIZED_ROWS);
  return mergeByWho([...fromCaptures(db, cells ?? openerCells(db, plan), depth), ...fromConntrack(db, w, depth), ...fromTcptracer(db, w, depth)])
    .sort((a, b) => b.connections - a.connections || a.who.localeCompare(b.who))
    .slice(0, limit);
}

type SourceRow = Omit<FanoutOut, 'connections_from' | 'evidence'> & { evidence: FanoutSource };

/**
 * One row per pod: the sources describe the same connections, so their counts are shown side by
 * side, never added. The headline fields are the strongest source's; blanks are filled from the others.
 */
export function mergeByWho(rows: readonly SourceRow[]): FanoutOut[] {
  const byWho = new Map<string, SourceRow[]>();
  for (const r of rows) {
    const list = byWho.get(r.who);
    if (list) list.push(r);
    else byWho.set(r.who, [r]);
  }
  return [...byWho.values()].map((list) => {
    list.sort((a, b) => FANOUT_SOURCES.indexOf(a.evidence) - FANOUT_SOURCES.indexOf(b.evidence));
    const [head, ...rest] = list;
    const { evidence: from, ...fields } = head;
    return {
      ...fields,
      namespace: head.namespace ?? rest.find((r) => r.namespace !== null)?.namespace ?? null,
      netns: head.netns ?? rest.find((r) => r.netns !== null)?.netns ?? null,
      node: head.node ?? rest.find((r) => r.node !== null)?.node ?? null,
      top_destinations: head.top_destinations.length ? head.top_destinations : rest.find((r) => r.top_destinations.length)?.top_destinations ?? [],
      connections_from: from,
      evidence: list.map((r) => ({ source: r.evidence, connections: r.connections })),
    };
  });
}

/**
 * The flows table: connections the originator opened with a SYN, counted once (the pre-NAT half).
 * Captures and Hubble dumps both make flow rows (one row when both saw a connection); an opener
 * whose every flow came from Hubble is labelled so.
 */
function fromCaptures(db: CaseDb, cells: OpenerCells, limit: number): SourceRow[] {
  const captured = prepared(db, `SELECT 1 FROM flows f JOIN sources s ON s.id = f.source_id
    WHERE s.kind <> 'hubble' AND (f.orig_pod = ? OR (f.orig_pod IS NULL AND f.orig_ip = ?)) LIMIT 1`);
  const hubble = (db.prepare(`SELECT 1 FROM sources WHERE kind = 'hubble' LIMIT 1`).get()) !== undefined;
  return rankOpeners(cells.heads, limit).map(({ who }) => {
    const { isPod, ...r } = summarizeOpener(cells.of(who), cells.dest);
    const evidence = hubble && captured.get(who, who) === undefined ? 'hubble' as const : 'pcap' as const;
    return { ...r, ...describeWho(db, who), evidence };
  });
}

/**
 * tcptracer / Inspektor Gadget connect events, grouped by network namespace (the runbook's
 * `count by SADDR, NETNS`), or by the pod the tracer named when it printed no netns (IG tables).
 */
function fromTcptracer(db: CaseDb, w: TimeWindow, limit: number): SourceRow[] {
  const params: unknown[] = [];
  const win = windowSql('t.ts_us', w, params).replace(/t\.ts_us/g, 'CASE WHEN t.ts_relative = 0 THEN t.ts_us END');
  // A trace and a count made from it (runbook step 3) describe the same connections: per netns,
  // take the larger of the sources' totals rather than adding them.
  const rows = prepared(db, `SELECT netns, pod, max(n) AS connections, max(d) AS destinations, max(pd) AS public_destinations, group_concat(DISTINCT saddrs) AS saddrs,
      group_concat(DISTINCT tool) AS tools FROM (
      SELECT t.netns, CASE WHEN t.netns IS NULL THEN t.pod END AS pod, t.source_id, sum(t.count) AS n, count(DISTINCT t.daddr) AS d,
        count(DISTINCT CASE WHEN ip_public(t.daddr) THEN t.daddr END) AS pd, group_concat(DISTINCT t.saddr) AS saddrs, t.tool
      FROM tcp_events t WHERE t.type = 'connect' AND (t.netns IS NOT NULL OR t.pod IS NOT NULL)${win} GROUP BY t.netns, 2, t.source_id)
    GROUP BY netns, pod ORDER BY connections DESC LIMIT ?`).all(...params, limit) as
    (Omit<Agg, 'who'> & { netns: number | null; pod: string | null; saddrs: string | null; tools: string | null })[];
  const owner = prepared(db, `SELECT pod, namespace, node FROM identities WHERE netns_inode = ? AND kind = 'pod' LIMIT 1`);
  const named = prepared(db, `SELECT node FROM identities WHERE kind = 'pod' AND pod = ? AND coalesce(namespace, '') = ? LIMIT 1`);
  const key = `(t.netns = ? OR (t.netns IS NULL AND ? IS NULL AND t.pod = ?))`;
  const dests = prepared(db, `SELECT t.daddr AS ip, t.dport AS port, sum(t.count) AS connections, ip_public(t.daddr) AS pub FROM tcp_events t
    WHERE t.type = 'connect' AND ${key} AND t.daddr IS NOT NULL GROUP BY t.daddr, t.dport ORDER BY connections DESC LIMIT 10`);
  const perMinute = prepared(db, `SELECT max(n) AS peak FROM (SELECT sum(count) AS n FROM tcp_events t WHERE type = 'connect' AND ${key} AND ts_us IS NOT NULL
    GROUP BY ts_relative, ts_us / 60000000)`);
  return rows.map((r) => {
    const k = [r.netns, r.netns, r.pod];
    let o = r.netns !== null ? owner.get(r.netns) as { pod: string; namespace: string | null; node: string | null } | undefined : undefined;
    if (!o && r.pod) {
      const cut = r.pod.indexOf('/');
      const ns = cut >= 0 ? r.pod.slice(0, cut) : null;
      const name = cut >= 0 ? r.pod.slice(cut + 1) : r.pod;
      o = { pod: name, namespace: ns, node: (named.get(name, ns ?? '') as { node: string | null } | undefined)?.node ?? null };
    }
    const peak = (perMinute.get(...k) as { peak: number | null }).peak;
    return {
      who: o ? (o.namespace ? `${o.namespace}/${o.pod}` : o.pod) : r.saddrs?.split(',')[0] ?? `netns:${r.netns}`,
      namespace: o?.namespace ?? null,
      netns: r.netns === null ? null : String(r.netns),
      node: o?.node ?? null,
      connections: r.connections,
      destinations: r.destinations,
      public_destinations: r.public_destinations,
      peak_per_minute: peak ?? r.connections,
      median_lifetime_s: null,
      one_request_share: null,
      evidence: r.tools && !r.tools.split(',').some((x) => x.startsWith('tcptracer')) ? 'inspektor-gadget' as const : 'tcptracer' as const,
      top_destinations: (dests.all(...k) as { ip: string; port: number; connections: number; pub: number }[])
        .map((d) => ({ ip: d.ip, port: d.port, connections: d.connections, public: d.pub === 1 })),
    };
  });
}

/** conntrack entries by original source (each entry one connection as the kernel tracked it). */
function fromConntrack(db: CaseDb, w: TimeWindow, limit: number): SourceRow[] {
  const params: unknown[] = [];
  const win = windowSql('c.ts_us', w, params);
  // A -L snapshot and -E events describe the same connections: count distinct original tuples.
  const rows = prepared(db, `SELECT c.orig_src AS who, count(DISTINCT c.orig_src || ':' || c.orig_sport || '>' || c.orig_dst || ':' || c.orig_dport || '/' || c.proto) AS connections,
      count(DISTINCT c.orig_dst) AS destinations, count(DISTINCT CASE WHEN ip_public(c.orig_dst) THEN c.orig_dst END) AS public_destinations
    FROM conntrack_entries c WHERE c.proto IN ('tcp', 'udp')${win} GROUP BY c.orig_src ORDER BY connections DESC LIMIT ?`).all(...params, limit) as Agg[];
  return rows.map((r) => ({
    ...r,
    ...describeWho(db, r.who),
    who: podOf(db, r.who) ?? r.who,
    peak_per_minute: r.connections,
    median_lifetime_s: null,
    one_request_share: null,
    evidence: 'conntrack' as const,
    top_destinations: [],
  }));
}

function podOf(db: CaseDb, ip: string): string | null {
  const r = prepared(db, `SELECT pod, namespace FROM identities WHERE ip = ? AND kind = 'pod' LIMIT 1`).get(ip) as { pod: string; namespace: string | null } | undefined;
  return r ? (r.namespace ? `${r.namespace}/${r.pod}` : r.pod) : null;
}

function describeWho(db: CaseDb, who: string): { namespace: string | null; netns: string | null; node: string | null } {
  const [ns, pod] = who.includes('/') ? who.split('/', 2) : [null, who];
  const r = prepared(db, `SELECT netns_inode, node, namespace FROM identities WHERE (pod = ? AND (namespace IS ? OR ? IS NULL)) OR ip = ? ORDER BY kind = 'pod' DESC LIMIT 1`)
    .get(pod, ns, ns, who) as { netns_inode: number | null; node: string | null; namespace: string | null } | undefined;
  return { namespace: ns ?? r?.namespace ?? null, netns: r?.netns_inode != null ? String(r.netns_inode) : null, node: r?.node ?? null };
}
