/** Tables are declared as data with a doc string per column, so the schema documents itself. */
export interface ColumnSpec {
  name: string;
  type: 'INTEGER' | 'REAL' | 'TEXT' | 'BLOB';
  notNull?: boolean;
  primaryKey?: boolean;
  unique?: boolean;
  references?: string;
  doc: string;
}

export interface TableSpec {
  name: string;
  doc: string;
  columns: ColumnSpec[];
  indexes?: { name: string; columns: string[]; unique?: boolean }[];
}

export function createTableSql(t: TableSpec): string {
  const cols = t.columns.map((c) => {
    let s = `${c.name} ${c.type}`;
    if (c.primaryKey) s += ' PRIMARY KEY';
    if (c.notNull) s += ' NOT NULL';
    if (c.unique) s += ' UNIQUE';
    if (c.references) s += ` REFERENCES ${c.references}`;
    return s;
  });
  const idx = (t.indexes ?? []).map((i) => `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${i.name} ON ${t.name}(${i.columns.join(', ')});`);
  return [`CREATE TABLE ${t.name} (\n  ${cols.join(',\n  ')}\n);`, ...idx].join('\n');
}
