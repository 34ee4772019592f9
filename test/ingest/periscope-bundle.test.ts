import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { listSources } from '../../core/api/queries/sources.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { periscopeZipNode } from '../../core/ingest/archive/archive.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { nodeFromPath } from '../../core/ingest/walk.js';
import { buildZip } from '../helpers/zip.js';
import { readManifest } from '../lab/manifest.js';

/**
 * An AKS Periscope tree (fixtures/bundles/periscope-aks: `<run id>/<node>/collector/<collector>/…`)
 * assembled from real AKS node logs of two nodes (fixtures/samples/SOURCES.md, runtime-log/).
 */
const ROOT = 'fixtures/bundles/periscope-aks';
const RUN = `${ROOT}/2024-11-29T18-40-00Z`;
const A = 'aks-nodepool1-59385832-vmss000000';
const B = 'aks-nodepool1-23707431-vmss000000';

async function ingest(inputs: string[]): Promise<CaseDb> {
  const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-periscope-')), 'c.db'));
  const res = await ingestPaths(db, inputs);
  expect(res.filter((r) => r.status === 'failed')).toEqual([]);
  return db;
}
const pods = (db: CaseDb) => listCorrelations(db).filter((i) => i.pod).map((i) => ({ pod: `${i.namespace}/${i.pod}`, ip: i.ip, node: i.node, veth: i.veth, containers: i.container_ids }));

describe('an AKS Periscope tree', () => {
  it.each([['the storage container (run folders inside)', ROOT], ['one run folder', RUN]])('ingests %s: every file read, each node from its own journal', async (_what, input) => {
    const db = await ingest([input]);
    const src = listSources(db);
    expect(src.map((s) => [s.path.slice(s.path.indexOf('aks-')), s.kind, s.node]).sort()).toEqual([
      [`${B}/collector/nodelogs/syslog`, 'runtime-log', B],
      [`${A}/collector/nodelogs/azure-vnet.log`, 'runtime-log', A],
      [`${A}/collector/nodelogs/syslog`, 'runtime-log', A],
    ].sort());
    expect(pods(db)).toEqual([
      { pod: 'default/nginx', ip: '10.224.0.24', node: A, veth: 'azvc440f455693', containers: ['82d037df98acb953a319e50419b1da7079d9ba9159c6d25e58b79db8d86e4e2c'] },
      { pod: 'default/multiple', ip: null, node: B, veth: null, containers: ['24d55eabe04151fa7766c73e00018c36e99e28faa35299cf8f7d01b5bcfd792c', 'ee80536be282db884ee5f5a7db9fbc9d2c4fad4ae80569175641377743b3716b'] },
    ]);
    // Runtime logs show who runs where, not traffic: nothing to find.
    expect(listFindings(db)).toEqual([]);
  });

  it('names a node by content, not by its folder: a folder named otherwise still holds node B', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'podcap-periscope-rename-'));
    cpSync(`${RUN}/${B}`, join(tmp, '2024-11-29T18-40-00Z', 'node-copy'), { recursive: true });
    const db = await ingest([tmp]);
    expect(new Set(listSources(db).map((s) => s.node))).toEqual(new Set([B]));
  });

  it("reads a node's Periscope zip (`<hostname>.zip` of `<collector>/<key>`) as that node's, and a kubeobjects describe in it", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'podcap-periscope-zip-'));
    const zip = join(tmp, `${B}.zip`);
    writeFileSync(zip, buildZip([
      { name: 'nodelogs/syslog', data: readFileSync(`${RUN}/${B}/collector/nodelogs/syslog`) },
      // a real `kubectl describe pods` (fixtures/samples, kubectl/): the kubeobjects collector's key is `<ns>_<type>_<name>`
      { name: 'kubeobjects/default_pod_nginx', data: readFileSync('fixtures/samples/node-tools/kubectl/pradeepgadde_kubectl_describe_pods_nginx.txt') },
    ]));
    const db = await ingest([zip]);
    expect(listSources(db).map((s) => [s.path.replace(/^.*!\//, ''), s.kind, s.node]).sort()).toEqual([
      ['kubeobjects/default_pod_nginx', 'kubectl', B], ['nodelogs/syslog', 'runtime-log', B],
    ]);
    expect(pods(db).map((p) => [p.pod, p.ip, p.node])).toEqual([['default/nginx', '10.244.1.6', 'k8s-m02'], ['default/multiple', null, B]]);
  });

  it('knows the layouts', () => {
    expect(nodeFromPath(`2024-11-29T18-40-00Z/${A}/collector/nodelogs/syslog`)).toBe(A);
    expect(nodeFromPath('2024-11-29T18-40-00Z/hostname')).toBe('2024-11-29T18-40-00Z');
    expect(periscopeZipNode(['iptables/iptables', 'kubeobjects/kube-system_pod_coredns-1'], `x/${A}.zip`)).toBe(A);
    expect(periscopeZipNode(['node-a/ip-addr.txt'], 'x/bundle.zip')).toBeNull();
    expect(periscopeZipNode(['iptables/iptables'], 'x/bundle.tar.gz')).toBeNull();
  });
});

describe('a Periscope tree from the lab (real traffic, real `iptables -t nat -L`, the node capture beside it)', () => {
  const LAB = 'fixtures/bundles/periscope-lab';
  const m = readManifest('fixtures/bundles/lab-truth/periscope-rst-mix.MANIFEST.json');

  it("reads every file, takes the node folder's name only because kubectl agrees (it lists that node, its pods' traffic is there), correlates the pods and finds what the scenario did", async () => {
    const db = await ingest([LAB]);
    expect(listSources(db).map((s) => [s.path.replace(`${LAB}/2026-12-08T01-49-09Z/`, ''), s.kind, s.node]).sort()).toEqual([
      [`${m.node.name}/collector/iptables/iptables`, 'iptables', m.node.name], [`${m.node.name}/tcpdump-any.pcap`, 'pcap', m.node.name],
      ['kubectl-get-nodes-o-wide.txt', 'kubectl', null], ['kubectl-get-pods-A-o-wide.txt', 'kubectl', null],
    ]);
    const ids = listCorrelations(db);
    for (const p of m.pods) expect(ids.find((i) => i.pod === p.name && i.ip === p.ip), p.name).toMatchObject({ namespace: p.namespace, node: m.node.name, ifindex: p.veth_ifindex });
    // Periscope's iptables is the nat table only: the node's REJECT is seen from the capture (a RST
    // on the pod side the uplink never carried), not from a rule.
    expect(listFindings(db).map((f) => f.id).sort()).toEqual(['node-reset:198.51.100.30:8081', 'peer-abort:203.0.113.10:8443', 'refused:203.0.113.10:9443']);
  });
});
