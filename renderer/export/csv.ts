/** Table export: CSV (RFC 4180) and JSON. Pure, so it is unit-tested under Node. */

export interface Column<T> {
  key: string;
  title: string;
  get(row: T): unknown;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * One CSV cell. Text from captures is hostile: a cell that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR first) is prefixed with ' so it stays text (OWASP CSV injection advice).
 */
export function csvCell(v: unknown): string {
  let s = cellText(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => csvCell(c.title)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.get(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** JSON Lines, the same shape as the CLI's `--json`. */
export function toJsonLines(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/** A file name from a title: letters, digits, dashes. */
export function fileStem(title: string): string {
  const s = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'podcap';
}
