import { mkdtempSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { storeRollups } from '../../core/analysis/rollups/rollups.js';
import { computeFanout, listFanout } from '../../core/analysis/fanout/fanout.js';
import { computeFindings, listFindings } from '../../core/analysis/findings/findings.js';
import { THRESHOLDS } from '../../core/analysis/thresholds.js';
import { computePorts, listPorts } from '../../core/analysis/snat/ports.js';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { iterateRst } from '../../core/api/queries/rst.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { readManifest, type Manifest } from './manifest.js';

/**
 * Each lab bundle was produced from real traffic between namespaces (fixtures/lab/README.md);
 * its MANIFEST is the ground truth. podcap must reproduce it exactly from the bundle's files.
 */
const bundles = [
  { name: 'rst-mix (folder)', input: 'fixtures/lab/bundles/rst-mix', manifest: readManifest('fixtures/lab/bundles/rst-mix/MANIFEST.json') },
  ...['rst-mix', 'snat-fanout', 'idle-reset', 'kubelet-blocked'].map((n) => ({
    name: `${n}.tar.gz`, input: `fixtures/lab/bundles/${n}.tar.gz`, manifest: manifestFromTar(`fixtures/lab/bundles/${n}.tar.gz`),
  })),
];

/** Reads <scenario>/MANIFEST.json out of a bundle tarball (ustar: 512-byte headers, sizes in octal). */
function manifestFromTar(path: string): Manifest {
  const tar = gunzipSync(readFileSync(path));
  for (let o = 0; o + 512 <= tar.length; ) {
    const name = tar.subarray(o, o + 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = tar.subarray(o + 345, o + 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(tar.subarray(o + 124, o + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const full = prefix ? `${prefix}/${name}` : name;
    if (full.endsWith('MANIFEST.json')) return JSON.parse(tar.subarray(o + 512, o + 512 + size).toString('utf8')) as Manifest;
    if (!name) break;
    o += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no MANIFEST.json in ${path}`);
}

/**
 * Every finding each scenario must raise, by id: a finding that fires on a bundle without its
 * problem fails here like a missed one (fixtures/lab/README.md says what each scenario does).
 */
const EXPECTED_FINDINGS: Record<string, string[]> = {
  // the node's FORWARD REJECT for :8081, the server's SO_LINGER-0 aborts, its closed port
  'rst-mix': ['node-reset:198.51.100.30:8081', 'peer-abort:203.0.113.10:8443', 'refused:203.0.113.10:9443'],
  // 60 single-request connections from checkout: no reuse; 18 ports at most per destination is no SNAT pressure
  'snat-fanout': ['no-reuse:shop/checkout-6f8c9d7b5-q2w7x'],
  // the router's resets after 5 s idle, in the names of both servers
  'idle-reset': ['idle-reset:198.51.100.30', 'idle-reset:203.0.113.20'],
  'kubelet-blocked': ['kubelet-blocked'],
};

for (const b of bundles) {
  describe(`lab bundle ${b.name}`, () => {
    let db: CaseDb;
    let m: Manifest;
    beforeAll(async () => {
      m = b.manifest;
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
      const expectedTotal = m.expect.connections.filter((c) => m.pods.some((p) => p.ip === c.orig_ip)).reduce((a, c) => a + c.count, 0);
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

    it('names the top fan-out pod with its connections and destinations', () => {
      const top = m.expect.fanout_top;
      if (!top) return;
      const row = listFanout(db).find((f) => f.evidence === 'pcap');
      expect(row).toMatchObject({ who: top.pod, netns: String(top.netns_inode), connections: top.connections, destinations: top.destinations, public_destinations: top.public_destinations });
    });

    it('counts the SNAT ports per destination', () => {
      const want = (m.expect.snat ?? []).map((x) => `${x.snat_ip} ${x.dst_ip}:${x.dst_port} ${x.distinct_src_ports}`).sort();
      const got = listPorts(db).map((p) => `${p.snat_ip} ${p.dst_ip}:${p.dst_port} ${p.distinct_src_ports}`).sort();
      expect(got).toEqual(want);
    });

    it('raises the findings the scenario calls for', () => {
      const f = listFindings(db);
      const kb = m.expect.kubelet_blocked as { attempts: { src_ip: string; src_pod: string | null; attempts: number }[] } | undefined;
      if (kb) {
        const k = f.find((x) => x.rule === 'kubelet-port-blocked');
        expect(k).toBeDefined();
        expect(k!.evidence.some((e) => e.lines?.length)).toBe(true); // the iptables DROP line
        const attempts = kb.attempts.reduce((a, x) => a + x.attempts, 0);
        expect(k!.detail).toContain(`${attempts} connection attempts to :10250`);
        for (const a of kb.attempts) expect(k!.detail).toContain(a.src_pod ?? a.src_ip);
      }
      if (m.scenario === 'snat-fanout') expect(f.find((x) => x.rule === 'no-connection-reuse')?.title).toContain(m.expect.fanout_top!.pod);
      const node = m.expect.rsts.find((r) => r.verdict === 'node');
      if (node) expect(f.find((x) => x.rule === 'node-reject-reset')?.detail).toContain('REJECT --reject-with tcp-reset');
    });

    it('raises exactly the findings of the problems the scenario has, and no other', () => {
      // One finding per cause; its subjects (one per destination, pod or endpoint) inside it.
      const findings = listFindings(db);
      expect(findings.flatMap((x) => (x.affected.length ? x.affected.map((a) => a.id) : [x.id])).sort()).toEqual([...EXPECTED_FINDINGS[m.scenario]].sort());
      expect(new Set(findings.map((x) => x.rule)).size).toBe(findings.length);
    });

    it('reports SNAT pressure from ports held against the allocation, and only there', () => {
      // With 32 ports per destination instead of 1,024, a destination holding more than half of them is pressure.
      const snat = computeFindings(db, {}, { ...THRESHOLDS, snatAllocation: 32 }).filter((f) => f.rule === 'snat-utilization');
      const held = (m.expect.snat ?? []).filter((x) => x.distinct_src_ports / 32 >= THRESHOLDS.snatUtilizationWarn);
      expect(snat.map((f) => f.id).sort()).toEqual(held.map((x) => `snat-utilization:${x.snat_ip}:${x.dst_ip}:${x.dst_port}`).sort());
      if (m.scenario === 'snat-fanout') {
        expect(snat).toHaveLength(1); // 18 ports to 203.0.113.10:443; 15 to the others stay under half
        expect(snat[0]!.detail).toMatch(/held up to 18 of 32 ports .* 240 s after a FIN/);
      }
    });

    it('answers the same from the minute rollups as from the flows, for the case and for whole minutes of it', () => {
      const span = db.prepare('SELECT min(start_us) AS a, max(end_us) AS b FROM flows').get() as { a: number; b: number };
      const m0 = Math.floor(span.a / 60e6);
      const m1 = Math.floor(span.b / 60e6);
      const windows = [{}, { fromUs: m0 * 60e6, toUs: (m1 + 1) * 60e6 - 1 }, { fromUs: m0 * 60e6, toUs: (m0 + 1) * 60e6 - 1 }, { fromUs: m1 * 60e6, toUs: (m1 + 1) * 60e6 - 1 }];
      const answer = (exactMax: number) => windows.map((w) => ({ fanout: computeFanout(db, { ...w, limit: 1000 }, exactMax), ports: computePorts(db, { ...w, limit: 1000 }, exactMax) }));
      const exact = answer(Infinity);
      expect(exact[0].fanout.length).toBeGreaterThan(0);
      db.transaction(() => storeRollups(db))();
      expect(answer(0)).toEqual(exact);
    });
  });
}
