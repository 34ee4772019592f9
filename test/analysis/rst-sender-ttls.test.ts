/**
 * senderTtlsAtPoints streams sightings and counts in maps what was one SQL aggregation; that
 * statement stays here as the oracle, on real bundles (several capture points per node, RSTs of
 * every verdict) and a busy synthetic capture, order included (verdicts take the first matching point).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { senderTtlsAtPoints } from '../../core/analysis/rst/classify.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { writeBusyCapture } from '../../scripts/busy-capture.js';

function bySql(db: CaseDb): [string, [string, [number, number][]][]][] {
  const rows = db.prepare(`SELECT x.ip, fs.source_id || ':' || fs.iface || ':' || fs.ifindex AS p, x.ttl, count(*) AS n FROM (
      SELECT o.id, o.orig_ip AS ip, o.orig_ttl AS ttl FROM flows o WHERE o.orig_ttl >= 0 AND o.orig_ip IN (SELECT DISTINCT sender_ip FROM rst_events)
      UNION ALL SELECT o.id, o.resp_ip, o.resp_ttl FROM flows o WHERE o.resp_ttl >= 0 AND o.state <> 'REJ' AND o.resp_ip IN (SELECT DISTINCT sender_ip FROM rst_events)) x
    JOIN flow_sightings fs ON fs.flow_id = x.id
    WHERE NOT EXISTS (SELECT 1 FROM flow_sightings o WHERE o.flow_id = x.id AND o.source_id = fs.source_id AND (o.iface <> fs.iface OR o.ifindex <> fs.ifindex))
    GROUP BY x.ip, p, x.ttl`).all() as { ip: string; p: string; ttl: number; n: number }[];
  const out = new Map<string, Map<string, Map<number, number>>>();
  for (const r of rows) {
    if (!out.has(r.ip)) out.set(r.ip, new Map());
    const byPoint = out.get(r.ip)!;
    if (!byPoint.has(r.p)) byPoint.set(r.p, new Map());
    byPoint.get(r.p)!.set(r.ttl, r.n);
  }
  return nested(out);
}

const nested = (m: Map<string, Map<string, Map<number, number>>>) => [...m].map(([ip, byPoint]) => [ip, [...byPoint].map(([p, ttls]) => [p, [...ttls]])] as [string, [string, [number, number][]][]]);

describe('senderTtlsAtPoints', () => {
  it('gives what the SQL aggregation gave, in its order', async () => {
    const d = mkdtempSync(join(tmpdir(), 'podcap-ttls-'));
    mkdirSync(join(d, 'busy-node'));
    writeBusyCapture(join(d, 'busy-node', 'any.pcap'), 4, 'busy', 11);
    const db = openCase(join(d, 'c.db'));
    await ingestPaths(db, ['fixtures/lab/bundles/rst-mix', 'fixtures/lab/bundles/retina-rst-mix', join(d, 'busy-node'), 'fixtures/captures'], { workDir: join(d, 'w') });
    const got = nested(senderTtlsAtPoints(db));
    expect(got.length).toBeGreaterThan(5);
    expect(got.some(([, points]) => points.length > 1)).toBe(true);
    expect(got).toEqual(bySql(db));
    db.close();
  });
});
