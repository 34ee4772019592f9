/**
 * Column tables printed through Go's text/tabwriter (crictl, kubectl, docker): every cell starts
 * at its column's start, cells are left aligned, and a cell may hold single spaces
 * ("6 hours ago", "2 (5m ago)", "Ubuntu 22.04.3 LTS") or be empty (docker's PORTS).
 */
export interface Column {
  name: string;
  start: number;
}

/**
 * Finds the known column names in a header line, in order. Multi-word names ("POD ID",
 * "NOMINATED NODE") are matched before single words. Returns undefined when a word of the header
 * is not a known name, so a different table is never misread as this one.
 */
export function headerColumns(header: string, known: readonly string[]): Column[] | undefined {
  const names = [...known].sort((a, b) => b.length - a.length);
  const cols: Column[] = [];
  let i = 0;
  while (i < header.length) {
    if (header[i] === ' ' || header[i] === '\t') {
      i++;
      continue;
    }
    const name = names.find((n) => header.startsWith(n, i) && (i + n.length === header.length || /\s/.test(header[i + n.length]!)));
    if (!name) return undefined;
    cols.push({ name, start: i });
    i += name.length;
  }
  return cols.length > 0 ? cols : undefined;
}

/**
 * Splits a row into cells by the header's column starts. When the row does not line up with the
 * header (a hand-edited or re-spaced paste), falls back to splitting on runs of two or more
 * spaces, which works as long as no cell is empty. Returns undefined when neither fits.
 */
export function splitRow(row: string, cols: readonly Column[]): string[] | undefined {
  const byPosition = cellsByPosition(row, cols);
  if (byPosition) return byPosition;
  const parts = row.trim().split(/\s{2,}|\t+/);
  if (parts.length === cols.length) return parts;
  return undefined;
}

function cellsByPosition(row: string, cols: readonly Column[]): string[] | undefined {
  const cells: string[] = [];
  for (let c = 0; c < cols.length; c++) {
    const start = cols[c]!.start;
    const end = c + 1 < cols.length ? cols[c + 1]!.start : row.length;
    // A cell must begin at its column: the character before it is a space (or the line start),
    // and the next column must not start in the middle of a word.
    if (start > 0 && start < row.length && row[start - 1] !== ' ') return undefined;
    if (c + 1 < cols.length && end < row.length && row[end - 1] !== ' ' && row[end] !== ' ') return undefined;
    cells.push(start < row.length ? row.slice(start, Math.min(end, row.length)).trim() : '');
  }
  // Every column but the last may be empty only if the row is long enough to reach the last one.
  if (cells[0] === '') return undefined;
  return cells;
}
