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

/** Aggregated in SQL so a large capture does not come into memory flow by flow. */
export function loadCaptureFacts(db: CaseDb): StoredCaptureFact[] {
  const rows = db.prepare(`WITH e AS (
      SELECT f.id, f.orig_ip AS ip, fs.ifindex, s.folder, s.node, s.path FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id JOIN sources s ON s.id = fs.source_id WHERE fs.ifindex >= 0
      UNION ALL
      SELECT f.id, f.resp_ip, fs.ifindex, s.folder, s.node, s.path FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id JOIN sources s ON s.id = fs.source_id WHERE fs.ifindex >= 0),
    t AS (SELECT ip, folder, node, count(DISTINCT id) AS n, min(path) AS path FROM e GROUP BY ip, folder, node)
    SELECT e.ip, e.folder, e.node, e.ifindex, t.n, t.path FROM e JOIN t ON t.ip = e.ip AND t.folder IS e.folder AND t.node IS e.node
    GROUP BY e.ip, e.folder, e.node, e.ifindex HAVING count(DISTINCT e.id) = t.n`).all() as { ip: string; folder: string | null; node: string | null; ifindex: number; n: number; path: string }[];
  const out = new Map<string, StoredCaptureFact>();
  for (const r of rows) {
    const group = groupOf(r.folder, r.node);
    const k = `${group}\0${r.ip}`;
    const c = out.get(k) ?? { ip: r.ip, group, node: r.folder === null ? r.node : null, ifindexes: [], flows: r.n, source: r.path };
    c.ifindexes.push(r.ifindex);
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
