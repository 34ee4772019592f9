/**
 * A bounded run of the fuzz harness (test/fuzz/harness.ts) in every `npm test`: seeded mutations of
 * real fixtures and archives built from them must each end with a result, no throw, no hang.
 * `npm run fuzz` runs the same harness for as many cases as asked.
 */
import { describe, expect, it } from 'vitest';
import { fuzz, loadSeeds, makeCase, mutate, rng } from './harness.js';

describe('fuzz (bounded run)', () => {
  it('the same seed makes the same cases', () => {
    const seeds = loadSeeds();
    expect(seeds.length).toBeGreaterThan(30);
    const a = makeCase(seeds, rng(7), 0);
    const b = makeCase(seeds, rng(7), 0);
    expect(a.name).toBe(b.name);
    expect(Buffer.compare(a.files[0].bytes, b.files[0].bytes)).toBe(0);
    expect(Buffer.compare(mutate(seeds[0].bytes, rng(1)), seeds[0].bytes)).not.toBe(0);
  });

  it('40 mutated captures, dumps and archives: every ingest settles, none throws', async () => {
    const report = await fuzz({ seed: 20261204, cases: 40, timeoutMs: 15_000 });
    expect(report.tried).toBe(40);
    expect(report.crashes).toEqual([]);
    expect(report.hangs).toEqual([]);
  }, 120_000);
});
