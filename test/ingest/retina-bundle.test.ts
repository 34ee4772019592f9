import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { computeFanout } from '../../core/analysis/fanout/fanout.js';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { listDiagnostics, listSources } from '../../core/api/queries/sources.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { nodeFromRetinaName } from '../../core/ingest/archive/archive.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { readManifest } from '../lab/manifest.js';

/**
 * A Retina capture tarball as Retina writes it (one node: pcap, ip-resources.txt,
 * iptables-rules.txt, socket-stats.txt, proc-net/), made by the lab from real traffic
 * (fixtures/lab, LAB_RETINA=1), next to the kubectl listings support adds to it.
 */
const DIR = 'fixtures/lab/bundles/retina-rst-mix';
const NODE = 'aks-nodepool1-38164255-vmss000002';

describe('a Retina capture bundle', () => {
  let db: CaseDb;
  const m = readManifest(`${DIR}/MANIFEST.json`);
  beforeAll(async () => {
    db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-retina-')), 'c.db'));
    const res = await ingestPaths(db, [DIR]);
    expect(res.filter((r) => r.status === 'failed')).toEqual([]);
  });

  it('takes the node from the tarball name for every member, never from a folder inside it', () => {
    const inTar = listSources(db).filter((s) => s.path.includes('.tar.gz!/'));
    expect(inTar.length).toBeGreaterThan(15);
    expect(new Set(inTar.map((s) => s.node))).toEqual(new Set([NODE]));
  });

  it('reads each command section of the metadata files as its own source and kind', () => {
    const sec = listSources(db).filter((s) => /\.txt#\d/.test(s.path)).map((s) => [s.path.replace(/^.*!\//, ''), s.kind]);
    expect(sec).toEqual([
      ['ip-resources.txt#1 /usr/sbin/ip -d -j addr show', 'iplink'],
      ['ip-resources.txt#2 /usr/sbin/ip -d -j neighbor show', 'iproute'],
      ['ip-resources.txt#3 /usr/sbin/ip rule list', 'iproute'],
      ['ip-resources.txt#4 /usr/sbin/ip route show table all', 'iproute'],
      ['iptables-rules.txt#1 /usr/sbin/iptables-save', 'iptables'],
      ['iptables-rules.txt#2 /usr/sbin/iptables -vnx -L', 'iptables'],
      ['iptables-rules.txt#3 /usr/sbin/iptables -vnx -L -t nat', 'iptables'],
      ['iptables-rules.txt#4 /usr/sbin/iptables -vnx -L -t mangle', 'iptables'],
      ['socket-stats.txt#1 /usr/bin/ss -s', 'ss-summary'],
      ['socket-stats.txt#2 /usr/bin/ss -tapionume', 'netstat'],
    ]);
    // The ip neighbour/rule/route and ss -s sections are read whole: not one line of them is rejected.
    expect(listDiagnostics(db).filter((x) => /(ip-resources\.txt#[234]|socket-stats\.txt#1) /.test(x.path ?? ''))).toEqual([]);
  });

  it('correlates the pods and attributes their connections', () => {
    const ids = listCorrelations(db);
    for (const p of m.pods) expect(ids.find((i) => i.pod === p.name && i.ip === p.ip), p.name).toMatchObject({ namespace: p.namespace, node: NODE });
    const flows = [...iterateFlows(db, { proto: 'tcp' })];
    for (const c of m.expect.connections) {
      const n = flows.filter((f) => f.orig_ip === c.orig_ip && f.resp_ip === c.resp_ip && f.resp_port === c.resp_port && f.state === c.state && (f.nat_peer === null || f.orig_ip !== m.node.ip)).length;
      expect(n, `${c.orig_ip} → ${c.resp_ip}:${c.resp_port} ${c.state}`).toBe(c.count);
    }
    const top = computeFanout(db, {})[0];
    const want = m.expect.fanout_top!;
    expect(top).toMatchObject({ who: want.pod, connections: want.connections, destinations: want.destinations });
  });

  it('produces the scenario findings', () => {
    const ids = listFindings(db).map((f) => f.id);
    expect(ids).toContain('refused:203.0.113.10:9443');
    // The REJECT that answered 198.51.100.30:8081 is the node's own: found in iptables-rules.txt's iptables-save section.
    expect(ids).toContain('node-reset:198.51.100.30:8081');
    expect(ids).toContain('peer-abort:203.0.113.10:8443');
  });
});

describe('the node in a Retina capture name', () => {
  it.each([
    ['retina-capture-aks-nodepool1-38164255-vmss000002-20261204164749UTC.tar.gz', 'aks-nodepool1-38164255-vmss000002'],
    ['mycap-aks-agentpool-12345678-0-20240101000000UTC.pcap', 'aks-agentpool-12345678-0'],
    ['cap-ip-10-0-1-23.ec2.internal-20240101000000UTC.tar.gz', 'ip-10-0-1-23.ec2.internal'],
    ['test-kind-worker2-20240101000000UTC.tar.gz', 'kind-worker2'],
    ['debug-node-7-20240101000000UTC.tar.gz', 'node-7'],
    ['plain.tar.gz', null],
  ])('%s → %s', (name, node) => expect(nodeFromRetinaName(name)).toBe(node));
});
