import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlFormat, parsePorts, parseSelector } from '../../core/formats/kubectl/index.js';
import type { KubeEndpoint, KubeNode, KubePod, KubeService } from '../../core/formats/kubectl/index.js';
import { HAND, SAMPLES, codes, cutEnd, lineOf, parseFile, read } from './node-tools-fixtures.js';

const K = (f: string) => join(HAND, 'kubectl', f);
const parse = (text: string, baseTimeUs?: number) => kubectlFormat.parse(text, { source: 't', ...(baseTimeUs ? { baseTimeUs } : {}) });
const EVIL = '<img src=x onerror=alert(1)>';

describe('kubectl tables (printed by the real kubectl client)', () => {
  it('reads `get pods -A -o wide`: namespaces, <none>, restarts "5 (2m ago)", nominated node, hostile name', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_pods_-A_-o_wide.txt'));
    expect(r.diagnostics).toEqual([]);
    const pods = r.records as KubePod[];
    expect(pods).toHaveLength(7);
    expect(pods[0]).toEqual({
      type: 'pod', namespace: 'default', name: 'web-7d4b9c8f6d-abcde', ready: '1/1', status: 'Running', restarts: 0, age: '120m',
      ip: '10.244.0.12', podIPs: ['10.244.0.12'], node: 'aks-nodepool1-12345678-vmss000000', line: 2,
    });
    expect(pods[4]).toMatchObject({ name: 'batch-5f6d7c8b9a-crash', ready: '0/1', status: 'CrashLoopBackOff', restarts: 5, ip: '10.244.1.9' });
    expect(pods[5]).toMatchObject({ name: 'big-job-6c7d8e9f0a-pend1', status: 'ContainerCreating', nominatedNode: 'aks-nodepool1-12345678-vmss000001', podIPs: [] });
    expect(pods[5]!.ip).toBeUndefined();
    expect(pods[5]!.node).toBeUndefined();
    expect(pods[6]).toMatchObject({ name: EVIL, namespace: 'default', ip: '10.244.0.66', line: 8 });
  });

  it('reads `get pods -o wide` without a NAMESPACE column (namespace left unknown)', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_pods_-o_wide.txt'));
    expect(r.diagnostics).toEqual([]);
    const pods = r.records as KubePod[];
    expect(pods.map((p) => p.name)).toEqual(['web-7d4b9c8f6d-abcde', 'web-7d4b9c8f6d-fghij', 'batch-5f6d7c8b9a-crash', 'big-job-6c7d8e9f0a-pend1', EVIL]);
    expect(pods.every((p) => p.namespace === undefined)).toBe(true);
  });

  it('reads --show-labels', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_pods_-A_-o_wide_--show-labels.txt'));
    expect(r.diagnostics).toEqual([]);
    expect((r.records[0] as KubePod).labels).toEqual({ app: 'web', 'pod-template-hash': '7d4b9c8f6d' });
  });

  it('reads `get nodes -o wide` (OS-IMAGE with spaces, EXTERNAL-IP <none>)', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_nodes_-o_wide.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toEqual({
      type: 'node', name: 'aks-nodepool1-12345678-vmss000000', status: 'Ready', age: '40d', version: 'v1.30.4', internalIp: '10.240.0.4',
      osImage: 'Ubuntu 22.04.4 LTS', kernelVersion: '5.15.0-1071-azure', containerRuntime: 'containerd://1.7.20-1', line: 2,
    });
  });

  it('reads `get svc -A -o wide`: ports, node ports, LB IP, <pending>, headless, selector', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_svc_-A_-o_wide.txt'));
    expect(r.diagnostics).toEqual([]);
    const s = r.records as KubeService[];
    expect(s[1]).toEqual({
      type: 'service', namespace: 'kube-system', name: 'kube-dns', serviceType: 'ClusterIP', clusterIp: '10.0.0.10', externalIps: [],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], selector: { 'k8s-app': 'kube-dns' }, age: '40d', line: 3,
    });
    expect(s[2]).toMatchObject({ name: 'web', serviceType: 'LoadBalancer', externalIps: ['20.50.60.70'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] });
    expect(s[3]).toMatchObject({ name: 'web-headless', headless: true });
    expect(s[3]!.clusterIp).toBeUndefined();
    expect(s[4]).toMatchObject({ name: 'pending-lb', pending: true, externalIps: [] });
    expect(s[0]!.selector).toBeUndefined();
    const plain = parseFile(kubectlFormat, K('kubectl_get_svc.txt'));
    expect(plain.diagnostics).toEqual([]);
    expect((plain.records as KubeService[]).map((x) => [x.name, x.clusterIp, x.selector])).toEqual([
      ['kubernetes', '10.0.0.1', undefined],
      ['web', '10.0.45.12', undefined],
      ['web-headless', undefined, undefined],
      ['pending-lb', '10.0.77.3', undefined],
    ]);
  });

  it('anchors AGE to the base time', () => {
    const base = Date.parse('2026-11-21T12:00:00Z') * 1000;
    const r = parse(read(K('kubectl_get_pods_-A_-o_wide.txt')), base);
    expect((r.records[0] as KubePod).createdAtUs).toBe(base - 120 * 60 * 1e6);
    expect((r.records[2] as KubePod).createdAtUs).toBe(base - 30 * 86400 * 1e6);
    expect(codes(r.diagnostics)).toEqual(['TEXT_NO_DATE@-']);
  });
});

describe('kubectl -o json', () => {
  it('reads pods: all IPs, host IP, start time, container ids without the runtime prefix, uid', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_pods_-A_-o_json.json'));
    expect(r.diagnostics).toEqual([]);
    const pods = r.records as KubePod[];
    expect(pods).toHaveLength(7);
    expect(pods[0]).toMatchObject({
      namespace: 'default', name: 'web-7d4b9c8f6d-abcde', uid: '6b0f3c1e-5a4d-4e2f-9b8a-7c6d5e4f3a2b', ip: '10.244.0.12', podIPs: ['10.244.0.12', 'fd00:10:244::c'],
      hostIP: '10.240.0.4', node: 'aks-nodepool1-12345678-vmss000000', status: 'Running', startTime: '2026-11-21T10:00:00Z',
      startTimeUs: Date.parse('2026-11-21T10:00:00Z') * 1000, containerIds: ['3e025dd50a72d956c4f14881fbb5b1080c9275674e95fb67f965f6478a957d60'],
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
    });
    expect(lineOf(r.text, pods[0]!.line)).toBe('        {');
    expect(pods[0]!.containers).toEqual([{ name: 'web', id: '3e025dd50a72d956c4f14881fbb5b1080c9275674e95fb67f965f6478a957d60', runtime: 'containerd', ready: true, restartCount: 0 }]);
    expect(pods.find((p) => p.name === 'kube-proxy-8ktpm')).toMatchObject({ hostNetwork: true, ip: '10.240.0.4' });
    expect(pods.find((p) => p.name === 'big-job-6c7d8e9f0a-pend1')).toMatchObject({ status: 'Pending', podIPs: [], nominatedNode: 'aks-nodepool1-12345678-vmss000001' });
    expect(pods.find((p) => p.name === EVIL)).toMatchObject({ ip: '10.244.0.66' });
  });

  it('reads nodes: InternalIP, podCIDR(s)', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_nodes_-o_json.json'));
    expect(r.diagnostics).toEqual([]);
    expect((r.records as KubeNode[]).map((n) => [n.name, n.internalIp, n.externalIp, n.podCIDR, n.status])).toEqual([
      ['aks-nodepool1-12345678-vmss000000', '10.240.0.4', undefined, '10.244.0.0/24', 'Ready'],
      ['aks-nodepool1-12345678-vmss000001', '10.240.0.5', undefined, '10.244.1.0/24', 'Ready'],
    ]);
  });

  it('reads services: target ports, node ports, LB ingress, headless, no selector', () => {
    const r = parseFile(kubectlFormat, K('kubectl_get_svc_-A_-o_json.json'));
    expect(r.diagnostics).toEqual([]);
    const s = r.records as KubeService[];
    expect(s.find((x) => x.name === 'web')).toMatchObject({
      namespace: 'default', serviceType: 'LoadBalancer', clusterIp: '10.0.45.12', clusterIps: ['10.0.45.12'], externalIps: ['20.50.60.70'],
      ports: [{ port: 80, protocol: 'TCP', nodePort: 30080, name: 'http', targetPort: 'http' }], selector: { app: 'web' },
    });
    expect(s.find((x) => x.name === 'web-headless')).toMatchObject({ headless: true });
    expect(s.find((x) => x.name === 'kubernetes')!.selector).toBeUndefined();
  });

  it('reads Endpoints (ready and not-ready addresses) and EndpointSlices to the same endpoints', () => {
    const ep = parseFile(kubectlFormat, K('kubectl_get_endpoints_-o_json.json'));
    expect(ep.diagnostics).toEqual([]);
    const eps = ep.records as KubeEndpoint[];
    expect(eps[0]).toEqual({
      type: 'endpoint', source: 'endpoints', service: 'web', namespace: 'default', ip: '10.244.0.12', port: 8080, portName: 'http', protocol: 'TCP', ready: true,
      targetPod: 'web-7d4b9c8f6d-abcde', targetPodUid: '6b0f3c1e-5a4d-4e2f-9b8a-7c6d5e4f3a2b', node: 'aks-nodepool1-12345678-vmss000000', line: 4,
    });
    expect(eps.map((e) => [e.service, e.ip, e.port, e.ready])).toEqual([
      ['web', '10.244.0.12', 8080, true],
      ['web', '10.244.1.7', 8080, true],
      ['web', '10.244.1.9', 8080, false],
      ['kubernetes', '10.240.0.10', 6443, true],
    ]);
    const slices = parseFile(kubectlFormat, K('kubectl_get_endpointslices_-o_json.json'));
    expect(slices.diagnostics).toEqual([]);
    const key = (e: KubeEndpoint) => [e.service, e.namespace, e.ip, e.port, e.ready, e.targetPod, e.node];
    expect((slices.records as KubeEndpoint[]).map(key)).toEqual(eps.filter((e) => e.service === 'web').map(key));
    expect(slices.records[0]).toMatchObject({ source: 'endpointslice', slice: 'web-x7k2p' });
  });

  it('reads a single object and a raw API list whose items carry no kind', () => {
    const one = parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: EVIL, namespace: 'x' }, status: { podIP: '10.1.2.3' } }));
    expect(one.records).toEqual([{ type: 'pod', name: EVIL, namespace: 'x', ip: '10.1.2.3', podIPs: ['10.1.2.3'], line: 1 }]);
    const raw = parse(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', items: [{ metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.4' }] } }] }));
    expect(raw.records).toEqual([{ type: 'node', name: 'n1', internalIp: '10.0.0.4', line: 1 }]);
  });
});

describe('kubectl: damaged and masked input', () => {
  it('reports garbage rows with their line numbers', () => {
    const lines = read(K('kubectl_get_svc_-A_-o_wide.txt')).split('\n');
    lines.splice(2, 0, 'this line is not a service row');
    lines.splice(5, 0, 'default       bad            ClusterIP      10.0.0.9     <none>        eighty/TCP      40d   <none>');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3', 'TEXT_MALFORMED_LINE@6']);
    expect(r.records).toHaveLength(5);
  });

  it('reports a cut last row as truncated and salvages a cut JSON list', () => {
    const r = parse(cutEnd(read(K('kubectl_get_nodes_-o_wide.txt')), 60));
    expect(r.records).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 3]]);
    const json = read(K('kubectl_get_pods_-A_-o_json.json'));
    const cut = parse(json.slice(0, json.indexOf('"coredns-76f75df574-x2x9k"')));
    expect((cut.records as KubePod[]).map((p) => p.name)).toEqual(['web-7d4b9c8f6d-abcde', 'web-7d4b9c8f6d-fghij']);
    expect(cut.diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
  });

  it('flags masked IPs (10.x.x.x) without dropping the row', () => {
    const text = 'NAME                     READY   STATUS    RESTARTS   AGE   IP          NODE     NOMINATED NODE   READINESS GATES\nweb-1                    1/1     Running   0          2d    10.x.x.x    node-1   <none>           <none>\n';
    const r = parse(text);
    expect(codes(r.diagnostics)).toEqual(['TEXT_MASKED_VALUE@2']);
    expect(r.records[0]).toMatchObject({ name: 'web-1', ip: '10.x.x.x', masked: ['ip'] });
  });

  it('sniffs markdown that quotes kubectl output low, and reads its fences as embedded examples', () => {
    const md = read(join(SAMPLES, 'ebpf/inspektor-gadget/old_snapshot_socket.md'));
    expect(kubectlFormat.sniff(md.slice(0, 65536), 'old_snapshot_socket.md')).toBe(0.3);
    const r = kubectlFormat.parse(md, { source: 'md' });
    expect(r.diagnostics).toEqual([]);
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.every((x) => x.embedded === true)).toBe(true);
  });

  it('parses PORT(S) and SELECTOR cells', () => {
    expect(parsePorts('80:30080/TCP,443/TCP,53/UDP')).toEqual([
      { port: 80, nodePort: 30080, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ]);
    expect(parsePorts('<none>')).toEqual([]);
    expect(typeof parsePorts('http/TCP')).toBe('string');
    expect(parseSelector('app=web,tier=<img>')).toEqual({ app: 'web', tier: '<img>' });
  });
});
