import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlFormat, parseKubectl, sniffKubectl } from '../../core/formats/kubectl/index.js';
import type { KubeEndpoint, KubePod, KubeService } from '../../core/formats/kubectl/types.js';
import { readYamlDocuments } from '../../core/formats/node-text/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';
import { SAMPLES, cutEnd, read } from './node-tools-fixtures.js';

/** Real kubectl outputs from public posts (fixtures/samples/SOURCES.md, kubectl/). */
const K = (f: string) => join(SAMPLES, 'kubectl', f);
const parse = (text: string) => parseKubectl(text, { source: 'k.txt' });

describe('kubectl describe pod', () => {
  it('reads name, namespace, node and host IP, IPs, status, start time, labels and containers with their ids', () => {
    const { records, diagnostics } = parse(read(K('pradeepgadde_kubectl_describe_pods_nginx.txt')));
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([{
      type: 'pod', name: 'nginx', namespace: 'default', node: 'k8s-m02', hostIP: '192.168.177.28', ip: '10.244.1.6', podIPs: ['10.244.1.6'],
      status: 'Running', startTime: 'Fri, 04 Feb 2022 07:13:50 +0530', startTimeUs: Date.UTC(2022, 1, 4, 1, 43, 50) * 1000,
      labels: { 'new-label': 'awesome', run: 'nginx' }, line: 1,
      containerIds: ['32bfdccc6c984f51a4c4092e4027ff7f1e53dd518938196c95d5427a44a90e40'],
      containers: [{ name: 'nginx', id: '32bfdccc6c984f51a4c4092e4027ff7f1e53dd518938196c95d5427a44a90e40', runtime: 'docker', ready: true, restartCount: 0 }],
    } satisfies KubePod]);
    expect(sniffKubectl(read(K('pradeepgadde_kubectl_describe_pods_nginx.txt')), 'x')).toBe(0.9);
  });

  it('reads several pods in one file, a pending pod without IP or container id, and a service', () => {
    const one = read(K('pradeepgadde_kubectl_describe_pods_nginx.txt'));
    const pending = one.replace('Name:         nginx', 'Name:         web-0').replace(/^IP:.*\nIPs:\n {2}IP:.*\n/m, 'IP:           \n')
      .replace(/Container ID:.*$/m, 'Container ID:   ').replace('Node:         k8s-m02/192.168.177.28', 'Node:         <none>');
    const pods = parse(`${one}\n${pending}`).records as KubePod[];
    expect(pods.map((p) => [p.name, p.line, p.ip ?? null, p.node ?? null, p.containerIds?.length ?? 0])).toEqual([['nginx', 1, '10.244.1.6', 'k8s-m02', 1], ['web-0', one.split('\n').length + 1, null, null, 0]]);
    const svc = ['Name:              kube-dns', 'Namespace:         kube-system', 'Labels:            k8s-app=kube-dns', 'Selector:          k8s-app=kube-dns',
      'Type:              ClusterIP', 'IP Family Policy:  SingleStack', 'IP:                10.0.0.10', 'IPs:               10.0.0.10', 'Port:              dns  53/UDP',
      'TargetPort:        53/UDP', 'Endpoints:         10.244.0.2:53', 'Port:              dns-tcp  53/TCP', 'TargetPort:        53/TCP', 'Endpoints:         10.244.0.2:53', ''].join('\n');
    expect(parse(svc).records).toEqual([{
      type: 'service', name: 'kube-dns', namespace: 'kube-system', serviceType: 'ClusterIP', clusterIp: '10.0.0.10', externalIps: [],
      ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }], selector: { 'k8s-app': 'kube-dns' }, line: 1,
    } satisfies KubeService]);
  });

  it('leaves a describe of other kinds (deployment) to no one, and reports a broken container id', () => {
    expect(sniffKubectl('Name:                   coredns\nNamespace:              kube-system\nReplicas:               2 desired\nStrategyType:           RollingUpdate\n', 'x')).toBe(0);
    const bad = read(K('pradeepgadde_kubectl_describe_pods_nginx.txt')).replace('docker://32bf', 'docker:32bf');
    expect(parse(bad).diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 15]]);
  });
});

describe('kubectl get endpoints / endpointslices', () => {
  it('reads the endpoints table, drops repeats and says what "+ N more..." left out', () => {
    const { records, diagnostics } = parse(read(K('inquisitivefrog_kubectl_get_endpoints_kube-dns.txt')));
    expect(records).toEqual([
      { type: 'endpoint', source: 'endpoints', service: 'kube-dns', ip: '10.1.0.20', port: 53, line: 2 },
      { type: 'endpoint', source: 'endpoints', service: 'kube-dns', ip: '10.1.0.21', port: 53, line: 2 },
    ] satisfies KubeEndpoint[]);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 2]]);
  });

  it('reads an endpointslice table (addresses × PORTS) with a NAMESPACE column', () => {
    const t = 'NAMESPACE   NAME        ADDRESSTYPE   PORTS       ENDPOINTS               AGE\nl4lab       web-6xk2p   IPv4          8080,8081   10.244.1.3,10.244.2.3   2m\n';
    expect((parse(t).records as KubeEndpoint[]).map((e) => [e.slice, e.namespace, e.ip, e.port])).toEqual([
      ['web-6xk2p', 'l4lab', '10.244.1.3', 8080], ['web-6xk2p', 'l4lab', '10.244.1.3', 8081], ['web-6xk2p', 'l4lab', '10.244.2.3', 8080], ['web-6xk2p', 'l4lab', '10.244.2.3', 8081],
    ]);
  });

  it('reads Endpoints and EndpointSlice -o yaml to the same pod ↔ IP ↔ node facts', () => {
    const ep = parse(read(K('doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml')));
    const sl = parse(read(K('doks-blog_kubectl_get_endpointslices_nginx-svc-t9zx4_-o_yaml__id45386094783.yaml')));
    expect(ep.diagnostics).toEqual([]);
    expect(sl.diagnostics).toEqual([]);
    const facts = (r: typeof ep) => (r.records as KubeEndpoint[]).map((e) => `${e.namespace}/${e.targetPod} ${e.ip}:${e.port} ${e.node} ${e.service}`).sort();
    expect(facts(ep)).toEqual([
      'endpoints/ep-test-5bb85d69d8-8p2v5 10.244.0.227:80 pool-t5ss0fagn-rxkuu nginx-svc',
      'endpoints/ep-test-5bb85d69d8-cf7c4 10.244.0.88:80 pool-t5ss0fagn-jeb47 nginx-svc',
      'endpoints/ep-test-5bb85d69d8-vfkl5 10.244.0.250:80 pool-t5ss0fagn-rxkuu nginx-svc',
    ]);
    expect(facts(sl)).toEqual(facts(ep));
    for (const f of ['doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml', 'doks-blog_kubectl_get_endpointslices_nginx-svc-t9zx4_-o_yaml__id45386094783.yaml']) {
      expect(detectTextFormat(read(K(f)), f)?.format).toBe(kubectlFormat);
    }
  });

  it('reads a YAML List (items at their own lines) and reports, with its line, where a cut YAML dump breaks', () => {
    const item = read(K('doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml')).trimEnd().replace(/^/gm, '  ').replace(/^ {2}apiVersion/, '- apiVersion');
    const list = `apiVersion: v1\nitems:\n${item}\nkind: List\n`;
    const whole = parse(list);
    expect(whole.records).toHaveLength(3);
    expect((whole.records[0] as KubeEndpoint).line).toBe(3);
    const cut = parse(`${cutEnd(list, 250)}\n    "unterminated\n`);
    expect(cut.diagnostics.map((d) => d.code)).toEqual(['TEXT_MALFORMED_LINE']);
  });
});

describe('the YAML subset kubectl prints', () => {
  it('reads block maps, sequences at their key\'s indent, quoted and plain scalars, block scalars and several documents', () => {
    const r = readYamlDocuments('a: 1\nb:\n- x: "q: \\"z\\""\n  y: \'it\'\'s\'\n- plain text\nc: |\n  l1\n\n  l2\nd: {}\ne: null\nurl: http://x:80/p\n---\nkind: Pod\n');
    expect(r.error).toBeUndefined();
    expect(r.documents.map((d) => d.value)).toEqual([
      { a: 1, b: [{ x: 'q: "z"', y: "it's" }, 'plain text'], c: 'l1\n\nl2\n', d: {}, e: null, url: 'http://x:80/p' },
      { kind: 'Pod' },
    ]);
    expect(readYamlDocuments('a:\n\tb: 1\n').error?.line).toBe(2);
  });

  it('reports hostile nesting and odd lines as diagnostics, never a thrown error', () => {
    const deep = Array.from({ length: 20000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(readYamlDocuments(deep).error?.message).toMatch(/nested deeper than 100/);
    const r = parseKubectl(`apiVersion: v1\nkind: Pod\nmetadata:\n${deep.replace(/^/gm, '  ')}\n`, { source: 'x.yaml' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TEXT_MALFORMED_LINE']);
    expect(() => parseKubectl('apiVersion: v1\nkind: Pod\nmetadata: {a: [1, 2\n  - "x\n', { source: 'x.yaml' })).not.toThrow();
  });
});
