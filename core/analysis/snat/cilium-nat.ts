/**
 * SNAT port use from Cilium's NAT map (`cilium bpf nat list`): on a node where Cilium masquerades
 * (BPF masquerading, kube-proxy replacement) the kernel's conntrack holds none of it, so this
 * snapshot is the port evidence. Each OUT XLATE_SRC entry holds one port of its SNAT address toward
 * one destination; the entries in one dump are held at the same instant.
 */
import type { CaseDb } from '../../db/open-case.js';
import { podOfAddress } from '../../db/identity-sql.js';
import { prepared } from '../../db/statements.js';
import { publicTest } from '../rollups/cell-sources.js';

export const CILIUM_NAT_SOURCE = 'cilium bpf nat list';

export interface CiliumNatGroup {
  snatIp: string;
  dstIp: string;
  dstPort: number;
  /** Distinct translated source ports held at once (the dump of one source with the most). */
  ports: number;
  pods: { pod: string; ports: number }[];
  evidence: { source: string; lines: number[] }[];
}

/** Lines quoted per group as evidence. */
const MAX_LINES = 20;

/** Groups to public destinations (the ones the node's outbound SNAT allocation limits), most ports first. */
export function ciliumNatGroups(db: CaseDb): CiliumNatGroup[] {
  const rows = prepared(db, `SELECT s.path, r.line, json_extract(r.data, '$.toIp') AS snat, json_extract(r.data, '$.dst') AS dst, json_extract(r.data, '$.dport') AS dport,
      json_extract(r.data, '$.toPort') AS port, json_extract(r.data, '$.src') AS src
    FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'cilium-bpf' AND json_extract(r.data, '$.type') = 'nat' AND json_extract(r.data, '$.dir') = 'out' AND json_extract(r.data, '$.xlate') = 'src'
      AND json_extract(r.data, '$.proto') IN ('tcp', 'udp')
    ORDER BY r.source_id, r.id`).all() as { path: string; line: number; snat: string; dst: string; dport: number; port: number; src: string }[];
  if (rows.length === 0) return [];
  const isPublic = publicTest(db);
  const podOf = podOfAddress(db);
  const pods = new Map<string, string | null>();
  // Per group and dump: several dumps of one node are snapshots at different times, not more ports.
  const byGroup = new Map<string, Map<string, { ports: Set<number>; byPod: Map<string, Set<number>>; lines: number[] }>>();
  for (const r of rows) {
    if (!isPublic(r.dst)) continue;
    const k = `${r.snat}|${r.dst}|${r.dport}`;
    let dumps = byGroup.get(k);
    if (!dumps) byGroup.set(k, (dumps = new Map()));
    let d = dumps.get(r.path);
    if (!d) dumps.set(r.path, (d = { ports: new Set(), byPod: new Map(), lines: [] }));
    d.ports.add(r.port);
    if (d.lines.length < MAX_LINES) d.lines.push(r.line);
    if (!pods.has(r.src)) pods.set(r.src, podOf(r.src));
    const who = pods.get(r.src) ?? r.src;
    let set = d.byPod.get(who);
    if (!set) d.byPod.set(who, (set = new Set()));
    set.add(r.port);
  }
  const out: CiliumNatGroup[] = [];
  for (const [k, dumps] of byGroup) {
    const [snatIp, dstIp, dport] = k.split('|');
    const [path, d] = [...dumps].sort((a, b) => b[1].ports.size - a[1].ports.size)[0];
    out.push({
      snatIp, dstIp, dstPort: Number(dport), ports: d.ports.size,
      pods: [...d.byPod].map(([pod, s]) => ({ pod, ports: s.size })).sort((a, b) => b.ports - a.ports || (a.pod < b.pod ? -1 : 1)),
      evidence: [{ source: path, lines: d.lines }],
    });
  }
  return out.sort((a, b) => b.ports - a.ports || (a.snatIp + a.dstIp < b.snatIp + b.dstIp ? -1 : 1) || a.dstPort - b.dstPort);
}
