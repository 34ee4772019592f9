import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openerCells, rstCounts } from '../../core/analysis/rollups/cells.js';
import { planWindow, windowStepUs } from '../../core/analysis/rollups/window-plan.js';
import { compareSides } from '../../core/analysis/compare/compare.js';
import { computeFanout } from '../../core/analysis/fanout/fanout.js';
import { computeFindings } from '../../core/analysis/findings/findings.js';
import { computePorts } from '../../core/analysis/snat/ports.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { buildSyntheticCase, T0_US } from '../../scripts/synthetic-case.js';

/**
 * Time-windowed answers on a case spanning half an hour (synthetic flows written through the
 * real CaseWriter and index phase): from the minute rollups they must equal what the window's
 * own flows give, and an unaligned window over many flows is widened to whole minutes.
 */
describe('windowed fan-out and SNAT ports over minute rollups', () => {
  let db: CaseDb;
  const min = (m: number) => T0_US + m * 60e6;
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'podcap-windows-')), 'c.db');
    await buildSyntheticCase(path, 30_000);
    db = openCase(path, { readonly: true });
  }, 60_000);

  it('gives the same answer from the rollups as from the flows for whole-minute windows', () => {
    for (const [a, b] of [[0, 30], [10, 20], [3, 4], [27, 29]]) {
      const w = { fromUs: min(a), toUs: min(b) - 1 };
      const rolled = { fanout: computeFanout(db, { ...w, limit: 300 }, 0), ports: computePorts(db, { ...w, limit: 300 }, 0) };
      const exact = { fanout: computeFanout(db, { ...w, limit: 300 }, Infinity), ports: computePorts(db, { ...w, limit: 300 }, Infinity) };
      expect(exact.fanout.length, `minutes ${a}-${b}`).toBeGreaterThan(10);
      expect(exact.ports.length).toBeGreaterThan(10);
      expect(rolled, `minutes ${a}-${b}`).toEqual(exact);
      // Connections per destination (compare's destinations), from the destination rollup.
      const totals = (exactMax: number) => {
        const cells = openerCells(db, planWindow(db, w, exactMax));
        return new Map([...cells.destTotals()].map(([id, n]) => [`${cells.dest(id).ip}:${cells.dest(id).port}`, n]));
      };
      const perDest = totals(Infinity);
      expect(perDest.size).toBeGreaterThan(50);
      expect(totals(0)).toEqual(perDest);
      // RSTs by verdict and sender (compare's RST rates), from the RST rollup.
      const rsts = rstCounts(db, planWindow(db, w, Infinity));
      expect([...rsts.values()].reduce((x, y) => x + y, 0)).toBe((db.prepare('SELECT count(*) AS n FROM rst_events WHERE ts_us >= ? AND ts_us <= ?').get(w.fromUs, w.toUs) as { n: number }).n);
      expect(rstCounts(db, planWindow(db, w, 0))).toEqual(rsts);
    }
  });

  it('widens windows to whole minutes on a case of many flows, and answers exactly on a small one', () => {
    const w = { fromUs: min(10) + 12_345_678, toUs: min(20) + 7_000_000 };
    // 30,000 flows: over the default limit.
    expect(planWindow(db, w)).toEqual({ mode: 'minutes', fromUs: min(10), toUs: min(21) - 1 });
    expect(planWindow(db, w, 100_000)).toEqual({ mode: 'exact', ...w });
    const widened = { fromUs: min(10), toUs: min(21) - 1 };
    expect(computeFanout(db, { ...w, limit: 100 })).toEqual(computeFanout(db, { ...widened, limit: 100 }, Infinity));
    expect(computePorts(db, { ...w, limit: 100 })).toEqual(computePorts(db, { ...widened, limit: 100 }, Infinity));
    // The whole case comes from the rollups once they exist.
    expect(planWindow(db, {}).mode).toBe('minutes');
    expect(windowStepUs(db)).toBe(60e6);
  });

  it('compares two windows: connection rates per pod, destinations, SNAT ports and findings', () => {
    const a = { fromUs: min(0), toUs: min(10) - 1 };
    const b = { fromUs: min(10), toUs: min(20) - 1 };
    const rows = compareSides({ db, window: a }, { db, window: b });
    const top = computeFanout(db, { ...a, limit: 1 }, Infinity)[0];
    const rate = rows.find((r) => r.section === 'connection_rate' && r.key === top.who)!;
    // Rates are per minute of the window.
    expect(rate.before).toBeCloseTo(top.connections / 10, 3);
    expect(rate.after).toBeCloseTo(computeFanout(db, { ...b, limit: 300 }, Infinity).find((f) => f.who === top.who)!.connections / 10, 3);
    const ports = rows.filter((r) => r.section === 'snat_ports');
    const busiest = computePorts(db, { ...b, limit: 1 }, Infinity)[0];
    expect(ports.find((r) => r.key === `${busiest.snat_ip} → ${busiest.dst_ip}:${busiest.dst_port}`)?.after).toBe(busiest.distinct_src_ports);
    // Same destinations in both windows: none new or gone.
    expect(rows.filter((r) => r.section === 'destinations')).toEqual([]);
    // Findings raised in one window and not the other, by title.
    const titles = (w: typeof a) => new Map(computeFindings(db, w).map((f) => [f.id, f.title]));
    const [fa, fb] = [titles(a), titles(b)];
    const changed = [...[...fa].filter(([id]) => !fb.has(id)).map(([, t]) => `gone ${t}`), ...[...fb].filter(([id]) => !fa.has(id)).map(([, t]) => `new ${t}`)];
    expect(rows.filter((r) => r.section === 'findings').map((r) => `${r.change} ${r.key}`).sort()).toEqual(changed.sort());
    // Every RST of the window is in a rate (per minute, by verdict and sender).
    const rsts = (db.prepare('SELECT count(*) AS n FROM rst_events WHERE ts_us >= ? AND ts_us <= ?').get(b.fromUs, b.toUs) as { n: number }).n;
    const sum = rows.filter((r) => r.section === 'rst_rate').reduce((n, r) => n + Number(r.after ?? 0), 0);
    expect(sum * 10).toBeCloseTo(rsts, 0);
  });
});
