import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../core/db/migrations.js';
import { migrate, openCase } from '../../core/db/open-case.js';
import { SCHEMA } from '../../core/db/schema.js';

describe('case schema', () => {
  it('migrates an empty file to exactly the declared tables and columns', () => {
    const db = openCase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    for (const t of SCHEMA) {
      const cols = (db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).map((c) => c.name);
      expect(cols, t.name).toEqual(t.columns.map((c) => c.name));
      for (const c of t.columns) expect(c.doc.length, `${t.name}.${c.name} has a doc`).toBeGreaterThan(3);
    }
    db.close();
  });

  it('is idempotent: opening a migrated case applies nothing twice', () => {
    const db = openCase(':memory:');
    const before = (db.prepare("SELECT count(*) n FROM sqlite_master").get() as { n: number }).n;
    // running the migrator again on the same handle must be a no-op
    migrate(db);
    expect((db.prepare("SELECT count(*) n FROM sqlite_master").get() as { n: number }).n).toBe(before);
  });
});
