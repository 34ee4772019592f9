import { correlate } from '../correlate/resolve.js';
import type { FactInput, Identity } from '../correlate/types.js';
import { diag } from '../diagnostics.js';
import type { CaseDb } from './open-case.js';

/** The record kinds the identity graph is built from. */
const IDENTITY_KINDS = ['kubectl', 'crictl', 'lsns', 'pstree', 'iplink', 'tcptracer', 'tcptracer-count', 'iptables', 'inspektor-gadget', 'hubble'];

export function loadFacts(db: CaseDb): FactInput[] {
  const rows = db.prepare(`SELECT r.kind, r.data, s.path, s.id AS source_id, s.node FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind IN (${IDENTITY_KINDS.map(() => '?').join(', ')}) ORDER BY r.id`).all(...IDENTITY_KINDS) as { kind: string; data: string; path: string; source_id: number; node: string | null }[];
  return rows.map((r) => ({ kind: r.kind, record: JSON.parse(r.data), source: r.path, sourceId: r.source_id, node: r.node }));
}

/**
 * Rebuilds the identity table from every record in the case (the graph is small next to the
 * flows, and a new file can complete a chain that earlier files started).
 */
export function rebuildIdentities(db: CaseDb): { identities: number; notes: number } {
  const result = correlate(loadFacts(db));
  const ins = db.prepare(`INSERT INTO identities (kind, ip, pod, namespace, service, container_ids, sandbox_ids, netns_inode, veth, ifindex, node, first_us, last_us, evidence)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insDiag = db.prepare(`INSERT INTO diagnostics (source_id, path, code, severity, message, offset, line) VALUES (NULL, ?, ?, ?, ?, NULL, ?)`);
  db.transaction(() => {
    db.exec("DELETE FROM identities; DELETE FROM diagnostics WHERE code = 'CORRELATE_CONFLICT' AND source_id IS NULL;");
    for (const i of result.identities) writeIdentity(ins, i);
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
