import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubbleFormat, type HubbleFlow } from '../../core/formats/hubble/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';

const DIR = 'fixtures/node-tools/hubble';
const BASE = Date.UTC(2024, 5, 1) * 1000; // a bundle time: compact lines carry no year
const read = (n: string) => readFileSync(join(DIR, n), 'utf8');
const flows = (n: string, baseTimeUs: number | undefined = BASE): HubbleFlow[] => {
  const r = hubbleFormat.parse(read(n), { source: n, baseTimeUs });
  expect(r.diagnostics, n).toEqual([]);
  return r.records;
};

describe('Hubble flows (real outputs, fixtures/node-tools/hubble/README.md)', () => {
  it('every fixture is detected as hubble', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'README.md');
    expect(files.length).toBe(10);
    for (const f of files) expect(detectTextFormat(read(f), f)?.format.kind, f).toBe('hubble');
  });

  it('compact: policy drops, their policy-verdict events and an L7 drop', () => {
    const r = flows('hubble_observe_--pod_deathstar_--verdict_DROPPED.txt');
    expect(r).toHaveLength(13);
    expect(r.filter((f) => f.verdict === 'DROPPED').map((f) => f.dropReason)).toEqual(['L7_POLICY_DENIED', ...Array(6).fill('POLICY_DENIED')]);
    expect(r[1]).toMatchObject({ verdict: 'DENIED', event: 'policy-verdict:none INGRESS', direction: 'ingress' });
    expect(r[2]).toEqual({
      time: 'Apr  5 21:03:18.803', tsUs: Date.UTC(2024, 3, 5, 21, 3, 18, 803) * 1000, verdict: 'DROPPED', dropReason: 'POLICY_DENIED', event: 'Policy denied', arrow: '<>',
      proto: 'tcp', tcpFlags: ['SYN'], summary: 'TCP Flags: SYN',
      src: { ip: null, port: 45706, namespace: 'default', pod: 'xwing', identity: 63406 },
      dst: { ip: null, port: 80, namespace: 'default', pod: 'deathstar-b4b8ccfb5-f75xw', identity: 6822 }, line: 3,
    });
  });

  it('compact: an address with a reserved identity, a prompt line, L7 FORWARDED with nested parentheses', () => {
    const [f] = flows('hubble_observe_-o_compact_ingress_identity.txt');
    expect(f).toMatchObject({ line: 2, src: { ip: '10.20.0.33', port: 53156, reserved: 'ingress' }, dst: { pod: 'grpc-c59b4f578-dqr55', namespace: 'shop-edge', port: 9090 }, dropReason: 'POLICY_DENIED' });
    const http = flows('hubble_observe_--pod_deathstar_--protocol_http.txt');
    expect(http[1]).toMatchObject({ verdict: 'FORWARDED', event: 'http-response', arrow: '<-', summary: 'HTTP/1.1 200 1ms (POST http://deathstar.default.svc.cluster.local/v1/request-landing)' });
    expect(flows('hubble_observe_to-endpoint_FORWARDED_udp.txt')[0]).toMatchObject({ verdict: 'FORWARDED', event: 'to-endpoint', proto: 'udp', dst: { port: 53 } });
  });

  it('without a bundle time, compact flows keep their printed time and say the year is unknown', () => {
    const r = hubbleFormat.parse(read('hubble_observe_to-endpoint_FORWARDED_udp.txt'), { source: 'x' });
    expect(r.records[0].tsUs).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TEXT_NO_DATE']);
  });

  it('JSON: the exporter log and a full -o json flow (identities, numeric drop reason, direction, cluster/node)', () => {
    const ex = flows('hubble_exporter_events.log');
    expect(ex.map((f) => [f.dropReason, f.proto, f.src.ip, f.dst.ip, f.src.pod ?? null, f.node])).toEqual([
      ['INVALID_SOURCE_IP', 'icmpv6', 'fe80::64d8:8aff:fe72:fc14', 'ff02::2', null, 'kind-worker'],
      ['POLICY_DENIED', 'tcp', '10.244.1.60', '10.244.1.5', 'xwing', 'kind-worker'],
    ]);
    expect(ex[1].tsUs).toBe(Date.UTC(2023, 7, 21, 12, 12, 18, 510) * 1000 + 175);
    const [k3d] = flows('hubble_observe_-o_json_k3d_policy_denied.json');
    expect(k3d).toMatchObject({
      verdict: 'DROPPED', dropReason: 'POLICY_DENIED', direction: 'egress', event: 'L3_L4', node: 'k3d-agent-zone-control-agent-0', tcpFlags: ['SYN'],
      src: { ip: '10.0.1.116', port: 38160, namespace: 'agent-restricted', pod: 'agent-probe', identity: 60176 },
      dst: { ip: '10.0.1.117', port: 8080, namespace: 'corp-prod', pod: 'corp-prod-target', identity: 10337 },
    });
  });

  it('damaged input: a cut JSON line and a foreign line are reported with their line numbers', () => {
    const lines = read('hubble_exporter_events.log').split('\n');
    const r = hubbleFormat.parse(`${lines[0]}\nnot a flow at all\n${lines[1].slice(0, 80)}`, { source: 'cut.log' });
    expect(r.records).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 2], ['TEXT_TRUNCATED', 3]]);
  });

  it('table (-o table, the old default): header row, sender first, drop reason in TYPE, ports with service names', () => {
    const base = Date.UTC(2020, 11, 20) * 1000;
    const t = (n: string) => flows(n, base);
    const mk = t('hubble_observe_table_minikube.txt');
    expect(mk).toHaveLength(5);
    expect(mk[3]).toEqual({
      time: 'Dec 14 07:52:13.653', tsUs: Date.UTC(2020, 11, 14, 7, 52, 13, 653) * 1000, verdict: 'FORWARDED', event: 'to-endpoint', summary: 'TCP Flags: SYN', proto: 'tcp', tcpFlags: ['SYN'],
      src: { ip: '10.0.0.69', port: 58368 }, dst: { ip: null, port: 4245, namespace: 'kube-system', pod: 'hubble-relay-544876fc89-4flb9' }, line: 6,
    });
    expect(mk[4]).toMatchObject({ event: 'to-stack', tcpFlags: ['SYN', 'ACK'], src: { pod: 'hubble-relay-544876fc89-4flb9', port: 4245 }, dst: { ip: '10.0.0.69', port: 58368 } });
    expect(t('hubble_observe_table_relay_rst_fin.txt').map((f) => f.tcpFlags?.join('+'))).toEqual(['ACK+PSH', 'RST', 'SYN', 'SYN+ACK', 'ACK', 'ACK+FIN']);
    const dns = t('hubble_observe_table_dns_policy_denied.txt');
    expect(dns.map((f) => [f.verdict, f.dropReason, f.proto, f.dst.port, f.dst.pod])).toEqual([
      ...Array(4).fill(['DROPPED', 'POLICY_DENIED', 'udp', 53, 'coredns-5644d7b6d9-v5cv2']), ...Array(2).fill(['DROPPED', 'POLICY_DENIED', 'udp', 53, 'coredns-5644d7b6d9-r9pfk']),
    ]);
    // Rows without their header, a summary with single and double spaces, an address with a service-named port.
    const tx = t('hubble_observe_table_dns_transaction_no_header.txt');
    expect(tx[0]).toMatchObject({ src: { ip: '10.96.0.10', port: 53 }, event: 'to-endpoint', proto: 'udp' });
    expect(tx[1]).toMatchObject({ event: 'dns-response', summary: 'DNS Answer RCode: Non-Existent Domain TTL: 4294967295 (Query unknown-galaxy.starwars.svc.cluster.local. A)' });
  });

  it('table: a header naming a NODE column, a row cut short, and a foreign verdict are reported by line', () => {
    const text = 'TIMESTAMP             NODE          SOURCE          DESTINATION     TYPE          VERDICT     SUMMARY\n'
      + 'Dec 14 07:52:13.653   kind-worker   10.0.0.69:58368   10.0.0.120:4245   to-endpoint   FORWARDED   TCP Flags: SYN\n'
      + 'Dec 14 07:52:13.653   kind-worker   10.0.0.69:58368   10.0.0.120:4245   to-endpoint   MAYBE   TCP Flags: SYN\n'
      + 'Dec 14 07:52:13.653   kind-worker   10.0.0.69:58368';
    const r = hubbleFormat.parse(text, { source: 'node.txt', baseTimeUs: Date.UTC(2020, 11, 20) * 1000 });
    expect(r.records.map((f) => [f.node, f.src.ip, f.dst.ip])).toEqual([['kind-worker', '10.0.0.69', '10.0.0.120']]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 3], ['TEXT_TRUNCATED', 4]]);
  });
});

