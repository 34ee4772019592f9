import type { CaseDb } from './open-case.js';

/** The record kinds the identity graph is built from. */
const IDENTITY_KINDS = ['kubectl', 'crictl', 'lsns', 'pstree', 'iplink', 'tcptracer', 'tcptracer-count', 'iptables', 'inspektor-gadget', 'hubble'];

/** A stored node-tool record with its provenance, as the correlation reads it (core/correlate FactInput). */
export interface StoredFact { kind: string; record: unknown; source: string; sourceId: number; node: string | null }

/** One identity row as the correlation produces it (core/correlate Identity): db stays below correlate. */
export interface IdentityToStore {
  kind: string; ip: string | null; pod: string | null; namespace: string | null; service: string | null;
  containerIds: string[]; sandboxIds: string[]; netnsInode: number | null; veth: string | null; ifindex: number | null;
  node: string | null; firstUs: number | null; lastUs: number | null; evidence: unknown[];
}

/** A correlation note stored as a case-wide diagnostic. */
export interface IdentityNoteToStore { source: string | null; code: string; severity: string; message: string; line: number | null }

export function loadFacts(db: CaseDb): StoredFact[] {
  const rows = db.prepare(`SELECT r.kind, r.data, s.path, s.id AS source_id, s.node FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind IN (${IDENTITY_KINDS.map(() => '?').join(', ')}) ORDER BY r.id`).all(...IDENTITY_KINDS) as { kind: string; data: string; path: string; source_id: number; node: string | null }[];
  return rows.map((r) => ({ kind: r.kind, record: JSON.parse(r.data), source: r.path, sourceId: r.source_id, node: r.node }));
}

/** Replaces the identity table (and the correlation's case-wide notes) in one transaction. */
export function writeIdentities(db: CaseDb, identities: readonly IdentityToStore[], notes: readonly IdentityNoteToStore[]): void {
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
  })();
}
