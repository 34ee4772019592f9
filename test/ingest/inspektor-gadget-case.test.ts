import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { computeFanout } from '../../core/analysis/fanout/fanout.js';
import { listSources } from '../../core/api/queries/sources.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

const IG = 'fixtures/node-tools/inspektor-gadget';

/**
 * A folder of Inspektor Gadget dumps as support collects them (one folder per node), made of the
 * real outputs in fixtures/node-tools/inspektor-gadget: IG's own pod/namespace/node enrichment
 * must reach the identity graph and its connect events the fan-out.
 */
describe('a bundle of Inspektor Gadget dumps', () => {
  let db: CaseDb;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'podcap-ig-'));
    const bundle = join(root, 'bundle');
    for (const [node, files] of Object.entries({
      'minikube-docker': ['kubectl-gadget_run_trace_tcp_timestamp_cut.txt', 'kubectl-gadget_top_tcp_glued_header.txt', 'kubectl-gadget_run_snapshot_socket.txt'],
      minikube: ['kubectl-gadget_tcpconnect_pr348.txt', 'kubectl-gadget_trace_network.txt', 'kubectl-gadget_tcptracer_-o_json.txt'],
      docker: ['ig_run_tcprst-gadget_-o_jsonpretty.txt'],
    })) {
      mkdirSync(join(bundle, node), { recursive: true });
      for (const f of files) cpSync(join(IG, f), join(bundle, node, f));
    }
    db = openCase(join(root, 'c.db'));
    const res = await ingestPaths(db, [bundle]);
    expect(res.filter((r) => r.status === 'failed')).toEqual([]);
  });

  it('podcap sources lists every dump as inspektor-gadget, not tcptracer', () => {
    const kinds = listSources(db).map((s) => s.kind);
    expect(kinds).toHaveLength(7);
    expect(new Set(kinds)).toEqual(new Set(['inspektor-gadget']));
  });

  it('the pods IG named get their node, address and netns from IG alone', () => {
    const ids = listCorrelations(db);
    const pod = (ns: string, name: string) => ids.filter((i) => i.kind === 'pod' && i.namespace === ns && i.pod === name);
    expect(pod('default', 'bb').map((i) => [i.ip, i.node])).toEqual([['10.244.0.31', 'minikube-docker']]);
    expect(pod('default', 'mypod').map((i) => [i.ip, i.node])).toEqual([['172.17.0.5', 'minikube']]);
    // top tcp printed the pod by name (p/default/test-pod:47228): the pod is known, its address is not.
    expect(pod('default', 'test-pod').map((i) => [i.ip, i.node])).toEqual([[null, 'minikube-docker']]);
    // snapshot socket only saw wildcard listeners: no address is invented.
    expect(pod('default', 'test-snapshot-socket').map((i) => i.ip)).toEqual([null]);
    expect(pod('default', 'bb')[0].evidence.some((e) => /inspektor-gadget: pod default\/bb uses 10\.244\.0\.31/.test(e.link) && e.line === 3)).toBe(true);
    // The runtime-only JSON (no pod) still names its netns, as tcptracer's loose namespaces do.
    expect(ids.some((i) => i.kind === 'netns' && i.netns_inode === 4026532284)).toBe(true);
  });

  it('connect events reach the fan-out under the pod IG named', () => {
    const f = computeFanout(db, {});
    const mypod = f.find((r) => r.who === 'default/mypod');
    expect(mypod).toMatchObject({ connections: 3, destinations: 1, public_destinations: 1, node: 'minikube', connections_from: 'inspektor-gadget', evidence: [{ source: 'inspektor-gadget', connections: 3 }], netns: null });
    expect(mypod!.top_destinations).toEqual([{ ip: '1.1.1.1', port: 80, connections: 2, public: true }, { ip: '1.1.1.1', port: 443, connections: 1, public: true }]);
    expect(f.find((r) => r.who === 'default/bb')).toMatchObject({ connections: 1, connections_from: 'inspektor-gadget', evidence: [{ source: 'inspektor-gadget', connections: 1 }] });
    // top tcp / snapshot socket rows are not connect events
    expect(f.find((r) => r.who === 'default/test-pod')).toBeUndefined();
  });
});
