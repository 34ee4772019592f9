import { listDrops } from '../../analysis/drops/drops.js';
import { int, withCase } from '../args.js';
import { Out, printTable } from '../output.js';

export function cmdDrops(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const rows = listDrops(db, { limit: int(v.limit as string | undefined, '--limit') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'COUNT', get: (r) => r.count, right: true },
      { title: 'SOURCE', get: (r) => r.src },
      { title: 'DESTINATION', get: (r) => (r.dst_port !== null ? `${r.dst}:${r.dst_port}` : r.dst) },
      { title: 'PROTO', get: (r) => r.proto },
      { title: 'REASON', get: (r) => r.reason },
      { title: 'WHY', get: (r) => r.category },
      { title: 'DIR', get: (r) => r.direction },
      { title: 'NODE', get: (r) => r.node },
      { title: 'EVIDENCE', get: (r) => r.evidence.map((e) => `${e.source}:${e.lines.slice(0, 3).join(',')}${e.lines.length > 3 ? ',…' : ''}`).join(' ') },
    ]);
    return 0;
  });
}
