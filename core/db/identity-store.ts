import { correlate } from '../correlate/resolve.js';
import type { CaptureFact, FactInput, Identity } from '../correlate/types.js';
import { diag } from '../diagnostics.js';
import type { CaseDb } from './open-case.js';

/** The record kinds the identity graph is built from. */
const IDENTITY_KINDS = ['kubectl', 'crictl', 'lsns', 'pstree', 'iplink', 'tcptracer', 'tcptracer-count', 'iptables', 'nodename'];

/**
 * A source's node is the one --node gave (folder NULL); otherwise its folder's content names it
 * later, so the folder is passed as the group and the node left open. A case made before folders
 * were kept (folder NULL, node from the folder name) keeps its node.
 */
export function loadFacts(db: CaseDb): FactInput[] {
  const rows = db.prepare(`SELECT r.kind, r.data, s.path, s.id AS source_id, s.node, s.folder FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind IN (${IDENTITY_KINDS.map(() => '?').join(', ')}) ORDER BY r.id`).all(...IDENTITY_KINDS) as { kind: string; data: string; path: string; source_id: number; node: string | null; folder: string | null }[];
  return rows.map((r) => ({ kind: r.kind, record: JSON.parse(r.data), source: r.path, sourceId: r.source_id, node: r.folder === null ? r.node : null, group: r.folder ?? (r.node === null ? null : `node:${r.node}`) }));
}

/**
 * Per address and capture folder: the SLL2 interface indexes every one of its flows was seen on.
 * Aggregated in SQL so a large capture does not come into memory flow by flow.
 */
export function loadCaptureFacts(db: CaseDb): CaptureFact[] {
  const rows = db.prepare(`WITH e AS (
      SELECT f.id, f.orig_ip AS ip, fs.ifindex, s.folder, s.node, s.path FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id JOIN sources s ON s.id = fs.source_id WHERE fs.ifindex >= 0
      UNION ALL
      SELECT f.id, f.resp_ip, fs.ifindex, s.folder, s.node, s.path FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id JOIN sources s ON s.id = fs.source_id WHERE fs.ifindex >= 0),
    t AS (SELECT ip, folder, node, count(DISTINCT id) AS n, min(path) AS path FROM e GROUP BY ip, folder, node)
    SELECT e.ip, e.folder, e.node, e.ifindex, t.n, t.path FROM e JOIN t ON t.ip = e.ip AND t.folder IS e.folder AND t.node IS e.node
    GROUP BY e.ip, e.folder, e.node, e.ifindex HAVING count(DISTINCT e.id) = t.n`).all() as { ip: string; folder: string | null; node: string | null; ifindex: number; n: number; path: string }[];
  const out = new Map<string, CaptureFact>();
  for (const r of rows) {
    const group = r.folder ?? (r.node === null ? null : `node:${r.node}`);
    const k = `${group}\0${r.ip}`;
    const c = out.get(k) ?? { ip: r.ip, group, node: r.folder === null ? r.node : null, ifindexes: [], flows: r.n, source: r.path };
    c.ifindexes.push(r.ifindex);
    out.set(k, c);
  }
  return [...out.values()];
}

/**
 * Rebuilds the identity table from every record in the case (the graph is small next to the
 * flows, and a new file can complete a chain that earlier files started).
 */
export function rebuildIdentities(db: CaseDb): { identities: number; notes: number } {
  const result = correlate(loadFacts(db), loadCaptureFacts(db));
  const nameFolder = db.prepare('UPDATE sources SET node = ? WHERE folder = ?');
  const ins = db.prepare(`INSERT INTO identities (kind, ip, pod, namespace, service, container_ids, sandbox_ids, netns_inode, veth, ifindex, node, first_us, last_us, evidence)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insDiag = db.prepare(`INSERT INTO diagnostics (source_id, path, code, severity, message, offset, line) VALUES (NULL, ?, ?, ?, ?, NULL, ?)`);
  db.transaction(() => {
    db.exec("DELETE FROM identities; DELETE FROM diagnostics WHERE code = 'CORRELATE_CONFLICT' AND source_id IS NULL;");
    for (const i of result.identities) writeIdentity(ins, i);
    // A folder is a node only when its files say which one (never by its name alone).
    for (const g of result.groupNodes) if (!g.group.startsWith('node:')) nameFolder.run(g.node, g.group);
    for (const n of result.notes) {
      const d = diag(n.code, n.message, { source: n.source, line: n.line });
      insDiag.run(n.source ?? null, d.code, d.severity, d.message, n.line ?? null);
    }
  })();
  return { identities: result.identities.length, notes: result.notes.length };
}

function writeIdentity(ins: { run(...a: unknown[]): unknown }, i: Identity): void {
  ins.run(i.kind, i.ip, i.pod, i.namespace, i.service, JSON.stringify(i.containerIds), JSON.stringify(i.sandboxIds), i.netnsInode, i.veth, i.ifindex,
    i.node, i.firstUs, i.lastUs, JSON.stringify(i.evidence));
}
