import type { CaseDb } from '../db/open-case.js';
import type { CorrelateOut } from './contract.js';

interface IdentityRow {
  kind: string;
  ip: string | null;
  pod: string | null;
  namespace: string | null;
  service: string | null;
  container_ids: string;
  netns_inode: number | null;
  veth: string | null;
  ifindex: number | null;
  node: string | null;
  first_us: number | null;
  last_us: number | null;
  evidence: string;
}

/** `podcap correlate` rows: every identity with the evidence chain behind it. */
export function listCorrelations(db: CaseDb, q: { ip?: string } = {}): (CorrelateOut & { kind: string; service: string | null })[] {
  const rows = (q.ip === undefined
    ? db.prepare('SELECT * FROM identities ORDER BY kind, ip, pod').all()
    : db.prepare('SELECT * FROM identities WHERE ip = ? ORDER BY kind, pod').all(q.ip)) as IdentityRow[];
  return rows.map((r) => ({
    ip: r.ip,
    pod: r.pod,
    namespace: r.namespace,
    container_ids: JSON.parse(r.container_ids) as string[],
    netns_inode: r.netns_inode,
    veth: r.veth,
    ifindex: r.ifindex,
    node: r.node,
    first_ts: r.first_us === null ? null : r.first_us / 1e6,
    last_ts: r.last_us === null ? null : r.last_us / 1e6,
    kind: r.kind,
    service: r.service,
    evidence: JSON.parse(r.evidence) as CorrelateOut['evidence'],
  }) as CorrelateOut & { kind: string; service: string | null });
}

/**
 * SQL for "the pod an address belonged to at a time": the identity whose time range holds `ts`,
 * as `namespace/name`. Used inside flow and RST queries (placeholders: ip column, time column).
 */
export function podAtSql(ipCol: string, tsCol: string): string {
  return `(SELECT CASE WHEN i.namespace IS NOT NULL THEN i.namespace || '/' || i.pod ELSE i.pod END FROM identities i
    WHERE i.ip = ${ipCol} AND i.kind = 'pod' AND (i.first_us IS NULL OR i.first_us <= ${tsCol}) AND (i.last_us IS NULL OR ${tsCol} < i.last_us)
    ORDER BY i.first_us DESC LIMIT 1)`;
}

/** The node an address belongs to: a pod's node, or the node whose own address it is. */
export function nodeOfSql(ipCol: string): string {
  return `(SELECT i.node FROM identities i WHERE i.ip = ${ipCol} AND i.kind IN ('pod', 'node') AND i.node IS NOT NULL ORDER BY i.kind = 'node' DESC LIMIT 1)`;
}
