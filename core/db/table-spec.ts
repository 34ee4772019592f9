/** Tables are declared as data with a doc string per column, so the schema documents itself. */
export interface ColumnSpec {
  name: string;
  type: 'INTEGER' | 'REAL' | 'TEXT' | 'BLOB';
  notNull?: boolean;
  primaryKey?: boolean;
  unique?: boolean;
  references?: string;
  /** Migration that added the column to an existing table (absent: created with the table). */
  since?: number;
  doc: string;
}

export interface TableSpec {
  name: string;
  doc: string;
  columns: ColumnSpec[];
  indexes?: { name: string; columns: string[]; unique?: boolean; since?: number; /** Migration that dropped it. */ droppedIn?: number; /** Partial index: only rows where this holds (SQL). */ where?: string; /** Built by the index phase after an ingest (indexPhaseSql), not by a migration. */ indexPhase?: boolean;
    /**
     * Made by its migration, but dropped while a first ingest fills the table and built again after
     * the parse phase or after the correlate phase (which writes its columns) (deferredIndexSql).
     */
    deferred?: 'parse' | 'correlate' }[];
}

function columnSql(c: ColumnSpec): string {
  let s = `${c.name} ${c.type}`;
  if (c.primaryKey) s += ' PRIMARY KEY';
  if (c.notNull) s += ' NOT NULL';
  if (c.unique) s += ' UNIQUE';
  if (c.references) s += ` REFERENCES ${c.references}`;
  return s;
}

function indexSql(t: TableSpec, i: NonNullable<TableSpec['indexes']>[number]): string {
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${i.name} ON ${t.name}(${i.columns.join(', ')})${i.where ? ` WHERE ${i.where}` : ''};`;
}

/**
 * The table as it was created (columns and indexes without a `since`), so a migration's SQL
 * does not change when later migrations add columns to the declaration.
 */
export function createTableSql(t: TableSpec): string {
  const cols = t.columns.filter((c) => c.since === undefined).map(columnSql);
  const idx = (t.indexes ?? []).filter((i) => i.since === undefined && !i.indexPhase).map((i) => indexSql(t, i));
  return [`CREATE TABLE ${t.name} (\n  ${cols.join(',\n  ')}\n);`, ...idx].join('\n');
}

/** What migration `version` adds to an existing table: its new columns and indexes. */
export function addedInSql(t: TableSpec, version: number): string {
  const cols = t.columns.filter((c) => c.since === version).map((c) => `ALTER TABLE ${t.name} ADD COLUMN ${columnSql(c)};`);
  const idx = (t.indexes ?? []).filter((i) => i.since === version).map((i) => indexSql(t, i));
  return [...cols, ...idx].join('\n');
}

/**
 * Indexes an ingest into an empty case may drop while it writes and must build again before
 * anything reads the table: each as [name, CREATE statement as its migration made it].
 */
export function deferredIndexSql(t: TableSpec, until?: 'parse' | 'correlate'): [string, string][] {
  return (t.indexes ?? []).filter((i) => i.deferred && (until === undefined || i.deferred === until) && i.droppedIn === undefined).map((i) => [i.name, indexSql(t, i)]);
}

/**
 * Indexes the index phase builds once the rows are in (IF NOT EXISTS: later ingests maintain them).
 * Building an index over a million rows at once is cheaper than keeping it up to date row by row
 * through a first ingest.
 */
export function indexPhaseSql(t: TableSpec): string[] {
  return (t.indexes ?? []).filter((i) => i.indexPhase).map((i) => indexSql(t, i).replace('CREATE INDEX ', 'CREATE INDEX IF NOT EXISTS '));
}
