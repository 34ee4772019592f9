import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { downloadText } from '../export/download';
import { fileStem, toCsv, toJsonLines, type Column } from '../export/csv';

export interface TableColumn<T> extends Column<T> {
  render?(row: T): ReactNode;
  numeric?: boolean;
}

export interface DataTableProps<T> {
  title: string;
  rows: readonly T[];
  columns: readonly TableColumn<T>[];
  /** Enter or click on a row. */
  onActivate?(row: T): void;
  rowKey(row: T, index: number): string;
  maxHeight?: number;
  testId?: string;
  /** The rows exported as JSON (default: the rows themselves, the CLI's shape). */
  exportRows?: readonly unknown[];
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** A sortable table with CSV/JSON export and keyboard navigation (↑ ↓ Home End, Enter). */
export function DataTable<T>({ title, rows, columns, onActivate, rowKey, maxHeight, testId, exportRows }: DataTableProps<T>) {
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col) return rows;
    const out = [...rows].sort((a, b) => compare(col.get(a), col.get(b)));
    return sort.desc ? out.reverse() : out;
  }, [rows, columns, sort]);

  const name = fileStem(title);
  const onKey = (e: KeyboardEvent<HTMLTableRowElement>, row: T) => {
    const tr = e.currentTarget;
    const focus = (el: Element | null | undefined) => (el as HTMLElement | null)?.focus();
    if (e.key === 'ArrowDown') { e.preventDefault(); focus(tr.nextElementSibling); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); focus(tr.previousElementSibling); }
    else if (e.key === 'Home') { e.preventDefault(); focus(body.current?.firstElementChild); }
    else if (e.key === 'End') { e.preventDefault(); focus(body.current?.lastElementChild); }
    else if (e.key === 'Enter' && onActivate) { e.preventDefault(); onActivate(row); }
  };

  return (
    <section className="table-section" data-testid={testId} aria-label={title}>
      <header className="table-header">
        <h3>{title} <span className="count" data-count={rows.length}>({rows.length.toLocaleString('en-US')})</span></h3>
        <span className="table-actions">
          <button type="button" data-export="csv" aria-label={`Export ${title} as CSV`} onClick={() => downloadText(toCsv(sorted, columns), `${name}.csv`, 'text/csv')}>CSV</button>
          <button type="button" data-export="json" aria-label={`Export ${title} as JSON`} onClick={() => downloadText(toJsonLines(exportRows ?? sorted), `${name}.jsonl`, 'application/json')}>JSON</button>
        </span>
      </header>
      <div className="table-scroll" style={maxHeight ? { maxHeight } : undefined}>
        <table>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = sort?.key === c.key;
                return (
                  <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" onClick={() => setSort(active ? { key: c.key, desc: !sort!.desc } : { key: c.key, desc: false })}>
                      {c.title}{active ? (sort!.desc ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody ref={body}>
            {sorted.map((r, i) => (
              <tr key={rowKey(r, i)} tabIndex={0} onKeyDown={(e) => onKey(e, r)} onClick={onActivate ? () => onActivate(r) : undefined} className={onActivate ? 'clickable' : undefined}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>{c.render ? c.render(r) : fmtCell(c.get(r))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function fmtCell(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
