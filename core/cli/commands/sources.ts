import type { SourceOut } from '../../api/contract.js';
import { listSources } from '../../api/queries/sources.js';
import { fmtTime, withCase } from '../args.js';
import { Out, printTable } from '../output.js';

export function cmdSources(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const out = new Out();
    const rows = listSources(db);
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable<SourceOut>(out, rows, [
      { title: 'ID', get: (r) => r.id, right: true },
      { title: 'KIND', get: (r) => r.kind },
      { title: 'NODE', get: (r) => r.node },
      { title: 'RECORDS', get: (r) => r.records, right: true },
      { title: 'BYTES', get: (r) => r.bytes, right: true },
      { title: 'FIRST', get: (r) => fmtTime(r.first_ts) },
      { title: 'LAST', get: (r) => fmtTime(r.last_ts) },
      { title: 'DIAG', get: (r) => r.diagnostics, right: true },
      { title: 'PATH', get: (r) => r.path },
    ]);
    return 0;
  });
}
