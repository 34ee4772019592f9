import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCorrelations } from '../../core/api/correlate.js';
import { iterateFlows } from '../../core/api/flows.js';
import { iterateRst } from '../../core/api/rst.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { readManifest, type Manifest } from './manifest.js';

/**
 * Each lab bundle was produced from real traffic between namespaces (fixtures/lab/README.md);
 * its MANIFEST is the ground truth. podcap must reproduce it exactly from the bundle's files.
 */
const bundles = [{ name: 'rst-mix', input: 'fixtures/lab/bundles/rst-mix', manifest: 'fixtures/lab/bundles/rst-mix/MANIFEST.json' }];

for (const b of bundles) {
  describe(`lab bundle ${b.name}`, () => {
    let db: CaseDb;
    let m: Manifest;
    beforeAll(async () => {
      m = readManifest(b.manifest);
      db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-lab-')), 'c.db'));
      const res = await ingestPaths(db, [b.input]);
      expect(res.filter((r) => r.status === 'failed')).toEqual([]);
    });

    it('correlates every pod to its IP, netns, veth, ifindex, containers and node', () => {
      const ids = listCorrelations(db);
      for (const p of m.pods) {
        const row = ids.find((i) => i.ip === p.ip && i.pod === p.name);
        expect(row, `${p.namespace}/${p.name}`).toBeDefined();
        expect(row).toMatchObject({ namespace: p.namespace, netns_inode: p.netns_inode, veth: p.veth, ifindex: p.veth_ifindex, node: p.node });
        // crictl prints 13-character prefixes of the full ids in the MANIFEST
        for (const full of p.container_ids) expect(row!.container_ids.some((id) => full.startsWith(id) && id.length >= 12), full).toBe(true);
        expect(row!.evidence.length).toBeGreaterThan(3);
      }
    });

    it('finds every connection with the state the scenario produced', () => {
      const flows = [...iterateFlows(db, { proto: 'tcp' })];
      for (const c of m.expect.connections) {
        // one connection = its pre-NAT half when it was translated
        const n = flows.filter((f) => f.orig_ip === c.orig_ip && f.resp_ip === c.resp_ip && f.resp_port === c.resp_port && f.state === c.state
          && (f.nat_peer === null || f.orig_ip !== m.node.ip)).length;
        expect(n, `${c.orig_ip} → ${c.resp_ip}:${c.resp_port} ${c.state}`).toBe(c.count);
        if (c.pod) expect(flows.find((f) => f.orig_ip === c.orig_ip)?.orig_pod).toBe(c.pod);
      }
      const expectedTotal = m.expect.connections.reduce((a, c) => a + c.count, 0);
      const podSide = flows.filter((f) => m.pods.some((p) => p.ip === f.orig_ip));
      expect(podSide.length).toBe(expectedTotal);
    });

    it('names the sender, role and verdict of every RST, once per RST', () => {
      const rsts = [...iterateRst(db)];
      const key = (x: { sender_ip: string; sender_port: number | null; receiver_ip: string; sender_role: string; verdict: string; sender_pod: string | null }) =>
        [x.sender_ip, x.sender_port ?? '*', x.receiver_ip, x.sender_role, x.verdict, x.sender_pod ?? '-'].join(' ');
      const ours = new Map<string, number>();
      for (const r of rsts) {
        const exp = m.expect.rsts.find((e) => e.sender_ip === r.sender_ip && e.receiver_ip === r.receiver_ip && (e.sender_port === null || e.sender_port === r.sender_port));
        const k = key({ ...r, sender_port: exp?.sender_port === null ? null : r.sender_port });
        ours.set(k, (ours.get(k) ?? 0) + 1);
      }
      const expected = new Map(m.expect.rsts.map((e) => [key(e), e.count]));
      expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(expected));
    });
  });
}
