/**
 * Whole-case answers stored after ingest must be exactly what the live computation gives, on
 * every lab bundle; a later ingest must replace them, and a time window is always computed live.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../core/analysis/rollups/answers.js';
import { computeFanout, listFanout } from '../../core/analysis/fanout/fanout.js';
import { computeFindings, listFindings } from '../../core/analysis/findings/findings.js';
import { ensureAnswers } from '../../core/ingest/index-phase.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { computePorts, listPorts } from '../../core/analysis/snat/ports.js';
import { computeRstSummary, rstSummary } from '../../core/analysis/rst/summary.js';
import { openCase } from '../../core/db/open-case.js';

const BUNDLES = readdirSync('fixtures/lab/bundles').filter((f) => f.endsWith('.tar.gz'));
const newCase = () => openCase(join(mkdtempSync(join(tmpdir(), 'podcap-answers-')), 'c.db'));

describe('materialized whole-case answers', () => {
  it('has the lab bundles', () => expect(BUNDLES.length).toBeGreaterThanOrEqual(4));

  for (const b of BUNDLES) {
    it(`${b}: stored fan-out, ports and findings equal the live ones`, async () => {
      const db = newCase();
      await ingestPaths(db, [join('fixtures/lab/bundles', b)]);
      expect(readAnswer(db, 'fanout')).not.toBeNull();
      expect(listFanout(db)).toEqual(computeFanout(db));
      expect(listFanout(db, { limit: 3 })).toEqual(computeFanout(db, { limit: 3 }));
      expect(listPorts(db)).toEqual(computePorts(db));
      expect(listFindings(db)).toEqual(computeFindings(db));
      expect(readAnswer(db, 'rst-summary')).not.toBeNull();
      expect(rstSummary(db)).toEqual(computeRstSummary(db));
      expect(listFindings(db).length).toBeGreaterThan(0);
      db.close();
    });
  }

  it('a later ingest replaces them; a window is computed live', async () => {
    const db = newCase();
    await ingestPaths(db, ['fixtures/lab/bundles/rst-mix.tar.gz']);
    const before = listFanout(db);
    await ingestPaths(db, ['fixtures/lab/bundles/snat-fanout.tar.gz']);
    const after = listFanout(db);
    expect(after).not.toEqual(before);
    expect(after).toEqual(computeFanout(db));
    expect(rstSummary(db)).toEqual(computeRstSummary(db));
    expect(rstSummary(db).total).toBe((db.prepare('SELECT count(*) AS n FROM rst_events').get() as { n: number }).n);
    const first = (db.prepare('SELECT min(start_us) AS a FROM flows').get() as { a: number }).a;
    const w = { fromUs: first, toUs: first + 2_000_000 };
    expect(listFanout(db, w)).toEqual(computeFanout(db, w));
    expect(listFanout(db, w)).not.toEqual(after);
    db.close();
  });

  it('a case without current rollups (older podcap, or changed without the index phase) gets them once when a host opens it', async () => {
    const db = newCase();
    expect(ensureAnswers(db)).toBe(false); // nothing to index yet
    await ingestPaths(db, ['fixtures/lab/bundles/snat-fanout.tar.gz'], { index: false });
    expect(readAnswer(db, 'fanout')).toBeNull();
    expect(ensureAnswers(db)).toBe(true);
    expect(readAnswer(db, 'fanout')).toEqual(computeFanout(db, { limit: 1000 }));
    expect((db.prepare('SELECT count(*) AS n FROM opener_minutes').get() as { n: number }).n).toBeGreaterThan(0);
    expect(ensureAnswers(db)).toBe(false);
    db.close();
  });
});
