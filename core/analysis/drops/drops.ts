/**
 * Who was dropped, where and why: the datapath's own drop records (Hubble DROPPED flows), one row
 * per (source, destination, port, reason, node), with the lines that show it.
 */
import type { CaseDb } from '../../db/open-case.js';
import { podOfAddress } from '../../db/identity-sql.js';
import { prepared } from '../../db/statements.js';

/** The stored Hubble flow record (core/formats/hubble/types.ts HubbleFlow), as far as drops read it. */
interface HubbleEndpoint { ip: string | null; port: number | null; namespace?: string; pod?: string; reserved?: string }
interface HubbleFlow {
  time: string; event: string; summary?: string; node?: string; dropReason?: string; proto?: string;
  direction?: 'ingress' | 'egress'; src: HubbleEndpoint; dst: HubbleEndpoint; line: number;
}

export type DropCategory = 'policy' | 'no-route' | 'conntrack' | 'service' | 'invalid' | 'other';

/** `podcap drops` row. */
export interface DropOut {
  /** `namespace/pod`, else the address (named by the case's identities when it knows it), else the reserved identity. */
  src: string;
  src_ip: string | null;
  dst: string;
  dst_ip: string | null;
  dst_port: number | null;
  proto: string | null;
  /** The datapath's reason (`POLICY_DENIED`, `CT_MAP_INSERTION_FAILED`, …). */
  reason: string;
  category: DropCategory;
  direction: 'ingress' | 'egress' | null;
  node: string | null;
  count: number;
  first_us: number | null;
  last_us: number | null;
  evidence: { source: string; lines: number[] }[];
}

export function dropCategory(reason: string): DropCategory {
  if (/POLICY|AUTH_REQUIRED|DENIED|DENY/.test(reason)) return 'policy';
  if (/^CT_|CONNTRACK|_CT_/.test(reason)) return 'conntrack';
  if (/ROUTE|FIB_LOOKUP|UNKNOWN_L3_TARGET|NO_TUNNEL|UNROUTABLE|NO_EGRESS/.test(reason)) return 'no-route';
  if (/SERVICE|BACKEND|LB_|NAT_NO_MAPPING/.test(reason)) return 'service';
  if (/INVALID|MALFORMED|UNSUPPORTED|TRUNCATED/.test(reason)) return 'invalid';
  return 'other';
}

export function listDrops(db: CaseDb, req: { fromUs?: number; toUs?: number; limit?: number } = {}): DropOut[] {
  const params: unknown[] = [];
  let win = '';
  if (req.fromUs !== undefined) { win += ' AND r.ts_us >= ?'; params.push(req.fromUs); }
  if (req.toUs !== undefined) { win += ' AND r.ts_us <= ?'; params.push(req.toUs); }
  const rows = prepared(db, `SELECT r.data, r.ts_us, s.path, s.node FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'hubble' AND json_extract(r.data, '$.verdict') = 'DROPPED'${win} ORDER BY r.ts_us, r.id`).all(...params) as
    { data: string; ts_us: number | null; path: string; node: string | null }[];
  const podOf = podOfAddress(db);
  const name = (e: HubbleEndpoint): string => {
    if (e.pod) return e.namespace ? `${e.namespace}/${e.pod}` : e.pod;
    if (e.ip) return podOf(e.ip) ?? e.ip;
    return e.reserved ? `(${e.reserved})` : '?';
  };
  const groups = new Map<string, DropOut & { lines: Map<string, number[]> }>();
  // Overlapping `hubble observe` queries (--verdict DROPPED and --protocol http) print the same
  // event twice: one event is one drop.
  const seen = new Set<string>();
  for (const r of rows) {
    const f = JSON.parse(r.data) as HubbleFlow;
    const id = JSON.stringify([f.time, f.src, f.dst, f.event, f.summary ?? null, f.node ?? null]);
    if (seen.has(id)) continue;
    seen.add(id);
    const reason = f.dropReason ?? 'UNKNOWN';
    const node = f.node ?? r.node;
    const src = name(f.src);
    const dst = name(f.dst);
    const key = [src, dst, f.dst.port, f.proto, reason, node].join('\0');
    let g = groups.get(key);
    if (!g) {
      g = { src, src_ip: f.src.ip, dst, dst_ip: f.dst.ip, dst_port: f.dst.port, proto: f.proto ?? null, reason, category: dropCategory(reason),
        direction: f.direction ?? null, node, count: 0, first_us: null, last_us: null, evidence: [], lines: new Map() };
      groups.set(key, g);
    }
    g.count++;
    if (r.ts_us !== null) {
      if (g.first_us === null || r.ts_us < g.first_us) g.first_us = r.ts_us;
      if (g.last_us === null || r.ts_us > g.last_us) g.last_us = r.ts_us;
    }
    const l = g.lines.get(r.path) ?? [];
    if (l.length < 50) l.push(f.line);
    g.lines.set(r.path, l);
  }
  const out = [...groups.values()].map(({ lines, ...g }) => ({ ...g, evidence: [...lines].map(([source, ls]) => ({ source, lines: ls })) }));
  out.sort((a, b) => b.count - a.count || a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst));
  return out.slice(0, req.limit ?? 200);
}

const NEXT: Record<DropCategory, string> = {
  policy: 'Find the policy that selects the destination (kubectl get cnp,ccnp,netpol -A) and allow the source on that port, or confirm the deny is intended; `hubble observe --verdict DROPPED --to-pod …` shows new drops live.',
  'no-route': 'Check the node\'s routes and Cilium\'s ipcache for the destination (cilium-dbg bpf ipcache list, ip route); a pod IP that no longer exists points at stale endpoints.',
  conntrack: 'Check the BPF conntrack map pressure (cilium-dbg bpf ct list global | wc -l vs bpf-ct-global-tcp-max) and raise the map size or find who fills it (`podcap fanout`).',
  service: 'The service had no backend for the connection: check the Endpoints/EndpointSlices and readiness of its pods (kubectl get endpointslices -n NS).',
  invalid: 'Packets the datapath refused as malformed or spoofed: check the sender (source IP not owned by the endpoint, wrong MAC, MTU).',
  other: 'Look up the drop reason in Cilium\'s drop reason list and the node\'s cilium-agent logs.',
};

/** One finding per drop reason: who was dropped where, most dropped first. */
export function dropFindings(db: CaseDb, w: { fromUs?: number; toUs?: number } = {}): {
  id: string; rule: string; severity: 'high' | 'medium' | 'low'; title: string; detail: string; evidence: { source: string; lines: number[] }[]; next_step: string;
}[] {
  const byReason = new Map<string, DropOut[]>();
  for (const d of listDrops(db, { ...w, limit: 10_000 })) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d]);
  return [...byReason].map(([reason, ds]) => {
    const n = ds.reduce((a, d) => a + d.count, 0);
    const cat = ds[0].category;
    const pairs = ds.slice(0, 5).map((d) => `${d.src} → ${d.dst}${d.dst_port !== null ? `:${d.dst_port}` : ''} (${d.count})`).join(', ');
    const ev = new Map<string, number[]>();
    for (const d of ds) for (const e of d.evidence) ev.set(e.source, [...(ev.get(e.source) ?? []), ...e.lines].slice(0, 50));
    return {
      id: `drops:${reason}`, rule: `drops:${reason}`, severity: cat === 'invalid' || cat === 'other' ? 'low' as const : cat === 'policy' ? 'medium' as const : 'high' as const,
      title: `${n} flow${n === 1 ? '' : 's'} dropped by the datapath: ${reason}`,
      detail: `Cilium dropped ${n} flow${n === 1 ? '' : 's'} with reason ${reason} (${cat}): ${pairs}${ds.length > 5 ? `, and ${ds.length - 5} more pairs` : ''}.`,
      evidence: [...ev].map(([source, lines]) => ({ source, lines })),
      next_step: NEXT[cat],
    };
  });
}
