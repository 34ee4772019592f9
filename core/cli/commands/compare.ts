import { parseArgs } from 'node:util';
import { compareSides, type Side } from '../../analysis/compare/compare.js';
import { planWindow } from '../../analysis/rollups/window-plan.js';
import { type CaseDb, openCase } from '../../db/open-case.js';
import { fail, fmtWindowEnd, needCase, parseWindow } from '../args.js';
import { Out, printTable } from '../output.js';

/**
 * `--case` is after (the case being looked at), `--against` its baseline (before). Two `--window`s
 * of one case: the first is before, the second after.
 */
export function cmdCompare(args: string[]): number {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, against: { type: 'string' }, window: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
  const windows = (values.window ?? []).map(parseWindow);
  if (!values.against && windows.length !== 2) fail('compare needs --against BEFORE.db (the baseline), or two --window FROM..TO of the same case (before, then after)');
  if (windows.length > 2) fail('compare takes at most two --window (before, then after)');
  const afterDb = openCase(needCase(values), { readonly: true });
  let beforeDb: CaseDb | undefined;
  try {
    let before: Side;
    let after: Side;
    if (values.against) {
      beforeDb = openCase(values.against, { readonly: true });
      before = { db: beforeDb, window: windows[0] ?? {} };
      after = { db: afterDb, window: windows[1] ?? windows[0] ?? {} };
    } else {
      before = { db: afterDb, window: windows[0] };
      after = { db: afterDb, window: windows[1] };
    }
    const rows = compareSides(before, after);
    // Say so when a window was widened: the answer covers whole minutes, not the times given.
    for (const s of [before, after]) {
      if (s.window.fromUs === undefined && s.window.toUs === undefined) continue;
      const p = planWindow(s.db, s.window);
      if (p.mode === 'minutes') process.stderr.write(`podcap: note: ${s.db.name} holds many flows; fan-out, SNAT ports and findings cover whole minutes ${fmtWindowEnd(p.fromUs)}..${fmtWindowEnd(p.toUs)}\n`);
    }
    const out = new Out();
    if (values.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SECTION', get: (r) => r.section },
      { title: 'KEY', get: (r) => r.key },
      { title: 'BEFORE', get: (r) => r.before, right: true },
      { title: 'AFTER', get: (r) => r.after, right: true },
      { title: 'CHANGE', get: (r) => (r.delta === null ? null : `${r.delta > 0 ? '+' : ''}${r.delta}`), right: true },
      { title: 'UNIT', get: (r) => r.unit },
      { title: '', get: (r) => r.change },
    ]);
    return 0;
  } finally {
    afterDb.close();
    beforeDb?.close();
  }
}
