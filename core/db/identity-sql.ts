/** SQL fragments over the identities table, shared by the correlate phase and the listing queries. */
import type { CaseDb } from './open-case.js';
import { prepared } from './statements.js';

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

/** The pod an address was given (at any time), as `namespace/name`; null for none. */
export function podOfAddress(db: CaseDb): (ip: string) => string | null {
  const q = prepared(db, `SELECT CASE WHEN namespace IS NOT NULL THEN namespace || '/' || pod ELSE pod END AS who FROM identities WHERE ip = ? AND kind = 'pod' LIMIT 1`);
  return (ip) => (q.get(ip) as { who: string } | undefined)?.who ?? null;
}
