import type { CaseDb } from './open-case.js';

/** The record kinds the identity graph is built from. */
const IDENTITY_KINDS = ['kubectl', 'crictl', 'lsns', 'pstree', 'iplink', 'tcptracer', 'tcptracer-count', 'iptables', 'nodename', 'inspektor-gadget', 'hubble', 'runtime-log', 'cilium-bpf'];

/**
 * A stored node-tool record with its provenance, as the correlation reads it (core/correlate
 * FactInput). `node` is the one --node gave; otherwise the source's folder (`group`) waits for its
 * content to name the node. A case made before folders were kept (folder NULL, node from the
 * folder name) keeps its node.
 */
export interface StoredFact { kind: string; record: unknown; source: string; sourceId: number; node: string | null; group: string | null }

/** Per address and capture folder, the SLL2 interface indexes all its flows were seen on (core/correlate CaptureFact). */
export interface StoredCaptureFact { ip: string; group: string | null; node: string | null; ifindexes: number[]; flows: number; source: string }

/** One identity row as the correlation produces it (core/correlate Identity): db stays below correlate. */
export interface IdentityToStore {
  kind: string; ip: string | null; pod: string | null; namespace: string | null; service: string | null;
  containerIds: string[]; sandboxIds: string[]; netnsInode: number | null; veth: string | null; ifindex: number | null;
  node: string | null; firstUs: number | null; lastUs: number | null; evidence: unknown[];
}

/** A correlation note stored as a case-wide diagnostic. */
export interface IdentityNoteToStore { source: string | null; code: string; severity: string; message: string; line: number | null }

const groupOf = (folder: string | null, node: string | null) => folder ?? (node === null ? null : `node:${node}`);

export function loadFacts(db: CaseDb): StoredFact[] {
  const rows = db.prepare(`SELECT r.kind, r.data, s.path, s.id AS source_id, s.node, s.folder FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind IN (${IDENTITY_KINDS.map(() => '?').join(', ')})
      -- Of Cilium's maps only the service map names anything; its CT and NAT lists can be long.
      AND (r.kind <> 'cilium-bpf' OR json_extract(r.data, '$.type') = 'lb') ORDER BY r.id`).all(...IDENTITY_KINDS) as { kind: string; data: string; path: string; source_id: number; node: string | null; folder: string | null }[];
  return rows.map((r) => ({ kind: r.kind, record: JSON.parse(r.data), source: r.path, sourceId: r.source_id, node: r.folder === null ? r.node : null, group: groupOf(r.folder, r.node) }));
}

/** Every bundle folder with one of its files: a folder named like a node is named by any file in it. */
export function loadFolders(db: CaseDb): { group: string; source: string }[] {
  const rows = db.prepare(`SELECT folder, min(path) AS path FROM sources WHERE folder IS NOT NULL AND folder <> '' GROUP BY folder`).all() as { folder: string; path: string }[];
  return rows.map((r) => ({ group: r.folder, source: r.path }));
}

/**
 * Streamed in flow order and counted in maps sized by addresses, never by flows: the same
 * aggregation written as one SQL statement (a UNION of both ends, counted DISTINCT twice) sorted
 * every sighting twice and was the slowest step of the correlate phase on a busy capture.
 * Rows come out in the order that statement's GROUP BY gave them (address, folder, node, ifindex).
 */
export function loadCaptureFacts(db: CaseDb): StoredCaptureFact[] {
  interface Group { ip: string; folder: string | null; node: string | null; n: number; lastFlow: number; path: string; byIfindex: Map<number, { n: number; lastFlow: number }> }
  const groups = new Map<string, Group>();
  const count = (flow: number, ip: string, ifindex: number, folder: string | null, node: string | null, path: string) => {
    const k = `${ip}\0${folder === null ? '\u0001' : `=${folder}`}\0${node === null ? '\u0001' : `=${node}`}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ip, folder, node, n: 0, lastFlow: -1, path, byIfindex: new Map() }));
    if (g.lastFlow !== flow) {
      g.n++;
      g.lastFlow = flow;
    }
    if (path < g.path) g.path = path;
    let c = g.byIfindex.get(ifindex);
    if (!c) g.byIfindex.set(ifindex, (c = { n: 0, lastFlow: -1 }));
    if (c.lastFlow !== flow) {
      c.n++;
      c.lastFlow = flow;
    }
  };
  // Sources are few: looked up here rather than joined (three strings made per sighting).
  const sources = new Map((db.prepare('SELECT id, folder, node, path FROM sources').raw().all() as [number, string | null, string | null, string][]).map(([id, ...rest]) => [id, rest]));
  const rows = db.prepare(`SELECT fs.flow_id, f.orig_ip, f.resp_ip, fs.ifindex, fs.source_id FROM flow_sightings fs INDEXED BY flow_sightings_pk
      JOIN flows f ON f.id = fs.flow_id WHERE fs.ifindex >= 0 ORDER BY fs.flow_id`).raw().iterate() as Iterable<[number, string, string, number, number]>;
  for (const [flow, origIp, respIp, ifindex, sourceId] of rows) {
    const src = sources.get(sourceId);
    if (!src) continue;
    const [folder, node, path] = src;
    count(flow, origIp, ifindex, folder, node, path);
    if (respIp !== origIp) count(flow, respIp, ifindex, folder, node, path);
  }
  const cmpText = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const sorted = [...groups.values()].sort((a, b) => cmpText(a.ip, b.ip) || cmpText(a.folder, b.folder) || cmpText(a.node, b.node));
  const out = new Map<string, StoredCaptureFact>();
  for (const g of sorted) {
    const all = [...g.byIfindex].filter(([, c]) => c.n === g.n).map(([i]) => i).sort((a, b) => a - b);
    if (all.length === 0) continue;
    const group = groupOf(g.folder, g.node);
    const k = `${group}\0${g.ip}`;
    const c = out.get(k) ?? { ip: g.ip, group, node: g.folder === null ? g.node : null, ifindexes: [], flows: g.n, source: g.path };
    c.ifindexes.push(...all);
    out.set(k, c);
  }
  return [...out.values()];
}

/** Replaces the identity table (and the correlation's case-wide notes) in one transaction. */
export function writeIdentities(db: CaseDb, identities: readonly IdentityToStore[], notes: readonly IdentityNoteToStore[],
  folderNodes: readonly { group: string; node: string | null }[] = []): void {
  const nameFolder = db.prepare('UPDATE sources SET node = ? WHERE folder = ?');
  const ins = db.prepare(`INSERT INTO identities (kind, ip, pod, namespace, service, container_ids, sandbox_ids, netns_inode, veth, ifindex, node, first_us, last_us, evidence)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insDiag = db.prepare(`INSERT INTO diagnostics (source_id, path, code, severity, message, offset, line) VALUES (NULL, ?, ?, ?, ?, NULL, ?)`);
  db.transaction(() => {
    db.exec("DELETE FROM identities; DELETE FROM diagnostics WHERE code = 'CORRELATE_CONFLICT' AND source_id IS NULL;");
    for (const i of identities) {
      ins.run(i.kind, i.ip, i.pod, i.namespace, i.service, JSON.stringify(i.containerIds), JSON.stringify(i.sandboxIds), i.netnsInode, i.veth, i.ifindex,
        i.node, i.firstUs, i.lastUs, JSON.stringify(i.evidence));
    }
    for (const n of notes) insDiag.run(n.source, n.code, n.severity, n.message, n.line);
    // A folder is a node only when its files say which one (never by its name alone).
    for (const g of folderNodes) if (!g.group.startsWith('node:')) nameFolder.run(g.node, g.group);
  })();
}
