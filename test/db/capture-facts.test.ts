/**
 * loadCaptureFacts counts in maps what was one SQL aggregation; that statement stays here as the
 * oracle, on real bundles (several captures per node, two nodes) and a busy synthetic capture.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCaptureFacts, type StoredCaptureFact } from '../../core/db/identity-store.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { writeBusyCapture } from '../../scripts/busy-capture.js';

const groupOf = (folder: string | null, node: string | null) => folder ?? (node === null ? null : `node:${node}`);

function bySql(db: CaseDb): StoredCaptureFact[] {
  const rows = db.prepare(`WITH e AS (
      SELECT f.id, f.orig_ip AS ip, fs.ifindex, s.folder, s.node, s.path FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id JOIN sources s ON s.id = fs.source_id WHERE fs.ifindex >= 0
      UNION ALL
      SELECT f.id, f.resp_ip, fs.ifindex, s.folder, s.node, s.path FROM flows f JOIN flow_sightings fs ON fs.flow_id = f.id JOIN sources s ON s.id = fs.source_id WHERE fs.ifindex >= 0),
    t AS (SELECT ip, folder, node, count(DISTINCT id) AS n, min(path) AS path FROM e GROUP BY ip, folder, node)
    SELECT e.ip, e.folder, e.node, e.ifindex, t.n, t.path FROM e JOIN t ON t.ip = e.ip AND t.folder IS e.folder AND t.node IS e.node
    GROUP BY e.ip, e.folder, e.node, e.ifindex HAVING count(DISTINCT e.id) = t.n`).all() as { ip: string; folder: string | null; node: string | null; ifindex: number; n: number; path: string }[];
  const out = new Map<string, StoredCaptureFact>();
  for (const r of rows) {
    const group = groupOf(r.folder, r.node);
    const k = `${group}\0${r.ip}`;
    const c = out.get(k) ?? { ip: r.ip, group, node: r.folder === null ? r.node : null, ifindexes: [], flows: r.n, source: r.path };
    c.ifindexes.push(r.ifindex);
    out.set(k, c);
  }
  return [...out.values()];
}

describe('loadCaptureFacts', () => {
  it('gives what the SQL aggregation gave, in its order', async () => {
    const d = mkdtempSync(join(tmpdir(), 'podcap-facts-'));
    mkdirSync(join(d, 'busy-node'));
    writeBusyCapture(join(d, 'busy-node', 'any.pcap'), 3, 'busy', 5);
    const db = openCase(join(d, 'c.db'));
    await ingestPaths(db, ['fixtures/lab/bundles/rst-mix', 'fixtures/lab/bundles/retina-rst-mix', join(d, 'busy-node'), 'fixtures/captures/nat-any-sll2.pcap'], { workDir: join(d, 'w') });
    const facts = loadCaptureFacts(db);
    expect(facts.length).toBeGreaterThan(60);
    expect(new Set(facts.map((f) => f.group)).size).toBeGreaterThan(1);
    expect(facts).toEqual(bySql(db));
    db.close();
  });
});
