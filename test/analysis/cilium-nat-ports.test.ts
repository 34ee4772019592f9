import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { computePorts, listPorts } from '../../core/analysis/snat/ports.js';
import { ciliumFormat } from '../../core/formats/cilium/index.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { readFileSync } from 'node:fs';

const SYNTH = 'fixtures/node-tools/cilium-nat-synth';
const REAL = 'fixtures/node-tools/cilium';

async function caseOf(paths: string[]): Promise<CaseDb> {
  const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-ciliumnat-')), 'c.db'));
  await ingestPaths(db, paths);
  return db;
}

describe('Cilium NAT map entries as SNAT port use', () => {
  it('a real NAT46 gateway dump reads (bracketed IPv4 and IPv6, "Created=155sec ago")', () => {
    const r = ciliumFormat.parse(readFileSync(join(REAL, 'cilium-dbg_bpf_nat_list_nat46x64_gateway.txt'), 'utf8'), { source: 'x' });
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => x.type === 'nat' && [x.dir, x.src, x.sport, x.dst, x.dport, x.xlate, x.toIp, x.toPort, x.createdS])).toEqual([
      ['in', '64:ff9b::8c52:7104', 80, '192.168.64.2', 33388, 'dst', '2001:db8:dead:beef::2', 33388, 155],
      ['out', '2001:db8:dead:beef::2', 33388, '64:ff9b::8c52:7204', 80, 'src', '192.168.64.2', 33388, 155],
    ]);
  });

  it('ports held per SNAT address and destination, charged to pods, against the allocation; one finding with the dump lines', async () => {
    const db = await caseOf([SYNTH]);
    const p = listPorts(db);
    expect(p.map((r) => [r.snat_ip, r.dst_ip, r.dst_port, r.distinct_src_ports, r.allocation, r.utilization])).toEqual([
      ['10.224.0.4', '20.50.2.10', 443, 700, 1024, 700 / 1024], ['10.224.0.4', '52.168.117.170', 443, 12, 1024, 12 / 1024],
    ]);
    expect(p[0].pods).toEqual([{ pod: 'shop/checkout-7d9f8b6c5-2xk4p', ports: 234 }, { pod: 'shop/checkout-7d9f8b6c5-9qm7w', ports: 233 }, { pod: 'shop/payments-5c8b7f9d4-lk2zn', ports: 233 }]);
    expect(p[0].from?.[0].source).toMatch(/cilium_bpf_nat_list_pressure\.txt$/);
    expect(p[0].from?.[0].lines.slice(0, 3)).toEqual([2, 3, 4]);
    // The stored whole-case answer is the live one.
    expect(computePorts(db)).toEqual(p);
    // A time window cannot place a snapshot without time.
    expect(computePorts(db, { fromUs: 0, toUs: Date.now() * 1000 })).toEqual([]);
    const f = listFindings(db).filter((x) => x.rule === 'snat-utilization');
    expect(f.map((x) => [x.id, x.severity, x.title])).toEqual([['snat-utilization:10.224.0.4:20.50.2.10:443', 'high', 'SNAT ports to 20.50.2.10:443 nearly exhausted']]);
    expect(f[0].detail).toMatch(/^Cilium's NAT map held 700 ports of 10\.224\.0\.4 toward this destination at once \(held up to 700 of 1,024 ports\)/);
    expect(f[0].evidence[0].lines).toHaveLength(20);
  });

  it('a quiet NAT map (the real dumps) makes no SNAT finding', async () => {
    const db = await caseOf([join(REAL, 'cilium-dbg_bpf_nat_list_nat46x64_gateway.txt'), join(REAL, 'cilium_bpf_ct_and_nat_icmp.txt')]);
    expect(listPorts(db).map((r) => [r.snat_ip, r.dst_ip, r.distinct_src_ports])).toEqual([['192.168.64.2', '64:ff9b::8c52:7204', 1]]);
    expect(listFindings(db).filter((x) => x.rule === 'snat-utilization')).toEqual([]);
  });
});
