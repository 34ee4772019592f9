/**
 * lsns prints through libsmartcols: number columns (NS, NPROCS, PID, NETNSID) are right aligned,
 * text columns left aligned, COMMAND (last) runs to the end of the line and NSFS/NETNSID may be
 * blank. So a cell is found by its edge: a right-aligned cell ends where its header name ends, a
 * left-aligned one starts where its header name starts.
 */
export const LSNS_COLUMNS = ['NS', 'TYPE', 'PATH', 'NPROCS', 'PID', 'PPID', 'USER', 'UID', 'NETNSID', 'NSFS', 'COMMAND'] as const;
const RIGHT_ALIGNED = new Set(['NS', 'NPROCS', 'PID', 'PPID', 'UID', 'NETNSID']);

export interface LsnsColumn {
  name: string;
  start: number;
  end: number;
  right: boolean;
}

export function lsnsHeader(text: string): LsnsColumn[] | undefined {
  const cols: LsnsColumn[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const name = m[0];
    if (!(LSNS_COLUMNS as readonly string[]).includes(name)) return undefined;
    cols.push({ name, start: m.index!, end: m.index! + name.length, right: RIGHT_ALIGNED.has(name) });
  }
  if (cols.length < 2 || cols[0]!.name !== 'NS' || !cols.some((c) => c.name === 'TYPE')) return undefined;
  return cols;
}

/** Cells by column name, or a reason string when a word of the row belongs to no column. */
export function lsnsCells(row: string, cols: LsnsColumn[]): Map<string, string> | string {
  const cells = new Map<string, string>();
  const last = cols[cols.length - 1]!;
  const lastIsFree = !last.right;
  // The last left-aligned column takes the rest of the line, spaces included.
  const restStart = lastIsFree ? findRestStart(row, last) : row.length;
  if (lastIsFree && restStart < row.length) cells.set(last.name, row.slice(restStart).trimEnd());
  const fixed = lastIsFree ? cols.slice(0, -1) : cols;
  for (const m of row.slice(0, restStart).matchAll(/\S+/g)) {
    const start = m.index!;
    const end = start + m[0].length;
    const col =
      fixed.find((c) => c.right && c.end === end) ??
      fixed.find((c) => !c.right && c.start === start) ??
      nearest(fixed, start, end);
    if (!col) return `${JSON.stringify(m[0])} is under no column`;
    if (cells.has(col.name)) return `two values under ${col.name}`;
    cells.set(col.name, m[0]);
  }
  return cells;
}

function findRestStart(row: string, last: LsnsColumn): number {
  if (row.length <= last.start) return row.length;
  // The command may start a little before its header when an earlier cell overflowed; step back
  // to the start of the word under the header.
  let i = last.start;
  while (i > 0 && row[i - 1] !== ' ') i--;
  return i;
}

/**
 * Rows wider than the header shift cells (a long NSFS path pushes COMMAND right, not left, so
 * that case is handled above). Fall back to the column whose span overlaps the word.
 */
function nearest(cols: LsnsColumn[], start: number, end: number): LsnsColumn | undefined {
  let best: LsnsColumn | undefined;
  let bestOverlap = 0;
  for (const c of cols) {
    const overlap = Math.min(end, c.end) - Math.max(start, c.start);
    if (overlap > bestOverlap) {
      best = c;
      bestOverlap = overlap;
    }
  }
  return best;
}
