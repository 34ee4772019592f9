import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockingRules, iptablesFormat, kubeProxyServices, shellWords } from '../../core/formats/iptables/index.js';
import type { IptablesChain, IptablesRecord, IptablesRule, KubeProxyService } from '../../core/formats/iptables/index.js';
import { LAB, codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string) => iptablesFormat.parse(text, { source: 't' });
const rules = (recs: IptablesRecord[]) => recs.filter((r): r is IptablesRule => r.type === 'rule');
const services = (recs: IptablesRecord[]) => recs.filter((r): r is KubeProxyService => r.type === 'kubeService');

describe('iptables-save', () => {
  it('reads tables, chains with policy and counters, and rules with their matches', () => {
    const r = parseFile(iptablesFormat, join(LAB, 'iptables-save.txt'));
    expect(r.diagnostics).toEqual([]);
    const chains = r.records.filter((x): x is IptablesChain => x.type === 'chain');
    expect(chains[1]).toEqual({ type: 'chain', form: 'save', table: 'filter', chain: 'FORWARD', policy: 'ACCEPT', packets: 47, bytes: 14285, family: 'ipv4', line: 4 });
    expect(chains.find((c) => c.chain === 'KUBE-FIREWALL')!.policy).toBeUndefined();
    const rs = rules(r.records);
    expect(rs[1]).toEqual({
      type: 'rule', form: 'save', table: 'filter', family: 'ipv4', chain: 'INPUT', num: 2, protocol: 'tcp', dports: ['10250'], dportNumbers: [10250],
      comment: 'block kubelet (runbook 2)', target: 'DROP', line: 9,
      text: '-p tcp -m tcp --dport 10250 -m comment --comment "block kubelet (runbook 2)" -j DROP',
    });
    expect(rs[2]).toMatchObject({ source: '203.0.113.0/24', dports: ['9000', '1194'], target: 'REJECT', rejectWith: 'icmp-port-unreachable', num: 3 });
    expect(rs[3]).toMatchObject({ inInterface: 'eth0', rejectWith: 'tcp-reset' });
    expect(rs[5]).toMatchObject({ chain: 'INPUT', num: 6, source: '10.66.0.0/24', line: 13 });
    expect(rs[5]!.target).toBeUndefined();
    expect(rs[7]).toMatchObject({ source: '10.66.0.0/16', sourceNegated: true, destination: '10.66.0.6/32', sports: ['1024:65535'], dports: ['8080'] });
    expect(rs[9]).toMatchObject({ chain: 'KUBE-FIREWALL', sourceNegated: true, states: ['RELATED', 'ESTABLISHED', 'DNAT'], statesNegated: true, target: 'DROP' });
  });

  it('derives the kube-proxy service map: cluster IP, LB IP, node port → endpoints', () => {
    const r = parseFile(iptablesFormat, join(LAB, 'iptables-save.txt'));
    const svc = services(r.records);
    expect(svc.map((s) => s.service)).toEqual(['default/web:http', 'default/kubernetes:https', 'kube-system/kube-dns:dns', 'kube-system/kube-dns:dns-tcp']);
    expect(svc[0]).toEqual({
      type: 'kubeService', service: 'default/web:http', namespace: 'default', name: 'web', portName: 'http', table: 'nat', protocol: 'tcp',
      clusterIp: '10.96.45.12', port: 80, nodePort: 30080, externalIps: [], loadBalancerIps: ['20.50.60.70'], svcChain: 'KUBE-SVC-LOLE4ISW44XBNF3G',
      endpoints: [
        { ip: '10.66.0.5', port: 8080, sepChain: 'KUBE-SEP-2ZNPJ3ZBQFTGIZZS', probability: 0.5, line: 53 },
        { ip: '10.66.0.6', port: 8080, sepChain: 'KUBE-SEP-N4G2XR5TDX7PQE7P', line: 59 },
      ],
      line: 48,
    });
    expect(svc[2]).toMatchObject({ protocol: 'udp', clusterIp: '10.96.0.10', port: 53, endpoints: [{ ip: '10.66.0.6', port: 53 }] });
  });

  it('reads -c counters and ip6tables-save', () => {
    const c = parseFile(iptablesFormat, join(LAB, 'iptables-save_-c.txt'));
    expect(c.diagnostics).toEqual([]);
    expect(rules(c.records)[1]).toMatchObject({ target: 'DROP', packets: 1, bytes: 60, dports: ['10250'] });
    const v6 = parseFile(iptablesFormat, join(LAB, 'ip6tables-save.txt'));
    expect(v6.diagnostics).toEqual([]);
    expect(rules(v6.records).map((x) => [x.family, x.source, x.destination, x.target])).toEqual([
      ['ipv6', undefined, undefined, 'DROP'],
      ['ipv6', '2001:db8:bad::/48', undefined, 'REJECT'],
      ['ipv6', undefined, 'fd66::/64', 'ACCEPT'],
    ]);
  });

  it('finds the DROP/REJECT rules that can block a port', () => {
    const rs = parseFile(iptablesFormat, join(LAB, 'iptables-save.txt')).records;
    expect(blockingRules(rs, 10250).map((x) => [x.chain, x.num, x.target])).toEqual([
      ['INPUT', 2, 'DROP'],
      ['KUBE-FIREWALL', 1, 'DROP'],
      ['KUBE-FORWARD', 1, 'DROP'],
    ]);
    expect(blockingRules(rs, 9000).map((x) => [x.chain, x.num])).toEqual([
      ['INPUT', 3],
      ['INPUT', 4],
      ['KUBE-FIREWALL', 1],
      ['KUBE-FORWARD', 1],
    ]);
    expect(blockingRules(rs)).toHaveLength(6);
  });
});

describe('iptables -L', () => {
  it('reads -n -v --line-numbers: counters, protocol numbers, blank target, in/out', () => {
    const r = parseFile(iptablesFormat, join(LAB, 'iptables_-L_-n_-v_--line-numbers.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toEqual({ type: 'chain', form: 'list', chain: 'INPUT', policy: 'ACCEPT', packets: 0, bytes: 0, line: 1 });
    const rs = rules(r.records);
    expect(rs[1]).toEqual({
      type: 'rule', form: 'list', chain: 'INPUT', num: 2, packets: 1, bytes: 60, target: 'DROP', protocol: 'tcp', dports: ['10250'], dportNumbers: [10250],
      comment: 'block kubelet (runbook 2)', text: 'tcp dpt:10250 /* block kubelet (runbook 2) */', line: 4,
    });
    expect(rs[0]).toMatchObject({ target: 'KUBE-FIREWALL', protocol: 'all', packets: 2, bytes: 120 });
    expect(rs[3]).toMatchObject({ inInterface: 'eth0', dports: ['9000'], rejectWith: 'tcp-reset' });
    expect(rs[5]).toMatchObject({ num: 6, protocol: 'all', source: '10.66.0.0/24' });
    expect(rs[5]!.target).toBeUndefined();
  });

  it('reads a listing without -n: anywhere, names for ports, service names resolved', () => {
    const r = parseFile(iptablesFormat, join(LAB, 'iptables_--list_--line-numbers.txt'));
    expect(r.diagnostics).toEqual([]);
    const rs = rules(r.records);
    expect(rs[2]).toMatchObject({ target: 'REJECT', source: '203.0.113.0/24', dports: ['9000', 'openvpn'], dportNumbers: [9000, 1194] });
    expect(rs[2]!.destination).toBeUndefined();
    expect(rs.find((x) => x.chain === 'OUTPUT')).toMatchObject({ destination: '198.51.100.9', dports: ['https'], dportNumbers: [443] });
    expect(rs.find((x) => x.chain === 'KUBE-FIREWALL')).toMatchObject({ source: 'loopback/8', sourceNegated: true });
    expect(blockingRules(r.records, 1194).map((x) => x.num)).toEqual([3, 1, 1]);
  });

  it('derives the same kube-proxy services from `iptables -t nat -L -n -v`', () => {
    const save = services(parseFile(iptablesFormat, join(LAB, 'iptables-save.txt')).records);
    const list = parseFile(iptablesFormat, join(LAB, 'iptables_-t_nat_-L_-n_-v.txt'));
    expect(list.diagnostics).toEqual([]);
    const key = (s: KubeProxyService) => [s.service, s.clusterIp, s.port, s.nodePort, s.loadBalancerIps, s.endpoints.map((e) => `${e.ip}:${e.port}`)];
    expect(services(list.records).map(key)).toEqual(save.map(key));
    expect(rules(list.records).find((x) => x.target === 'DNAT')).toMatchObject({ toDestination: '10.66.0.5:8080', protocol: 'tcp' });
  });

  it('takes the table from a pasted prompt line', () => {
    const body = read(join(LAB, 'iptables_-t_nat_-L_KUBE-SERVICES_-n.txt'));
    const r = parse(`# iptables -t nat -L KUBE-SERVICES -n\n${body}`);
    expect(r.diagnostics).toEqual([]);
    expect(rules(r.records).every((x) => x.table === 'nat')).toBe(true);
    expect(rules(r.records)[0]).toMatchObject({ target: 'KUBE-SVC-NPX46M4PTMTKRN6Y', destination: '10.96.0.1', dports: ['443'], comment: 'default/kubernetes:https cluster IP', line: 4 });
  });
});

describe('iptables: damaged and hostile input', () => {
  it('reports garbage lines by number', () => {
    const lines = read(join(LAB, 'iptables-save.txt')).split('\n');
    lines.splice(9, 0, 'garbage in the middle');
    lines.splice(3, 0, ':BROKEN');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@4', 'TEXT_MALFORMED_LINE@11']);
  });

  it('reports a cut rule and a table left without COMMIT', () => {
    const text = read(join(LAB, 'iptables-save.txt'));
    const cut = text.slice(0, text.indexOf('block incoming localnet') + 5);
    const r = parse(cut);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['TEXT_TRUNCATED', 17],
      ['TEXT_TRUNCATED', 2],
    ]);
    expect(rules(r.records)).toHaveLength(9);
    const list = parse(cutEnd(read(join(LAB, 'iptables_-L_-n_-v_--line-numbers.txt')), 1500));
    expect(list.diagnostics.every((d) => d.code === 'TEXT_TRUNCATED')).toBe(true);
  });

  it('keeps hostile comments verbatim and unquotes escapes', () => {
    const r = parse('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m comment --comment "<img src=x onerror=alert(1)> \\"q\\"" -m tcp --dport 22 -j REJECT\nCOMMIT\n');
    expect(r.diagnostics).toEqual([]);
    expect(rules(r.records)[0]!.comment).toBe('<img src=x onerror=alert(1)> "q"');
    expect(shellWords('a "b c" \'d e\' f\\"g')).toEqual(['a', 'b c', 'd e', 'f"g']);
    expect(shellWords('--comment "never closed')).toBeUndefined();
  });

  it('records kube-proxy "has no endpoints" REJECTs', () => {
    const r = parse(
      '*filter\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -d 10.0.77.3/32 -p tcp -m comment --comment "default/pending-lb has no endpoints" -m tcp --dport 443 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n',
    );
    expect(kubeProxyServices(r.records)).toEqual([
      {
        type: 'kubeService', service: 'default/pending-lb', namespace: 'default', name: 'pending-lb', portName: '', table: 'filter', protocol: 'tcp',
        clusterIp: '10.0.77.3', port: 443, externalIps: [], loadBalancerIps: [], endpoints: [], noEndpoints: true, line: 3,
      },
    ]);
  });
});

describe('iptables variants made in the lab (fixtures/node-tools/lab/variants/README.md)', () => {
  const V = 'fixtures/node-tools/lab/variants';
  it('iptables-save -c: every rule keeps its [packets:bytes]', async () => {
    const { iptablesFormat } = await import('../../core/formats/iptables/index.js');
    const { readFileSync } = await import('node:fs');
    const r = iptablesFormat.parse(readFileSync(`${V}/iptables-save_-c.txt`, 'utf8'), { source: 'c' });
    expect(r.diagnostics).toEqual([]);
    const rules = r.records.filter((x) => x.type === 'rule');
    expect(rules.map((x) => [x.table, x.chain, x.packets, x.bytes])).toEqual([
      ['filter', 'INPUT', 1, 60], ['nat', 'OUTPUT', 4, 147], ['nat', 'KUBE-SEP-ABCDEF1234567890', 3, 87], ['nat', 'KUBE-SERVICES', 3, 87], ['nat', 'KUBE-SVC-TCOU7JCQXEZGVUNU', 3, 87],
    ]);
  });

  it('kube-proxy rules pasted without *nat: detected, read into nat, the service rebuilt', async () => {
    const { iptablesFormat } = await import('../../core/formats/iptables/index.js');
    const { detectTextFormat } = await import('../../core/formats/registry.js');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(`${V}/kube-proxy_rules_paste_no_header.txt`, 'utf8');
    expect(detectTextFormat(text, 'paste.txt')?.format.kind).toBe('iptables');
    const r = iptablesFormat.parse(text, { source: 'paste' });
    expect(r.diagnostics).toEqual([]);
    expect(r.records.filter((x) => x.type === 'rule').every((x) => x.type === 'rule' && x.table === 'nat' && x.tableInferred === true)).toBe(true);
    expect(r.records.find((x) => x.type === 'kubeService')).toMatchObject({ service: 'kube-system/kube-dns:dns', clusterIp: '10.96.0.10', endpoints: [{ ip: '10.99.13.2', port: 53 }] });
  });
});
