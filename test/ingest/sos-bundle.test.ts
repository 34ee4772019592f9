import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { listSources } from '../../core/api/queries/sources.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { readManifest } from '../lab/manifest.js';

/**
 * Two sos reports (fixtures/bundles/sos-two-nodes: real commands in sos's names, made by the lab
 * with LAB_SOS=1; kubectl synthesized, listed in lab-truth/*.SYNTHESIZED.txt), ingested as dropped:
 * the folder, and the same tree as a .tar.gz.
 */
const DIR = 'fixtures/bundles/sos-two-nodes';
const NODES = ['aks-nodepool1-38164255-vmss000002', 'aks-nodepool1-38164255-vmss000003'];
const manifests = NODES.map((n) => readManifest(`fixtures/bundles/lab-truth/${n}.MANIFEST.json`));

async function ingest(input: string): Promise<CaseDb> {
  const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-sos-')), 'c.db'));
  const res = await ingestPaths(db, [input]);
  expect(res.filter((r) => r.status === 'failed')).toEqual([]);
  return db;
}

describe.each([
  ['as a folder', async () => ingest(DIR)],
  ['as a .tar.gz', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'podcap-sos-tgz-')), 'sos-two-nodes.tar.gz');
    await tar.c({ gzip: true, file, cwd: 'fixtures/bundles' }, ['sos-two-nodes']);
    return ingest(file);
  }],
])('two sos reports %s', (_how, open) => {
  let db: CaseDb;
  beforeAll(async () => {
    db = await open();
  });

  it('recognises every file, each in its node (from the report\'s hostname file), sos_commands names or not', () => {
    const src = listSources(db);
    expect(src.filter((s) => s.kind === 'unknown').map((s) => s.path)).toEqual([]);
    const kinds = (node: string) => Object.fromEntries(src.filter((s) => s.node === node).map((s) => [s.path.replace(/^.*sosreport-[^/]+\//, ''), s.kind]));
    expect(kinds(NODES[0]!)).toMatchObject({
      hostname: 'nodename', 'captures/tcpdump-any.pcap': 'pcap', 'sos_commands/conntrack/conntrack_-L_-o_extended': 'conntrack',
      'sos_commands/firewall_tables/iptables-save': 'iptables', 'sos_commands/networking/ip_-d_address': 'iplink', 'sos_commands/networking/ip_-o_addr': 'iplink',
      'sos_commands/networking/ip_-s_-d_link': 'iplink', 'sos_commands/networking/ip_route_show_table_all': 'iproute', 'sos_commands/networking/ip_netns': 'iproute',
      'sos_commands/networking/ss_-peaonmi': 'netstat', 'sos_commands/kubernetes/kubectl_get_pods_-A_-o_wide': 'kubectl',
    });
    expect(new Set(src.map((s) => s.node))).toEqual(new Set(NODES));
  });

  it('correlates each pod to its IP, host veth and ifindex, and node', () => {
    const ids = listCorrelations(db);
    for (const m of manifests) {
      for (const p of m.pods) {
        expect(ids.find((i) => i.pod === p.name && i.ip === p.ip), p.name).toMatchObject({ namespace: p.namespace, node: m.node.name, veth: p.veth, ifindex: p.veth_ifindex });
      }
    }
  });

  it('reads the captures: each scenario\'s connections, attributed to the pods', () => {
    const flows = [...iterateFlows(db, { proto: 'tcp' })];
    for (const m of manifests) {
      for (const c of m.expect.connections.filter((x) => x.proto === 'tcp')) {
        const n = flows.filter((f) => f.orig_ip === c.orig_ip && f.resp_ip === c.resp_ip && f.resp_port === c.resp_port && f.state === c.state && (f.nat_peer === null || f.orig_ip !== m.node.ip)).length;
        expect(n, `${m.node.name}: ${c.orig_ip} → ${c.resp_ip}:${c.resp_port} ${c.state}`).toBe(c.count);
      }
    }
  });

  it('finds exactly what the two scenarios did: the REJECT of node 2, the refused and aborting server, the blocked kubelet of node 3', () => {
    expect(listFindings(db).map((f) => f.id).sort()).toEqual(['kubelet-blocked', 'node-reset:198.51.100.30:8081', 'peer-abort:203.0.113.10:8443', 'refused:203.0.113.10:9443']);
  });
});

describe('two sos reports with one kind of file taken out', () => {
  const files = [
    'hostname', 'sos_commands/host/hostname', 'captures/tcpdump-any.pcap', 'sos_commands/networking/ip_-d_address', 'sos_commands/networking/ip_-o_addr',
    'sos_commands/networking/ip_-s_-d_link', 'sos_commands/networking/namespaces', 'sos_commands/networking/ss_-peaonmi', 'sos_commands/conntrack/conntrack_-L_-o_extended',
    'sos_commands/kubernetes/kubectl_get_pods_-A_-o_wide', 'sos_commands/kubernetes/kubectl_get_nodes_-o_wide',
  ];
  it.each(files)('without %s: nothing wrong is claimed (every pod fact left is the truth)', async (gone) => {
    const tmp = mkdtempSync(join(tmpdir(), 'podcap-sos-less-'));
    cpSync(DIR, join(tmp, 'b'), { recursive: true });
    for (const r of readdirSync(join(tmp, 'b'))) rmSync(join(tmp, 'b', r, gone), { recursive: true, force: true });
    const db = await ingest(join(tmp, 'b'));
    const truth = new Map(manifests.flatMap((m) => m.pods.map((p) => [p.name, { ...p, node: m.node.name }] as const)));
    for (const i of listCorrelations(db).filter((x) => x.pod && truth.has(x.pod))) {
      const t = truth.get(i.pod!)!;
      if (i.ip !== null) expect(i.ip, i.pod!).toBe(t.ip);
      if (i.node !== null) expect(i.node, i.pod!).toBe(t.node);
      if (i.veth !== null) expect(i.veth, i.pod!).toBe(t.veth);
      if (i.ifindex !== null) expect(i.ifindex, i.pod!).toBe(t.veth_ifindex);
    }
    // The node folders keep their names while any file names them (hostname, or kubectl agreeing with addresses/pods).
    expect(listSources(db).every((s) => s.node === null || NODES.includes(s.node))).toBe(true);
  });
});
