import type { FlowOut } from '../../api/contract.js';
import { iterateFlows } from '../../api/queries/flows.js';
import { fail, fmtTime, int, withCase } from '../args.js';
import { endpointText } from '../../net/ip-text.js';
import { CONN_STATES } from '../../net/conn-state.js';
import { Out, printTable } from '../output.js';

export function cmdFlows(args: string[]): number {
  const extra = { state: { type: 'string' as const }, ip: { type: 'string' as const }, port: { type: 'string' as const }, proto: { type: 'string' as const } };
  return withCase(args, extra, (db, v) => {
    const proto = v.proto as string | undefined;
    if (proto !== undefined && !['tcp', 'udp', 'icmp'].includes(proto)) fail(`--proto takes tcp, udp or icmp, not "${proto}"`);
    const states = typeof v.state === 'string' ? v.state.split(',').map((s) => s.trim().toUpperCase()) : undefined;
    const bad = states?.filter((s) => !(CONN_STATES as readonly string[]).includes(s));
    if (bad?.length) fail(`--state takes Zeek conn_state values (${CONN_STATES.join(', ')}), not "${bad.join(',')}"`);
    const rows = iterateFlows(db, {
      states,
      ip: v.ip as string | undefined,
      port: int(v.port as string | undefined, '--port'),
      proto: proto as 'tcp' | 'udp' | 'icmp' | undefined,
      limit: int(v.limit as string | undefined, '--limit'),
    });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable<FlowOut>(out, rows, [
      { title: 'START', get: (r) => fmtTime(r.start) },
      { title: 'PROTO', get: (r) => r.proto },
      { title: 'ORIG', get: (r) => endpointText(r.orig_ip, r.orig_port) },
      { title: 'RESP', get: (r) => endpointText(r.resp_ip, r.resp_port) },
      { title: 'STATE', get: (r) => r.state },
      { title: 'HISTORY', get: (r) => r.history },
      { title: 'DUR', get: (r) => r.duration.toFixed(3), right: true },
      { title: 'PKTS o/r', get: (r) => `${r.orig_pkts}/${r.resp_pkts}`, right: true },
      { title: 'BYTES o/r', get: (r) => `${r.orig_bytes}/${r.resp_bytes}`, right: true },
      { title: 'RST', get: (r) => r.rst_by },
      { title: 'NAT PEER', get: (r) => (r.nat_peer ? endpointText(r.nat_peer.orig_ip, r.nat_peer.orig_port) : null) },
    ]);
    return 0;
  });
}
