import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ifindexFromCaptures } from '../../core/correlate/capture-ifindex.js';
import { conventionalVethNames } from '../../core/correlate/cni-names.js';
import { correlate } from '../../core/correlate/resolve.js';
import type { CaptureFact, FactInput } from '../../core/correlate/types.js';
import { parseIpLink } from '../../core/formats/iplink/index.js';
import { parseKubectl } from '../../core/formats/kubectl/index.js';
import { findShimAncestor, parsePstree } from '../../core/formats/pstree/index.js';

/** One member of a corpus bundle (fixtures/corpus/bundles), by the end of its path. */
function member(bundle: string, suffix: RegExp): { path: string; text: string } {
  const tar = gunzipSync(readFileSync(`fixtures/corpus/bundles/${bundle}.tar.gz`));
  for (let o = 0; o + 512 <= tar.length; ) {
    const name = tar.subarray(o, o + 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.subarray(o + 124, o + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (suffix.test(name)) return { path: name, text: tar.subarray(o + 512, o + 512 + size).toString('utf8') };
    o += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${bundle}: no member ${suffix}`);
}
const truthOf = (bundle: string) => JSON.parse(member(bundle, /truth\.json$/).text) as { pods: { name: string; namespace: string; sandbox_id: string; pids: { app: number } }[] };
const ctx = (source: string) => ({ source, baseTimeUs: 0 });

describe('process trees', () => {
  it('reads the sandbox id pstree glued to -id when it cut the shim line (real pstree -aps, no terminal)', () => {
    const t = truthOf('calico-shim');
    const f = member('calico-shim', /pstree_-aps_\d+\.txt$/);
    const recs = parsePstree(f.text, ctx(f.path)).records;
    expect(f.text).toMatch(/-id[0-9a-f]{20}/); // the space is gone: "-idc1a24…"
    const app = recs.find((r) => r.name === 'python3' && !r.isThread)!;
    const shim = findShimAncestor(recs, app.pid)!;
    expect(shim.idTruncated).toBe(true);
    expect(t.pods.filter((p) => p.sandbox_id.startsWith(shim.id!))).toHaveLength(1);
  });

  it("names the pod from CRI-O conmon's -n k8s_<container>_<pod>_<namespace>_<uid>_<attempt>", () => {
    const t = truthOf('cilium-crio');
    const f = member('cilium-crio', /11-pstree-1\.txt$/);
    const recs = parsePstree(f.text, ctx(f.path)).records;
    const app = recs.find((r) => r.name === 'python3' && !r.isThread)!;
    const shim = findShimAncestor(recs, app.pid)!;
    expect([shim.name, shim.podNamespace, shim.podName]).toEqual(['conmon', t.pods[0]!.namespace, t.pods[0]!.name]);
  });
});

describe('interface index from -i any captures', () => {
  const fact = (ip: string, ifindexes: number[]): CaptureFact => ({ ip, group: 'n', node: null, ifindexes, flows: 3, source: 'any.pcap' });
  const owner = (pods: Record<string, string>) => (ip: string) => pods[ip] ?? null;

  it('settles pod-to-pod flows by elimination, ignores non-pod addresses, and leaves an unresolvable pod open', () => {
    const pods = { '10.22.0.11': 'a/x', '10.22.0.18': 'a/y', '10.22.0.25': 'a/z' };
    const facts = [
      fact('10.22.0.11', [3, 9]), // to the outside through cni0 (9)
      fact('10.22.0.18', [4, 9]),
      fact('10.22.0.25', [3, 5]), // only ever talked to x: its veth and x's
      fact('fe80::1', [5]), // a neighbour's link-local address on z's veth
    ];
    const got = (notVeth: (g: string | null, i: number) => boolean) =>
      Object.fromEntries([...ifindexFromCaptures(facts, owner(pods), notVeth).values()].map((v) => [v.fact.ip, v.ifindex]));
    // x's flows all crossed 3 and 9, and either could be a bridge: x stays open
    expect(got(() => false)).toEqual({ '10.22.0.18': 4, '10.22.0.25': 5 });
    // once the node's listing says 9 is a bridge, x is 3
    expect(got((_g, i) => i === 9)).toEqual({ '10.22.0.11': 3, '10.22.0.18': 4, '10.22.0.25': 5 });
  });

  it('gives nothing when two pods only ever talked to each other', () => {
    const got = ifindexFromCaptures([fact('10.0.0.1', [3, 4]), fact('10.0.0.2', [3, 4])], owner({ '10.0.0.1': 'a/x', '10.0.0.2': 'a/y' }), () => false);
    expect(got.size).toBe(0);
  });
});

describe('strength of evidence', () => {
  const links = (text: string, source: string, group: string): FactInput[] =>
    parseIpLink(text, ctx(source)).records.map((r) => ({ kind: 'iplink', record: r, source, sourceId: 1, node: null, group }));
  const kubectl = (text: string): FactInput[] => parseKubectl(text, ctx('k/pods.txt')).records.map((r) => ({ kind: 'kubectl', record: r, source: 'k/pods.txt', sourceId: 2, node: null, group: 'k' }));
  const pods = kubectl(`NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
shop        cart   1/1     Running   0          4h    10.60.1.18   node-a   <none>           <none>
`);
  const [calico] = conventionalVethNames('shop', 'cart');
  const nodeLinks = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
7: ${calico}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns cni-1111
8: cali0000000000a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns cni-2222
`;
  const podAddr = `2: eth0@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 82:a9:a2:8b:b4:e3 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 10.60.1.18/32 scope global eth0
       valid_lft forever preferred_lft forever
`;

  it('takes the CNI naming rule alone as weak evidence', () => {
    const r = correlate([...pods, ...links(nodeLinks, 'n/ip-link.txt', 'n')]);
    const id = r.identities.find((i) => i.pod === 'cart')!;
    expect([id.veth, id.ifindex]).toEqual([calico, 7]);
    expect(id.evidence.find((e) => e.link.includes('naming') || e.strength === 'naming')?.strength).toBe('naming');
  });

  it('lets the pod\'s own eth0@ifN override the naming rule, and reports the disagreement', () => {
    const r = correlate([...pods, ...links(nodeLinks, 'n/ip-link.txt', 'n'), ...links(podAddr, 'n/pods/cart/ip-addr.txt', 'n')]);
    const id = r.identities.find((i) => i.pod === 'cart')!;
    expect([id.veth, id.ifindex, id.node]).toEqual(['cali0000000000a', 8, 'node-a']);
    expect(r.notes.filter((n) => n.code === 'CORRELATE_CONFLICT').map((n) => n.message)).toEqual([
      expect.stringMatching(/naming evidence says host ifindex 7 .*kept 8 from direct evidence/),
    ]);
  });

  it('names a folder as a node only from content', () => {
    const nodes = kubectl(`NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION         CONTAINER-RUNTIME
node-a   Ready    <none>   9d    v1.29.4   10.128.0.23   <none>        Ubuntu 22.04.4 LTS   6.1.0-18-cloud-amd64   containerd://1.7.15
`);
    const uplink = `2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether a2:5e:9a:9b:0e:08 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 10.128.0.23/24 scope global eth0
       valid_lft forever preferred_lft forever
`;
    const r = correlate([...nodes, ...links(uplink, 'proc-net/ip-addr.txt', 'proc-net'), ...links(nodeLinks, '_groundtruth/links.txt', '_groundtruth')]);
    const g = Object.fromEntries(r.groupNodes.map((x) => [x.group, x.node]));
    expect(g['proc-net']).toBe('node-a');
    expect(g._groundtruth).toBeNull();
    // a hostname file: the short name of a node kubectl lists by FQDN, or a name kubectl does not know
    const host = (name: string, group: string): FactInput => ({ kind: 'nodename', record: { name, via: 'hostname', line: 1 }, source: `${group}/hostname`, sourceId: 9, node: null, group });
    const kn = kubectl(`NAME                    STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION         CONTAINER-RUNTIME
worker-3.lab.internal   Ready    <none>   9d    v1.29.4   10.10.3.13    <none>        Ubuntu 22.04.4 LTS   6.1.0-18-cloud-amd64   containerd://1.7.15
`);
    const r2 = correlate([...kn, host('worker-3', 'dump1'), host('edge-9', 'dump2')]);
    expect(Object.fromEntries(r2.groupNodes.map((x) => [x.group, x.node]))).toMatchObject({ dump1: 'worker-3.lab.internal', dump2: 'edge-9' });
  });

  it("reports a pod whose own files sit on another node than kubectl's NODE, keeping kubectl's", () => {
    const nodes = kubectl(`NAME     STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION         CONTAINER-RUNTIME
node-a   Ready    <none>   9d    v1.29.4   10.128.0.23   <none>        Ubuntu 22.04.4 LTS   6.1.0-18-cloud-amd64   containerd://1.7.15
node-b   Ready    <none>   9d    v1.29.4   10.128.0.24   <none>        Ubuntu 22.04.4 LTS   6.1.0-18-cloud-amd64   containerd://1.7.15
`);
    const uplinkA = `2: eth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether a2:5e:9a:9b:0e:08 brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 10.128.0.23/24 scope global eth0
       valid_lft forever preferred_lft forever
`;
    const r = correlate([...pods, ...nodes, ...links(uplinkA, 'x/ip-addr.txt', 'x'), ...links(nodeLinks, 'x/ip-link.txt', 'x'), ...links(podAddr, 'x/pods/cart/ip-addr.txt', 'x')]);
    expect(r.identities.find((i) => i.pod === 'cart')!.node).toBe('node-a');
    expect(r.notes.filter((n) => /kubectl says node/.test(n.message))).toEqual([]);
    const rb = correlate([...kubectl(`NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
shop        cart   1/1     Running   0          4h    10.60.1.18   node-b   <none>           <none>
`), ...nodes, ...links(uplinkA, 'x/ip-addr.txt', 'x'), ...links(nodeLinks, 'x/ip-link.txt', 'x'), ...links(podAddr, 'x/pods/cart/ip-addr.txt', 'x')]);
    expect(rb.identities.find((i) => i.pod === 'cart')!.node).toBe('node-b');
    expect(rb.notes.map((n) => n.message)).toContainEqual(expect.stringMatching(/kubectl says node node-b, but its files sit in folder x, which is node node-a/));
  });
});

describe('pod-side listings pasted under a RHEL prompt', () => {
  it('reads `[root@host ~]# nsenter -t PID -n ip addr` sections as ip text, each with its nsenter PID (was taken for JSON)', async () => {
    const { sniffIpLink } = await import('../../core/formats/iplink/sniff.js');
    const f = member('azure-sos', /nsenter_pods_ip_addr$/);
    expect(f.text.startsWith('[root@')).toBe(true);
    expect(sniffIpLink(f.text.slice(0, 4096), f.path)).toBeGreaterThan(0.9);
    const r = parseIpLink(f.text, ctx(f.path));
    expect(r.diagnostics).toEqual([]);
    const pids = [...f.text.matchAll(/nsenter -t (\d+)/g)].map((m) => Number(m[1]));
    expect(r.records.map((x) => (x.type === 'interface' ? [x.name, x.nsenterPid] : null))).toEqual(pids.map((p) => ['eth0', p]));
  });
});

describe("the node's own name", () => {
  it('reads hostname files (claimed only by name) and the host of kubelet journal lines', async () => {
    const { nodeNameFormat } = await import('../../core/formats/nodename/index.js');
    const h = member('calico-shim', /\/hostname$/);
    expect(nodeNameFormat.sniff(h.text, h.path)).toBeGreaterThan(0.5);
    expect(nodeNameFormat.sniff(h.text, 'notes.txt')).toBe(0); // a lone word elsewhere says nothing
    expect(nodeNameFormat.parse(h.text, ctx(h.path)).records).toEqual([{ name: 'gke-prod-pool-7f3a9c1e-x2lk', via: 'hostname', line: 1 }]);
    const k = member('cilium-shim-netns', /kubelet\.log$/);
    expect(nodeNameFormat.sniff(k.text, 'k.log')).toBeGreaterThan(0.5);
    expect(nodeNameFormat.parse(k.text, ctx(k.path)).records.map((r) => [r.name, r.via])).toEqual([['worker-3.lab.internal', 'kubelet-log']]);
    expect(nodeNameFormat.parse('not a host!\n', ctx('hostname')).diagnostics.map((d) => d.code)).toEqual(['TEXT_MALFORMED_LINE']);
  });
});
