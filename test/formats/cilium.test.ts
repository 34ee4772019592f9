import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciliumFormat, type CiliumRecord } from '../../core/formats/cilium/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

const DIR = 'fixtures/node-tools/cilium';
const read = (n: string) => readFileSync(join(DIR, n), 'utf8');
const recs = (n: string): CiliumRecord[] => {
  const r = ciliumFormat.parse(read(n), { source: n });
  expect(r.diagnostics, n).toEqual([]);
  return r.records;
};

describe('cilium bpf ct/nat list (real outputs, fixtures/node-tools/cilium/README.md)', () => {
  it('bpf lb list, older layout: continuation rows take the service address above; slot 0 holds the type', () => {
    const r = recs('cilium_bpf_lb_list_kind_echo-worker3.txt').filter((x) => x.type === 'lb');
    expect(r).toHaveLength(14);
    expect(r.slice(0, 3)).toEqual([
      { type: 'lb', vip: '10.96.0.10', vipPort: 9153, backend: null, revNat: 4, slot: 0, serviceFlags: ['ClusterIP', 'non-routable'], line: 3 },
      { type: 'lb', vip: '10.96.0.10', vipPort: 9153, backend: { ip: '10.244.0.180', port: 9153 }, revNat: 4, slot: 2, line: 4 },
      { type: 'lb', vip: '10.96.0.10', vipPort: 9153, backend: { ip: '10.244.0.238', port: 9153 }, revNat: 4, slot: 1, line: 5 },
    ]);
    // The backend row printed before its slot-0 row, and a flag list of three.
    expect(r.filter((x) => x.type === 'lb' && x.revNat === 6).map((x) => x.type === 'lb' && [x.vip, x.backend?.ip ?? null, x.slot])).toEqual([['10.96.238.89', '10.244.2.79', 1], ['10.96.238.89', null, 0]]);
    expect(r[13]).toMatchObject({ vip: '10.96.170.158', serviceFlags: ['ClusterIP', 'InternalLocal', 'non-routable'] });
  });

  it('bpf lb list, 1.17+ layout: protocol, internal scope and slot on every row; grep output without header', () => {
    const r = recs('cilium_bpf_lb_list_proto_slots.txt');
    expect(r.map((x) => x.type === 'lb' && [x.vip, x.vipPort, x.proto, x.internal ?? false, x.backend ? `${x.backend.ip}:${x.backend.port}` : null, x.revNat])).toEqual([
      ['10.200.215.80', 9001, 'tcp', false, '10.100.2.122:9001', 7], ['10.200.201.226', 443, 'tcp', false, '10.100.2.188:443', 23],
      ['10.200.54.249', 8081, 'tcp', false, '10.100.2.32:8081', 9], ['10.200.209.77', 5557, 'tcp', false, null, 4],
      ['10.200.54.249', 8084, 'tcp', false, '10.100.2.32:8084', 10], ['0.0.0.0', 32179, 'tcp', true, null, 31], ['0.0.0.0', 32179, 'tcp', false, null, 30],
      ['10.200.0.10', 53, 'udp', false, '10.100.1.209:53', 41], ['10.200.120.124', 6379, 'tcp', false, '10.100.1.28:6379', 8],
      ['10.200.126.139', 80, 'tcp', false, '10.100.1.91:8081', 38], ['10.0.0.10', 32179, 'tcp', true, '10.100.2.188:443', 29], ['10.0.250.1', 443, 'tcp', false, null, 26],
    ]);
    expect(r[11]).toMatchObject({ serviceFlags: ['LoadBalancer', 'Local', 'two-scopes'] });
    expect(recs('cilium-dbg_bpf_lb_list_webpod_grep.txt').map((x) => x.type === 'lb' && [x.slot, x.backend?.ip ?? null])).toEqual([[0, null], [3, '172.20.2.43'], [2, '172.20.1.213'], [1, '172.20.0.140']]);
  });

  it('bpf lb list: a continuation row with no service above it, and a row cut mid-way, are reported by line', () => {
    const text = '                    10.244.0.180:9153 (4) (2)\n10.96.0.10:9153     0.0.0.0:0 (4) (0) [ClusterIP, non-routable]\n                    10.244.0.238:9153 (4';
    const r = ciliumFormat.parse(text, { source: 'cut.txt' });
    expect(r.records).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 1], ['TEXT_TRUNCATED', 3]]);
  });

  it('every fixture is detected as cilium-bpf', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'README.md');
    expect(files).toHaveLength(8);
    for (const f of files) expect(detectTextFormat(read(f), f)?.format.kind, f).toBe('cilium-bpf');
  });

  it('CT entries: tuple, direction, counters, flags, RevNAT, identity; the service entry', () => {
    const [svc, inn, out] = recs('cilium_bpf_ct_list_global_service.txt');
    expect(svc).toEqual({
      type: 'ct', proto: 'tcp', dir: 'out', service: true, src: '10.96.43.209', sport: 80, dst: '10.0.1.90', dport: 59668, expires: 475561,
      rxPackets: 0, rxBytes: 7, txPackets: 0, txBytes: 0, flags: ['SeenNonSyn'], revNat: 5, securityId: 0, line: 1,
    });
    expect([inn.type === 'ct' && inn.dir, out.type === 'ct' && out.dir, inn.type === 'ct' && inn.securityId]).toEqual(['in', 'out', 27453]);
    const old = recs('cilium-dbg_bpf_ct_list_global_packets_closing.txt')[0];
    expect(old).toMatchObject({ rxPackets: 0, rxBytes: 0, flags: ['RxClosing', 'TxClosing', 'SeenNonSyn'], backendId: 0 });
    expect(recs('cilium_bpf_ct_list_global_-D_udp_dns.txt').map((r) => r.type === 'ct' && [r.proto, r.dst, r.dport, r.rxPackets, r.txPackets])).toEqual([
      ['udp', '10.242.0.87', 53, 24, 24], ['udp', '10.242.0.178', 53, 24, 24], ['udp', '10.242.0.178', 53, 26, 26],
    ]);
  });

  it('NAT entries: what each tuple was translated to', () => {
    const r = recs('cilium_bpf_ct_and_nat_icmp.txt');
    expect(r.map((x) => x.type)).toEqual(['ct', 'ct', 'nat', 'nat']);
    expect(r[2]).toEqual({ type: 'nat', proto: 'icmp', dir: 'out', src: '10.5.2.101', sport: 65204, dst: '10.4.6.9', dport: 0, xlate: 'src', toIp: '10.5.2.101', toPort: 65204, createdS: 1987884, hostLocal: true, line: 6 });
  });

  it('a cut line is reported; CT entries reach the case as conntrack entries', async () => {
    const cut = read('cilium_bpf_ct_list_global_service.txt').split('\n')[0].slice(0, 30);
    expect(ciliumFormat.parse(cut, { source: 'x' }).diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
    const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-cilium-')), 'c.db'));
    await ingestPaths(db, [DIR]);
    const rows = db.prepare(`SELECT proto, state, orig_src, orig_dport, unreplied FROM conntrack_entries ORDER BY id`).all();
    expect(rows).toHaveLength(8); // 3 UDP + 3 TCP + 2 TCP closing (ICMP is not tracked as a connection)
    expect(rows).toContainEqual({ proto: 'tcp', state: 'CLOSING', orig_src: '10.244.2.131', orig_dport: 80, unreplied: 0 });
  });

  it('bpf lb list feeds the identity graph: each VIP a service with its backends as evidence; a VIP kubectl names keeps its name', async () => {
    const root = mkdtempSync(join(tmpdir(), 'podcap-cilium-lb-'));
    const db = openCase(join(root, 'c.db'));
    const svc = join(root, 'kubectl-get-svc-A.txt');
    // Names as the same lab printed them (fixture source: index file id 48092086106, `k get svc -A`).
    writeFileSync(svc, `NAMESPACE     NAME           TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)                  AGE
kube-system   kube-dns       ClusterIP   10.96.0.10      <none>        53/UDP,53/TCP,9153/TCP   61m
`);
    await ingestPaths(db, [join(DIR, 'cilium_bpf_lb_list_kind_echo-worker3.txt'), svc]);
    const rows = db.prepare(`SELECT ip, service, evidence FROM identities WHERE kind = 'service' ORDER BY ip`).all() as { ip: string; service: string | null; evidence: string }[];
    expect(rows.map((r) => [r.ip, r.service])).toEqual([
      ['10.96.0.1', null], ['10.96.0.10', 'kube-system/kube-dns'], ['10.96.170.158', null], ['10.96.212.166', null], ['10.96.238.89', null],
    ]);
    const dns = (JSON.parse(rows[1].evidence) as { link: string }[]).map((e) => e.link);
    expect(dns).toEqual([
      'kubectl: service kube-dns has cluster IP 10.96.0.10',
      'cilium bpf lb list: 10.96.0.10:9153 (ClusterIP) → 10.244.0.180:9153, 10.244.0.238:9153 (revNAT 4)',
      'cilium bpf lb list: 10.96.0.10:53 (ClusterIP) → 10.244.0.238:53, 10.244.0.180:53 (revNAT 3)',
    ]);
  });
});

