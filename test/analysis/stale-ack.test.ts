import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { computeFindings } from '../../core/analysis/findings/findings.js';
import { computePorts } from '../../core/analysis/snat/ports.js';
import { MINUTE_US } from '../../core/analysis/cells/opener-cells.js';
import { snatCells, summarizeSnat, type SnatUse } from '../../core/analysis/cells/snat-cells.js';
import { isStaleAckReset } from '../../core/analysis/stale-ack.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

/**
 * The runbook's "SYN, then an ACK with a stale sequence number, then a RST" (a reused port whose
 * old connection is still held). tcp-reuse-stale-ack.pcap is that sequence from real kernels
 * (fixtures/captures/make-captures.sh, case_port_reuse); every other capture fixture says, in its
 * expect.json, whether it holds one.
 */
const dir = 'fixtures/captures';
const cases = readdirSync(dir).filter((f) => f.endsWith('.expect.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
    file: string;
    connections: { orig_port?: number; state: string; stale_ack?: boolean }[];
    snat?: { snat_ip: string; dst_ip: string; dst_port: number; distinct_src_ports: number; stale_ack_resets?: number }[];
  });

describe('stale ACK after a reused port', () => {
  it('has the real capture of it', () => expect(cases.some((c) => c.connections.some((x) => x.stale_ack))).toBe(true));

  for (const c of cases) {
    it(`${c.file}: ${c.connections.some((x) => x.stale_ack) ? 'reported, with the attempt as evidence' : 'not reported'}`, async () => {
      const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-stale-')), 'c.db'));
      await ingestPaths(db, [join(dir, c.file)]);
      const want = c.connections.filter((x) => x.stale_ack);
      const found = computeFindings(db).filter((f) => f.rule === 'port-reused-while-held');
      if (c.snat) {
        // Counted on the SNAT port's group too (the ports view's "stale-ACK resets").
        const ports = computePorts(db).map((p) => ({ snat_ip: p.snat_ip, dst_ip: p.dst_ip, dst_port: p.dst_port, distinct_src_ports: p.distinct_src_ports, stale_ack_resets: p.stale_ack_resets }));
        expect(ports).toEqual(c.snat.map((x) => ({ stale_ack_resets: 0, ...x })));
      }
      if (want.length === 0) {
        expect(found).toEqual([]);
        return;
      }
      const flows = [...iterateFlows(db)];
      const attempts = flows.filter((f) => isStaleAckReset(f.state, f.history));
      expect(attempts.map((f) => f.orig_port)).toEqual(want.map((x) => x.orig_port));
      // One attempt seen before and after NAT is counted once, on its post-NAT (SNAT port) half.
      const pre = new Set((db.prepare(`SELECT id FROM flows WHERE nat_side = 'pre'`).all() as { id: number }[]).map((r) => r.id));
      const bothHalves = (f: (typeof attempts)[number]) => attempts.some((g) => f.nat_peer !== null && g.orig_ip === f.nat_peer.orig_ip && g.orig_port === f.nat_peer.orig_port);
      const once = attempts.filter((f) => !(pre.has(f.id) && bothHalves(f)));
      expect(found).toHaveLength(1);
      expect(found[0].detail).toMatch(new RegExp(`^${once.length} connection attempt\\(s\\) from `));
      expect(found[0].evidence[0].flows).toEqual(once.map((f) => f.id));
      db.close();
    });
  }

  it('is counted per SNAT group in the minute it started, in a window and from the rollup alike', () => {
    const t0 = 1_764_000_000_000_000 - (1_764_000_000_000_000 % MINUTE_US);
    const u: SnatUse[] = [
      { port: 20443, startUs: t0 + 1e6, endUs: t0 + 2e6, ended: 'fin', podId: 1 },
      { port: 20443, startUs: t0 + 70e6, endUs: t0 + 70.1e6, ended: 'rst', podId: 1, staleAck: true },
      { port: 20443, startUs: t0 + 71e6, endUs: t0 + 72e6, ended: 'fin', podId: 1 },
    ];
    expect(summarizeSnat(snatCells(u)).staleAcks).toBe(1);
    const first = { fromUs: t0, toUs: t0 + MINUTE_US - 1 };
    const second = { fromUs: t0 + MINUTE_US, toUs: t0 + 2 * MINUTE_US - 1 };
    expect(summarizeSnat(snatCells(u, first), first).staleAcks).toBe(0);
    expect(summarizeSnat(snatCells(u, second), second).staleAcks).toBe(1);
    expect(summarizeSnat(snatCells(u).filter((c) => c.minute === t0 / MINUTE_US + 1), second).staleAcks).toBe(1);
  });
});
