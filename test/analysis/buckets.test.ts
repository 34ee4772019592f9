/**
 * Time and port buckets of the RST timeline and the port heatmap, on the real rst-mix lab bundle:
 * every bucket starts on a multiple of its width and the buckets add up to the totals.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listPorts, portHeatmap } from '../../core/analysis/snat/ports.js';
import { rstSummary } from '../../core/analysis/rst/summary.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

let db: CaseDb;
beforeAll(async () => {
  db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-buckets-')), 'c.db'));
  await ingestPaths(db, ['fixtures/lab/bundles/rst-mix.tar.gz']);
});

describe('buckets', () => {
  it('RSTs over time fall in whole buckets that add up to the total', () => {
    for (const bucketSeconds of [1, 2, 60]) {
      const s = rstSummary(db, { bucketSeconds });
      expect(s.total).toBeGreaterThan(5);
      // Fewer buckets than RSTs: several RSTs of one second share a bucket.
      expect(s.overTime.length).toBeLessThan(s.total);
      for (const b of s.overTime) expect(Math.round(b.ts * 1e6) % (bucketSeconds * 1e6)).toBe(0);
      expect(s.overTime.reduce((n, b) => n + b.endpoint + b.node + b.middlebox + b.unknown, 0)).toBe(s.total);
    }
  });

  it('the port heatmap has whole time and port buckets that add up to the destination\'s flows', () => {
    const top = listPorts(db)[0];
    const h = portHeatmap(db, { dstIp: top.dst_ip, dstPort: top.dst_port });
    expect(h.cells.length).toBeGreaterThan(0);
    for (const c of h.cells) {
      expect(Math.round(c.ts * 1e6) % (h.bucketSeconds * 1e6)).toBe(0);
      expect(c.port % h.portBucket).toBe(0);
    }
    expect(h.cells.reduce((n, c) => n + c.count, 0)).toBeGreaterThanOrEqual(top.distinct_src_ports);
  });
});
