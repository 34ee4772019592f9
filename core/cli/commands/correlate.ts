import { listCorrelations } from '../../api/queries/correlate.js';
import { withCase } from '../args.js';
import { Out, printTable } from '../output.js';

export function cmdCorrelate(args: string[]): number {
  return withCase(args, { ip: { type: 'string' } }, (db, v) => {
    const rows = listCorrelations(db, { ip: v.ip as string | undefined });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'KIND', get: (r) => r.kind },
      { title: 'IP', get: (r) => r.ip },
      { title: 'POD', get: (r) => (r.pod ? `${r.namespace ? r.namespace + '/' : ''}${r.pod}` : r.service) },
      { title: 'NODE', get: (r) => r.node },
      { title: 'NETNS', get: (r) => r.netns_inode },
      { title: 'VETH', get: (r) => (r.veth ? `${r.veth} (${r.ifindex})` : null) },
      { title: 'CONTAINERS', get: (r) => r.container_ids.join(',') },
      { title: 'EVIDENCE', get: (r) => `${r.evidence.length} links` },
    ]);
    return 0;
  });
}
