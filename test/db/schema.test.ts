import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`).all(t.name) as { name: string }[]).map((i) => i.name);
      expect(indexes, `${t.name} indexes`).toEqual((t.indexes ?? []).filter((i) => i.droppedIn === undefined && !i.indexPhase).map((i) => i.name).sort());
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

  it('a read-only open brings a case of an earlier podcap up to date first (rows kept, new columns filled)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'podcap-old-case-')), 'old.db');
    const old = new Database(path);
    // The schema as version 6 left it, with one flow and its RST.
    for (const m of MIGRATIONS.filter((x) => x.version <= 6)) old.exec(m.sql);
    old.pragma('user_version = 6');
    old.exec(`INSERT INTO sources (id, path, kind, sha256, bytes, records, ingested_at) VALUES (1, 'a.pcap', 'pcap', 'x', 0, 0, 0);
      INSERT INTO flows (id, source_id, proto, orig_ip, orig_port, resp_ip, resp_port, start_us, end_us, state, history, orig_pkts, resp_pkts, orig_bytes, resp_bytes,
        orig_ip_bytes, resp_ip_bytes, missed_bytes, origin_guessed, orig_isn, resp_isn, orig_ttl, resp_ttl, dup_pkts, icmp_errors, orig_pod)
        VALUES (1, 1, 'tcp', '10.244.1.21', 40000, '203.0.113.10', 443, 0, 1, 'RSTO', 'ShR', 2, 1, 0, 0, 80, 40, 0, 0, 1, 2, 64, 52, 0, 0, 'payments/api');
      INSERT INTO rst_events (flow_id, source_id, ts_us, sender_ip, sender_port, receiver_ip, receiver_port, sender_role, flags, seq, ack, ttl, ip_id,
        sender_prev_ttl, sender_prev_ip_id, idle_before_us, answers_syn, payload_len) VALUES (1, 1, 1, '10.244.1.21', 40000, '203.0.113.10', 443, 'orig', 4, 2, 0, 64, 5, 64, 4, 1, 0, 0);`);
    old.close();
    const db = openCase(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(db.prepare('SELECT sender_who, receiver_who, dst_port FROM rst_events').get()).toEqual({ sender_who: 'payments/api', receiver_who: '203.0.113.10', dst_port: 443 });
    db.close();
  });
});
