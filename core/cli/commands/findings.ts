import { listFindings } from '../../analysis/findings/findings.js';
import type { FindingOut } from '../../api/contract.js';
import { withCase } from '../args.js';
import { Out, safeCell } from '../output.js';

/** `line 6`, `flows 38, 39`, at most eight numbers. */
const list = (what: string, xs: number[] | undefined): string => (xs?.length ? `${what}${xs.length > 1 ? 's' : ''} ${xs.slice(0, 8).join(', ')}${xs.length > 8 ? '…' : ''}` : '');

export function printFindings(out: Out, rows: FindingOut[]): void {
  if (rows.length === 0) {
    out.line('No findings: none of the runbook rules fired on this case.');
    out.flush();
    return;
  }
  for (const f of rows) {
    out.line(`[${f.severity.toUpperCase()}] ${safeCell(f.title)}`);
    out.line(`  ${safeCell(f.detail)}`);
    for (const a of f.affected.slice(0, 10)) out.line(`  - [${a.severity}] ${safeCell(a.title)}: ${safeCell(a.detail)}`);
    if (f.affected.length > 10) out.line(`  - …and ${f.affected.length - 10} more (podcap findings --json lists all)`);
    for (const e of f.evidence.slice(0, 4)) {
      const what = [list('line', e.lines), list('flow', e.flows)].filter(Boolean).join('; ');
      out.line(`  evidence: ${safeCell(e.source)}${what ? ` (${what})` : ''}`);
    }
    out.line(`  next: ${safeCell(f.next_step)}`);
    out.line('');
  }
  out.flush();
}

export function cmdFindings(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const rows = listFindings(db);
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printFindings(out, rows);
    return 0;
  });
}
