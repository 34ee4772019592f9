import { compareIps } from '../../net/ip-cidr.js';
import type { CaseDb } from '../../db/open-case.js';
import type { CorrelateOut } from '../contract.js';
import { usToSeconds } from '../time.js';

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
  // Addresses in numeric order within each kind (SQL sorts them as text: .10 before .9); stable, so pods keep their order.
  rows.sort((a, b) => a.kind.localeCompare(b.kind) || compareIps(a.ip, b.ip));
  return rows.map((r) => ({
    ip: r.ip,
    pod: r.pod,
    namespace: r.namespace,
    container_ids: JSON.parse(r.container_ids) as string[],
    netns_inode: r.netns_inode,
    veth: r.veth,
    ifindex: r.ifindex,
    node: r.node,
    first_ts: usToSeconds(r.first_us),
    last_ts: usToSeconds(r.last_us),
    kind: r.kind,
    service: r.service,
    evidence: JSON.parse(r.evidence) as CorrelateOut['evidence'],
  }) as CorrelateOut & { kind: string; service: string | null });
}
