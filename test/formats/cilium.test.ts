import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
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
  it('every fixture is detected as cilium-bpf', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'README.md');
    expect(files).toHaveLength(4);
    for (const f of files) expect(detectTextFormat(read(f), f)?.format.kind, f).toBe('cilium-bpf');
  });

  it('CT entries: tuple, direction, counters, flags, RevNAT, identity; the service entry', () => {
    const [svc, inn, out] = recs('cilium_bpf_ct_list_global_service.txt');
    expect(svc).toEqual({
      type: 'ct', proto: 'tcp', dir: 'out', service: true, src: '10.96.43.209', sport: 80, dst: '10.0.1.90', dport: 59668, expires: 475561,
      rxPackets: 0, rxBytes: 7, txPackets: 0, txBytes: 0, flags: ['SeenNonSyn'], revNat: 5, securityId: 0, line: 1,
    });
    expect([inn.dir, out.dir, inn.type === 'ct' && inn.securityId]).toEqual(['in', 'out', 27453]);
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
});
