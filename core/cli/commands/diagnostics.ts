import { listDiagnostics } from '../../api/queries/sources.js';
import { withCase } from '../args.js';
import { Out, printTable } from '../output.js';

export function cmdDiagnostics(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const out = new Out();
    const rows = listDiagnostics(db);
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SEVERITY', get: (r) => r.severity },
      { title: 'CODE', get: (r) => r.code },
      { title: 'WHERE', get: (r) => `${r.path ?? ''}${r.offset !== null ? ` @${r.offset}` : ''}${r.line !== null ? `:${r.line}` : ''}` },
      { title: 'MESSAGE', get: (r) => r.message },
    ]);
    return 0;
  });
}
