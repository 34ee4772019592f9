import type { RstOut } from '../../api/contract.js';
import { iterateRst } from '../../api/queries/rst.js';
import { fmtTime, int, withCase } from '../args.js';
import { endpointText } from '../../net/ip-text.js';
import { Out, printTable } from '../output.js';

export function cmdRst(args: string[]): number {
  return withCase(args, { sender: { type: 'string' } }, (db, v) => {
    const rows = iterateRst(db, { senderIp: v.sender as string | undefined, limit: int(v.limit as string | undefined, '--limit') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable<RstOut>(out, rows, [
      { title: 'TIME', get: (r) => fmtTime(r.ts) },
      { title: 'SENDER', get: (r) => endpointText(r.sender_ip, r.sender_port) },
      { title: 'ROLE', get: (r) => r.sender_role },
      { title: 'RECEIVER', get: (r) => endpointText(r.receiver_ip, r.receiver_port) },
      { title: 'TTL', get: (r) => `${r.ttl}${r.ttl_baseline !== null ? `/${r.ttl_baseline}` : ''}`, right: true },
      { title: 'IDLE s', get: (r) => (r.idle_before_s === null ? null : r.idle_before_s.toFixed(3)), right: true },
      { title: 'VERDICT', get: (r) => r.verdict },
      { title: 'POD', get: (r) => r.sender_pod },
      { title: 'REASON', get: (r) => r.reason },
    ]);
    return 0;
  });
}
