/**
 * Buffered stdout for large listings: JSON Lines or aligned tables. A closed pipe (`| head`)
 * ends the program quietly instead of throwing EPIPE.
 */
export class Out {
  private buf: string[] = [];
  private size = 0;

  constructor() {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }

  line(s: string): void {
    this.buf.push(s);
    this.size += s.length + 1;
    if (this.size > 1 << 16) this.flush();
  }

  json(o: unknown): void {
    this.line(JSON.stringify(o));
  }

  flush(): void {
    if (this.buf.length === 0) return;
    process.stdout.write(this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
  }
}

/** Strips control characters so hostile strings from captures cannot drive the terminal. */
export function safeCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)))) : String(v);
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export interface Column<T> {
  title: string;
  get: (row: T) => unknown;
  right?: boolean;
}

/** Prints rows as an aligned table; widths come from the first `sample` rows so output streams. */
export function printTable<T>(out: Out, rows: Iterable<T>, cols: Column<T>[], sample = 200): number {
  const pending: string[][] = [];
  let widths: number[] | null = null;
  let n = 0;
  const emit = (cells: string[]) => out.line(cells.map((c, i) => (cols[i].right ? c.padStart(widths![i]) : c.padEnd(widths![i]))).join('  ').trimEnd());
  const fix = () => {
    widths = cols.map((c, i) => Math.max(c.title.length, ...pending.map((r) => r[i].length)));
    emit(cols.map((c) => c.title));
    for (const r of pending) emit(r);
    pending.length = 0;
  };
  for (const row of rows) {
    const cells = cols.map((c) => safeCell(c.get(row)));
    n++;
    if (widths) emit(cells);
    else {
      pending.push(cells);
      if (pending.length >= sample) fix();
    }
  }
  if (!widths) fix();
  out.flush();
  return n;
}
