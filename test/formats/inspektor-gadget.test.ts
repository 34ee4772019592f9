import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspektorGadgetFormat, type IgRecord } from '../../core/formats/inspektor-gadget/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';
import { SAMPLES } from './node-tools-fixtures.js';

const DIR = 'fixtures/node-tools/inspektor-gadget';
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const parse = (text: string, source = 'test') => inspektorGadgetFormat.parse(text, { source });
const rows = (name: string): IgRecord[] => {
  const r = parse(read(name), name);
  expect(r.diagnostics, name).toEqual([]);
  return r.records;
};

describe('Inspektor Gadget fixtures (real outputs, fixtures/node-tools/inspektor-gadget/README.md)', () => {
  const files = readdirSync(DIR).filter((f) => f !== 'README.md');

  it('every fixture is detected as inspektor-gadget and read without diagnostics', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) {
      const text = read(f);
      expect(detectTextFormat(text.slice(0, 65536), f)?.format.kind, f).toBe('inspektor-gadget');
      expect(rows(f).length, f).toBeGreaterThan(0);
    }
  });

  it('trace tcp -A (built-in era): accept events of a hostNetwork pod with IPv4-mapped addresses', () => {
    expect(rows('kubectl-gadget_trace_tcp_-A_pr937.txt')).toEqual([3, 4].map((line, i) => ({
      gadget: 'trace_tcp', form: 'columns', event: 'accept', pid: 1633, comm: 'kube-apiserver', ipVersion: 6,
      saddr: '::ffff:172.28.128.4', daddr: '::ffff:172.28.128.1', sport: 6443, dport: [56834, 56836][i],
      k8s: { node: 'master', namespace: 'kube-system', pod: 'kube-apiserver-master', container: 'kube-apiserver' }, line,
    })));
  });

  it('tcpconnect: no SPORT column, rows are connects; the "Tracing connect" notice is not data', () => {
    const r = rows('kubectl-gadget_tcpconnect_pr348.txt');
    expect(r.map((x) => [x.gadget, x.event, x.pid, x.saddr, x.sport, x.daddr, x.dport])).toEqual([
      ['trace_tcpconnect', 'connect', 80344, '172.17.0.5', null, '1.1.1.1', 80],
      ['trace_tcpconnect', 'connect', 80344, '172.17.0.5', null, '1.1.1.1', 443],
      ['trace_tcpconnect', 'connect', 80438, '172.17.0.5', null, '1.1.1.1', 80],
    ]);
    expect(r[0].k8s).toEqual({ node: 'minikube', namespace: 'default', pod: 'mypod', container: 'mypod' });
  });

  it('run trace_tcp: a TIMESTAMP cut by IG is kept aside, never read as a time', () => {
    const [r] = rows('kubectl-gadget_run_trace_tcp_timestamp_cut.txt');
    expect(r).toMatchObject({ gadget: 'trace_tcp', event: 'connect', pid: 750625, tid: 750625, uid: 0, gid: 0, saddr: '10.244.0.31', sport: 60552, daddr: '172.67.196.142', dport: 443 });
    expect(r.tsUs).toBeUndefined();
    expect(r.truncated).toEqual({ timestamp: '2024-08-01T22:57:26.38…' });
  });

  it('the old trace tcp tables: p/ns/pod endpoints, o/ raw addresses, RUNTIME.CONTAINERNAME', () => {
    const read2 = (f: string) => parse(readFileSync(join(SAMPLES, 'ebpf/inspektor-gadget', f), 'utf8')).records;
    expect(read2('old_builtin_trace_tcp__block1.txt')[0]).toMatchObject({
      gadget: 'trace_tcp', event: 'connect', saddr: null, sport: 50192, srcK8s: { kind: 'pod', namespace: 'default', name: 'bb' }, daddr: '188.114.96.3', dport: 443,
      k8s: { node: 'minikube-docker', namespace: 'default', pod: 'bb', container: 'bb' },
    });
    expect(read2('old_builtin_trace_tcp__block2.txt')[0]).toMatchObject({ runtime: { containerName: 'test-trace-tcp' }, saddr: '172.17.0.2', sport: 46502, daddr: '93.184.216.34' });
    // `<>` is IG's "unknown pod": not a name.
    expect(read2('old_guides_tcptracer__block1.txt')[0].k8s).toEqual({ node: 'minikube' });
  });

  it('trace network: direction, protocol, the remote as an IP or a Kubernetes service', () => {
    const k = rows('kubectl-gadget_trace_network.txt');
    expect(k.map((x) => [x.direction, x.proto, x.dport, x.daddr, x.dstK8s])).toEqual([
      ['outgoing', 'udp', 53, null, { kind: 'service', namespace: 'kube-system', name: 'kube-dns' }],
      ['outgoing', 'tcp', 80, '1.1.1.1', undefined],
    ]);
    expect(k[0].k8s).toEqual({ node: 'minikube', namespace: 'demo', pod: 'shell' });
    expect(rows('ig_trace_network.txt').map((x) => [x.runtime?.containerName, x.daddr, x.dport])).toEqual([['demo', '192.168.67.1', 53], ['demo', '1.1.1.1', 80]]);
  });

  it('top tcp: human sizes, plain byte counts, a header whose cells ran together, a cut node name', () => {
    const glued = rows('kubectl-gadget_top_tcp_glued_header.txt');
    expect(glued.map((x) => [x.pid, x.sport, x.daddr, x.dport, x.sentBytes, x.recvBytes])).toEqual([
      [289548, 47228, '1.1.1.1', 443, 296, Math.round(15.49 * 1024)],
      [289540, 42604, '1.1.1.1', 80, 70, 381],
    ]);
    expect(glued[0].k8s).toEqual({ node: 'minikube-docker', namespace: 'default', pod: 'test-pod', container: 'test-pod' });
    const aks = rows('kubectl-gadget_run_top_tcp_truncated_node.txt');
    expect(aks[0]).toMatchObject({ gadget: 'top_tcp', pid: 3602459, sentBytes: 320, recvBytes: 42652, truncated: { node: 'aks-agentpo…' } });
    expect(aks[0].k8s).toEqual({ namespace: 'default', pod: 'mypod', container: 'mypod' });
    expect(rows('ig_top_tcp.txt')[0]).toMatchObject({ pid: 2177846, comm: 'nginx', saddr: '127.0.0.1', sport: 80, dport: 53130, sentBytes: 238, recvBytes: 73 });
    expect(rows('ig_run_top_tcp.txt')[1]).toMatchObject({ pid: 79499, saddr: '172.17.0.4', sport: 54254, daddr: '188.114.96.7', dport: 443, sentBytes: 320, recvBytes: 42655 });
  });

  it('snapshot socket: STATUS names and numeric kernel STATE, both read as LISTEN', () => {
    const old = rows('kubectl-gadget_snapshot_socket.txt');
    expect(old).toEqual([{
      gadget: 'snapshot_socket', form: 'columns', proto: 'tcp', state: 'LISTEN', saddr: '0.0.0.0', sport: 80, daddr: '0.0.0.0', dport: 0, pid: null, comm: '', ipVersion: 4,
      k8s: { node: 'minikube-docker', pod: 'nginx-app' }, truncated: { namespace: 'test-socketcollect…' }, line: 3,
    }]);
    expect(rows('kubectl-gadget_run_snapshot_socket.txt').map((x) => [x.state, x.saddr, x.sport, x.ipVersion])).toEqual([['LISTEN', '::', 80, 6], ['LISTEN', '0.0.0.0', 80, 4]]);
  });

  it('-o json, the same object through jq, and the image-based jsonpretty schema', () => {
    const flat = rows('kubectl-gadget_tcptracer_-o_json.txt');
    const pretty = rows('kubectl-gadget_tcptracer_-o_json_jq.txt');
    const want = { gadget: 'trace_tcp', form: 'json', event: 'connect', pid: 16734, comm: 'wget', ipVersion: 4, saddr: '172.17.0.3', sport: 35186, daddr: '188.114.97.3', dport: 443, k8s: { node: 'minikube' } };
    expect(flat).toEqual([{ ...want, line: 2 }]);
    expect(pretty).toEqual([{ ...want, line: 2 }]);
    const [rst] = rows('ig_run_tcprst-gadget_-o_jsonpretty.txt');
    expect(rst).toEqual({
      gadget: 'other', form: 'json', pid: 51818, tid: 51818, uid: 0, gid: 0, comm: 'python', ipVersion: 4, proto: 'tcp',
      saddr: '127.0.0.1', sport: 0, daddr: '127.0.0.1', dport: 8000, netns: 4026532284, mntns: 4026532279,
      runtime: { containerName: 'my-python', containerId: '0e7859b44b4e93d620108bda2c5103614fd6ff83a2798742f0ddd3fa3db3b3b7', runtimeName: 'docker' }, line: 3,
    });
  });
});

describe('Inspektor Gadget reader: damaged and hostile input', () => {
  const head = 'K8S.NODE   K8S.NAMESPACE K8S.PODNAME K8S.CONTAINERNAME T PID    COMM  IP SRC                DST';
  it('a row that does not fit is reported with its line; the others are kept', () => {
    const r = parse([head, 'n1         default       bb          bb                C 253124 wget  4  p/default/bb:50192 o/188.114.96.3:443', 'n1 default bb bb Q 1 wget 4 1.2.3.4:1 5.6.7.8:2', ''].join('\n'));
    expect(r.records).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.source])).toEqual([['TEXT_MALFORMED_LINE', 3, 'test']]);
    expect(r.diagnostics[0].message).toMatch(/"Q" is not a trace tcp event type/);
  });

  it('a dump cut mid-row says TEXT_TRUNCATED; a cut JSON object too', () => {
    expect(parse(`${head}\nn1 default bb bb C 1 wget 4 1.2.3.4:1 5.6`).diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
    const j = parse('{"node":"n","namespace":"d","pod":"p","container":"c","pid":1,"comm":"x","saddr":"1.2.3.4","daddr":"5.6');
    expect(j.records).toEqual([]);
    expect(j.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 1]]);
  });

  it('hostile names stay data: quotes, SQL and control characters come back verbatim', () => {
    const evil = `x'); DROP TABLE records;--\u0007`;
    const r = parse(JSON.stringify({ k8s: { node: 'n', namespace: 'ns', pod: evil, container: 'c' }, src: { addr: '10.0.0.1', port: 1 }, dst: { addr: '10.0.0.2', port: 2 }, type: 'connect', comm: evil, pid: 7 }));
    expect(r.records[0]).toMatchObject({ event: 'connect', comm: evil, k8s: { pod: evil } });
  });

  it('JSON that is not IG output is not claimed, and bcc tables stay tcptracer', () => {
    expect(inspektorGadgetFormat.sniff('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}\n', 'x.json')).toBe(0);
    const bcc = readFileSync(join(SAMPLES, 'ebpf/bcc/tcptracer_example__block1_default.txt'), 'utf8');
    expect(inspektorGadgetFormat.sniff(bcc, 'x')).toBe(0);
    expect(detectTextFormat(bcc, 'x')?.format.kind).toBe('tcptracer');
  });
});
