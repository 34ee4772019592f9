import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../core/correlate/resolve.js';
import type { FactInput } from '../../core/correlate/types.js';
import { parseIpLink } from '../../core/formats/iplink/index.js';
import { parseKubectl } from '../../core/formats/kubectl/index.js';
import { parseRuntimeLog } from '../../core/formats/runtime-log/index.js';
import { SAMPLES, read } from '../formats/node-tools-fixtures.js';

const facts = (kind: string, records: unknown[], source: string, group: string | null): FactInput[] =>
  records.map((record, i) => ({ kind, record, source, sourceId: i, node: null, group }));
const runtime = (f: string, group: string | null) => {
  const path = join(SAMPLES, 'runtime-log', f);
  return facts('runtime-log', parseRuntimeLog(read(path), { source: f }).records, f, group);
};
const NODE = 'aks-nodepool1-59385832-vmss000000';
/** The note's own `ip addr` on that node (VijayRod/demo container-storage/logs/k8s-cni-azure.md), as printed. */
const HOST_VETH = `24: azvc440f455693@if23: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether aa:aa:aa:aa:aa:aa brd ff:ff:ff:ff:ff:ff link-netns cni-1770aa7f-262a-c2ad-1c19-0a376d016a78
    inet6 fe80::a8aa:aaff:feaa:aaaa/64 scope link
       valid_lft forever preferred_lft forever
`;

describe('runtime logs as an identity route', () => {
  it('ties pod ↔ sandbox ↔ containers ↔ IP ↔ netns ↔ host veth ↔ node from containerd, Azure CNI and the journal host', () => {
    const r = correlate([
      ...runtime('vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt', NODE),
      ...runtime('vijayrod-k8s-cni-azure_azure-vnet.log_grep_nginx.txt', NODE),
      ...facts('iplink', parseIpLink(HOST_VETH, { source: 'ip-addr' }).records, 'ip-addr', NODE),
    ]);
    expect(r.notes).toEqual([]);
    expect(r.groupNodes).toEqual([{ group: NODE, node: NODE, evidence: [expect.objectContaining({ link: `runtime journal lines come from host ${NODE}` })] }]);
    const ids = r.identities.filter((i) => i.pod === 'nginx');
    expect(ids.map((i) => [i.ip, i.namespace, i.node, i.veth, i.ifindex, i.sandboxIds, i.containerIds])).toEqual([[
      '10.224.0.24', 'default', NODE, 'azvc440f455693', 24, ['ee86fb8be61987b83e1da1338b09fc0a83dcd12f9754455e668b16dc98f20f48'], ['82d037df98acb953a319e50419b1da7079d9ba9159c6d25e58b79db8d86e4e2c'],
    ]]);
    const links = ids[0]!.evidence.map((e) => `${e.strength} ${e.link}`);
    expect(links).toContain('direct azure-vnet: CNI ADD gave pod nginx 10.224.0.24');
    expect(links).toContain("direct azure-vnet: CNI ADD: pod nginx's host veth is azvc440f455693 (ifindex 24)");
    expect(links).toContain('direct containerd: container 82d037df98acb (nginx) in sandbox ee86fb8be6198');
  });

  it('without the link listing, keeps the veth the CNI named (no ifindex) and the node from the journal of an ungrouped file', () => {
    const r = correlate([...runtime('vijayrod-k8s-cni-azure_azure-vnet.log_grep_nginx.txt', null), ...runtime('vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt', null)]);
    expect(r.identities.map((i) => [i.pod, i.ip, i.veth, i.ifindex, i.node])).toEqual([['nginx', '10.224.0.24', 'azvc440f455693', null, NODE]]);
  });

  it("ties a Calico pod to its IP and host veth from the kubelet journal's CNI lines", () => {
    const r = correlate(runtime('calico-kubeadm_journalctl_-u_kubelet__id5349490293.txt', 'node'));
    expect(r.identities.map((i) => [`${i.namespace}/${i.pod}`, i.ip, i.veth, i.node, i.sandboxIds.map((x) => x.slice(0, 12))])).toEqual([['demo/goapp', '172.16.243.245', 'calidc62b38edd0', 'ubuntu', ['6bd864a22f06']]]);
  });

  it('places the pods of two nodes by their own journals: sandbox and PLEG ids join, a died container id is not taken', () => {
    const r = correlate([
      ...runtime('aks-nodepool1_syslog_grep_multiple__id37790440579.txt', 'n1'),
      ...runtime('aks-np2_syslog_nginx_create_delete__id37087464978.txt', 'n2'),
    ]);
    expect(Object.fromEntries(r.groupNodes.map((g) => [g.group, g.node]))).toEqual({ n1: 'aks-nodepool1-23707431-vmss000000', n2: 'aks-np2-39852331-vmss000000' });
    expect(r.identities.map((i) => [i.pod, i.node, i.sandboxIds.map((x) => x.slice(0, 8)), i.containerIds.map((x) => x.slice(0, 8))])).toEqual([
      ['multiple', 'aks-nodepool1-23707431-vmss000000', ['9782e0cf'], ['24d55eab', 'ee80536b']],
      ['nginx', 'aks-np2-39852331-vmss000000', ['3cfe7b00'], ['c65a36d4']],
    ]);
  });
});

const kubectlSample = (f: string) => join(SAMPLES, 'kubectl', f);

describe('endpoints as an identity route', () => {
  const kube = (f: string, text = read(kubectlSample(f))) => facts('kubectl', parseKubectl(text, { source: f }).records, f, null);

  it('names the pod behind each address and its node, once per address (Endpoints and EndpointSlice agree)', () => {
    const r = correlate([...kube('doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml'), ...kube('doks-blog_kubectl_get_endpointslices_nginx-svc-t9zx4_-o_yaml__id45386094783.yaml')]);
    expect(r.notes).toEqual([]);
    expect(r.identities.map((i) => [`${i.namespace}/${i.pod}`, i.ip, i.node]).sort()).toEqual([
      ['endpoints/ep-test-5bb85d69d8-8p2v5', '10.244.0.227', 'pool-t5ss0fagn-rxkuu'],
      ['endpoints/ep-test-5bb85d69d8-cf7c4', '10.244.0.88', 'pool-t5ss0fagn-jeb47'],
      ['endpoints/ep-test-5bb85d69d8-vfkl5', '10.244.0.250', 'pool-t5ss0fagn-rxkuu'],
    ]);
    const e = r.identities.find((i) => i.ip === '10.244.0.88')!.evidence.map((x) => x.link);
    expect(e).toContain('kubectl endpoints: 10.244.0.88 of service nginx-svc is pod endpoints/ep-test-5bb85d69d8-cf7c4 on pool-t5ss0fagn-jeb47');
    expect(e).toContain('kubectl endpointslice: 10.244.0.88 of service nginx-svc is pod endpoints/ep-test-5bb85d69d8-cf7c4 on pool-t5ss0fagn-jeb47');
  });

  it("does not take a node's address as a pod's (hostNetwork endpoints), nor a table row without targetRef", () => {
    const nodes = kube('n', `NAME                   STATUS   ROLES    AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION   CONTAINER-RUNTIME
pool-t5ss0fagn-jeb47   Ready    <none>   9d    v1.29.4   10.244.0.88    <none>        Debian GNU/Linux 12  6.1.0-18-amd64   containerd://1.6.31
`);
    const r = correlate([...nodes, ...kube('doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml'), ...kube('inquisitivefrog_kubectl_get_endpoints_kube-dns.txt')]);
    expect(r.identities.filter((i) => i.kind === 'pod').map((i) => i.ip).sort()).toEqual(['10.244.0.227', '10.244.0.250']);
  });
});
