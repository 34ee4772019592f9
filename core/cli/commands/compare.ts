import { parseArgs } from 'node:util';
import { compareSides } from '../../analysis/compare/compare.js';
import { planWindow } from '../../analysis/rollups/window-plan.js';
import type { CompareRow, TimeWindow } from '../../api/contract.js';
import { type CaseDb, openCase } from '../../db/open-case.js';
import { fail, fmtWindowEnd, needCase, parseWindow } from '../args.js';
import { Out, printTable } from '../output.js';

export function cmdCompare(args: string[]): number {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, against: { type: 'string' }, window: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
  const a = openCase(needCase(values), { readonly: true });
  const windows = (values.window ?? []).map(parseWindow);
  let b: CaseDb | undefined;
  try {
    let rows: CompareRow[];
    if (values.against) {
      b = openCase(values.against, { readonly: true });
      rows = compareSides({ db: a, window: windows[0] ?? {} }, { db: b, window: windows[1] ?? windows[0] ?? {} });
    } else {
      if (windows.length !== 2) fail('compare needs --against CASE, or two --window FROM..TO of the same case');
      rows = compareSides({ db: a, window: windows[0] }, { db: a, window: windows[1] });
    }
    // Say so when a window was widened: the answer covers whole minutes, not the times given.
    const sides: [CaseDb, TimeWindow | undefined][] = values.against ? [[a, windows[0]], [b!, windows[1] ?? windows[0]]] : [[a, windows[0]], [a, windows[1]]];
    for (const [db, w] of sides) {
      if (!w || (w.fromUs === undefined && w.toUs === undefined)) continue;
      const p = planWindow(db, w);
      if (p.mode === 'minutes') process.stderr.write(`podcap: note: ${db.name} holds many flows; fan-out, SNAT ports and findings cover whole minutes ${fmtWindowEnd(p.fromUs)}..${fmtWindowEnd(p.toUs)}\n`);
    }
    const out = new Out();
    if (values.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SECTION', get: (r) => r.section },
      { title: 'KEY', get: (r) => r.key },
      { title: 'A', get: (r) => r.a, right: true },
      { title: 'B', get: (r) => r.b, right: true },
      { title: 'DELTA', get: (r) => r.delta, right: true },
      { title: 'CHANGE', get: (r) => r.change },
    ]);
    return 0;
  } finally {
    a.close();
    b?.close();
  }
}
