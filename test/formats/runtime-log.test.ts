import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeNameFormat } from '../../core/formats/nodename/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';
import { parseRuntimeLog, runtimeLogFormat, sniffRuntimeLog } from '../../core/formats/runtime-log/index.js';
import type { RuntimeLogRecord } from '../../core/formats/runtime-log/types.js';
import { SAMPLES, cutEnd, read } from './node-tools-fixtures.js';

/** Real AKS node logs from public notes (fixtures/samples/SOURCES.md, runtime-log/). */
const R = (f: string) => join(SAMPLES, 'runtime-log', f);
const parse = (text: string) => parseRuntimeLog(text, { source: 'x.log' });
const of = <T extends RuntimeLogRecord['type']>(recs: RuntimeLogRecord[], t: T) => recs.filter((r) => r.type === t) as Extract<RuntimeLogRecord, { type: T }>[];

describe('runtime-log reader (containerd, kubelet, CNI)', () => {
  it('reads containerd sandbox and container ids, the kubelet PLEG ids and the journal host (syslog grep, one pod)', () => {
    const { records, diagnostics } = parse(read(R('vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt')));
    expect(diagnostics).toEqual([]);
    expect(of(records, 'sandbox')).toEqual([{
      type: 'sandbox', pod: 'nginx', namespace: 'default', uid: '51a5ca8e-4e46-451b-bbac-525543a80861', line: 2,
      sandboxId: 'ee86fb8be61987b83e1da1338b09fc0a83dcd12f9754455e668b16dc98f20f48', tsUs: Date.UTC(2024, 7, 28, 9, 46, 32) * 1000 + 480291,
      host: 'aks-nodepool1-59385832-vmss000000',
    }]);
    // The CreateContainer request line (no "returns") is not a fact; its answer is.
    expect(of(records, 'container').map((c) => [c.line, c.name, c.containerId.slice(0, 12), c.sandboxId.slice(0, 12)])).toEqual([[5, 'nginx', '82d037df98ac', 'ee86fb8be619']]);
    expect(of(records, 'kubelet').map((k) => [k.line, k.event, `${k.namespace}/${k.pod}`, k.id?.slice(0, 12)])).toEqual([[3, 'PLEG ContainerStarted', 'default/nginx', 'ee86fb8be619']]);
    // systemd's line counts as no runtime line: 4 of the 5 lines name the host through a runtime.
    expect(of(records, 'host')).toEqual([{ type: 'host', name: 'aks-nodepool1-59385832-vmss000000', line: 2, lines: 4 }]);
  });

  it('reads a two-container pod: both containers to one sandbox, SyncLoop ADD and startup lines, and not the request-only RunPodSandbox line', () => {
    const { records } = parse(read(R('aks-nodepool1_syslog_grep_multiple__id37790440579.txt')));
    expect(of(records, 'sandbox').map((s) => [s.line, s.pod, s.sandboxId.slice(0, 12)])).toEqual([[9, 'multiple', '9782e0cf6742']]);
    expect(of(records, 'container').map((c) => [c.line, c.name, c.containerId.slice(0, 12)])).toEqual([[15, 'nginx', 'ee80536be282'], [17, 'busybox', '24d55eabe041']]);
    expect(of(records, 'kubelet').map((k) => [k.line, k.event, k.id?.slice(0, 12) ?? null])).toEqual([
      [1, 'SyncLoop ADD', null], [10, 'PLEG ContainerStarted', '9782e0cf6742'], [11, 'PLEG ContainerStarted', 'ee80536be282'],
      [12, 'PLEG ContainerStarted', '24d55eabe041'], [13, 'Observed pod startup duration', null],
    ]);
  });

  it('keeps no id from a ContainerDied event (the id may be gone), only the pod', () => {
    const { records } = parse(read(R('aks-np2_syslog_nginx_create_delete__id37087464978.txt')));
    const died = of(records, 'kubelet').filter((k) => k.event === 'PLEG ContainerDied');
    expect(died.map((k) => [k.line, k.id ?? null])).toEqual([[12, null], [13, null]]);
  });

  it('reads Azure CNI (azure-vnet.log): the ADD args, the endpoint it created (veth, netns, IP) and the addresses it gave', () => {
    const { records, diagnostics } = parse(read(R('vijayrod-k8s-cni-azure_azure-vnet.log_grep_nginx.txt')));
    expect(diagnostics).toEqual([]);
    const ns = '/var/run/netns/cni-1770aa7f-262a-c2ad-1c19-0a376d016a78';
    const sb = 'ee86fb8be61987b83e1da1338b09fc0a83dcd12f9754455e668b16dc98f20f48';
    expect(records).toEqual([
      { type: 'cni', op: 'ADD', plugin: 'azure-vnet', line: 23, ips: [], pod: 'nginx', namespace: 'default', sandboxId: sb, netns: ns },
      { type: 'cni', op: 'ADD', plugin: 'azure-vnet', line: 51, ips: ['10.224.0.24'], pod: 'nginx', namespace: 'default', sandboxId: sb, netns: ns, hostVeth: 'azvc440f455693' },
      { type: 'cni', op: 'ADD', plugin: 'azure-vnet', line: 53, ips: ['10.224.0.24'], pod: 'nginx' },
    ]);
  });

  it('reads Calico CNI lines in the kubelet journal: endpoint (pod, sandbox), the IPs it uses and the host veth; not the IPAM block address', () => {
    const { records, diagnostics } = parse(read(R('calico-kubeadm_journalctl_-u_kubelet__id5349490293.txt')));
    expect(diagnostics).toEqual([]);
    const sb = '6bd864a22f064096b6c4ae179768bdfa74fd87bdcefe3568e6e9b761e03e0632';
    const base = { type: 'cni', op: 'ADD', plugin: 'calico', sandboxId: sb, namespace: 'demo', pod: 'goapp', host: 'ubuntu' };
    expect(of(records, 'cni')).toEqual([
      { ...base, line: 3, ips: [] }, { ...base, line: 4, ips: ['172.16.243.245'] }, { ...base, line: 5, ips: [], hostVeth: 'calidc62b38edd0' },
    ]);
  });

  it('reads CRI-O (OpenShift: kubelet as kubenswrapper): the sandbox it ran, the container it started in it, the CNI ADD', () => {
    const { records, diagnostics } = parse(read(R('bugzooka_openshift_crio_kubenswrapper_journal.txt')));
    expect(diagnostics).toEqual([]);
    const host = 'ip-10-0-67-181';
    expect(records.filter((r) => r.type !== 'kubelet').map((r) => ({ ...r, tsUs: undefined }))).toEqual([
      { type: 'cni', op: 'ADD', plugin: 'multus-shim', namespace: 'node-density-0', pod: 'node-density-956', ips: [], line: 5, host, tsUs: undefined },
      { type: 'sandbox', pod: 'node-density-956', namespace: 'node-density-0', sandboxId: '337b3f3c6d63749cd0091d92e825729e9f818f74c626d58fe72978d0c2ea3320', line: 6, host, tsUs: undefined },
      { type: 'container', sandboxId: '337b3f3c6d63749cd0091d92e825729e9f818f74c626d58fe72978d0c2ea3320', name: 'node-density', containerId: '75ef25174d7d464246c9cb27d850db42604394b920e6f66b56a94ab3d9c5c983', line: 9, host, tsUs: undefined },
      { type: 'host', name: host, line: 1, lines: 14 },
    ]);
    expect(of(records, 'kubelet').map((k) => [k.line, k.event])).toEqual([[1, 'SyncLoop ADD'], [10, 'PLEG ContainerStarted'], [13, 'PLEG ContainerStarted'], [14, 'Observed pod startup duration']]);
  });

  it('is detected by content on every sample, and a kubelet-only journal stays the node-name format', () => {
    for (const f of ['bugzooka_openshift_crio_kubenswrapper_journal.txt', 'calico-kubeadm_journalctl_-u_kubelet__id5349490293.txt', 'vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt', 'vijayrod-k8s-cni-azure_azure-vnet.log_grep_nginx.txt', 'aks-np2_syslog_nginx_create_delete__id37087464978.txt']) {
      expect(detectTextFormat(read(R(f)), 'some-file')?.format.kind, f).toBe('runtime-log');
    }
    const kubeletOnly = read(R('aks-np2_syslog_nginx_create_delete__id37087464978.txt')).split('\n').filter((l) => / kubelet\[/.test(l)).join('\n');
    expect(sniffRuntimeLog(kubeletOnly, 'kubelet.log')).toBe(0);
    expect(detectTextFormat(kubeletOnly, 'kubelet.log')?.format).toBe(nodeNameFormat);
  });

  it('reports a RunPodSandbox answer it cannot read, with its line, and reads the rest', () => {
    const text = read(R('vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt')).replace('Namespace:default,', '');
    const { records, diagnostics } = parse(text);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 2]]);
    expect(of(records, 'container')).toHaveLength(1);
  });

  it('reads a cut log up to its last whole line, also a line at a time (lineByLine)', () => {
    const text = read(R('aks-nodepool1_syslog_grep_multiple__id37790440579.txt'));
    const cut = parse(cutEnd(text, 40));
    expect(of(cut.records, 'container').map((c) => c.name)).toEqual(['nginx']);
    expect(runtimeLogFormat.lineByLine).toBe(true);
    const whole = parse(text).records.filter((r) => r.type !== 'host');
    const byLine = text.split('\n').flatMap((l, i) => parse(l).records.filter((r) => r.type !== 'host').map((r) => ({ ...r, line: r.line + i })));
    expect(byLine).toEqual(whole);
  });

  it('reads every pod of one SyncLoop ADD', () => {
    const line = 'Nov 29 18:13:10 node-1 kubelet[2775]: I1129 18:13:10.314127    2775 kubelet.go:2433] "SyncLoop ADD" source="api" pods=["kube-system/kube-proxy-x","default/web-1"]';
    expect(of(parse(line).records, 'kubelet').map((k) => `${k.namespace}/${k.pod}`)).toEqual(['kube-system/kube-proxy-x', 'default/web-1']);
  });

  it('takes hostile pod names as data', () => {
    const line = `Nov 29 18:13:10 node-1 containerd[1]: time="2024-11-29T18:13:10Z" level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:x'); DROP TABLE pods;--,Uid:u,Namespace:default,Attempt:0,} returns sandbox id \\"${'a'.repeat(64)}\\""`;
    expect(of(parse(line).records, 'sandbox')[0]?.pod).toBe("x'); DROP TABLE pods;--");
  });
});
