import { listPorts } from '../../analysis/snat/ports.js';
import { int, withCase } from '../args.js';
import { endpointText } from '../../net/ip-text.js';
import { Out, printTable } from '../output.js';

export function cmdPorts(args: string[]): number {
  return withCase(args, { allocation: { type: 'string' } }, (db, v) => {
    const rows = listPorts(db, { limit: int(v.limit as string | undefined, '--limit'), allocation: int(v.allocation as string | undefined, '--allocation') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SNAT IP', get: (r) => r.snat_ip },
      { title: 'DESTINATION', get: (r) => endpointText(r.dst_ip, r.dst_port) },
      { title: 'PORTS', get: (r) => r.distinct_src_ports, right: true },
      { title: 'PEAK', get: (r) => r.peak_concurrent, right: true },
      { title: 'HELD %', get: (r) => (r.utilization * 100).toFixed(1), right: true },
      { title: 'REUSED', get: (r) => r.reused_ports, right: true },
      { title: 'MIN REUSE GAP s', get: (r) => (r.min_reuse_gap_s === null ? null : r.min_reuse_gap_s.toFixed(3)), right: true },
      { title: 'STALE ACK', get: (r) => r.stale_ack_resets, right: true },
      { title: 'PODS', get: (r) => r.pods.map((p) => `${p.pod} (${p.ports})`).join(', ') },
    ]);
    return 0;
  });
}
