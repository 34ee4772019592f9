import { listFanout } from '../../analysis/fanout/fanout.js';
import { int, withCase } from '../args.js';
import { Out, printTable } from '../output.js';

export function cmdFanout(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const rows = listFanout(db, { limit: int(v.limit as string | undefined, '--limit') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'WHO', get: (r) => r.who },
      { title: 'NETNS', get: (r) => r.netns },
      { title: 'NODE', get: (r) => r.node },
      { title: 'CONNS', get: (r) => r.connections, right: true },
      { title: 'DESTS', get: (r) => r.destinations, right: true },
      { title: 'PUBLIC', get: (r) => r.public_destinations, right: true },
      { title: 'PEAK/MIN', get: (r) => r.peak_per_minute, right: true },
      { title: 'MEDIAN LIFE s', get: (r) => (r.median_lifetime_s === null ? null : r.median_lifetime_s.toFixed(3)), right: true },
      { title: '1-REQ %', get: (r) => (r.one_request_share === null ? null : (r.one_request_share * 100).toFixed(0)), right: true },
      { title: 'EVIDENCE', get: (r) => r.evidence },
      { title: 'TOP DESTINATION', get: (r) => (r.top_destinations[0] ? `${r.top_destinations[0].ip}:${r.top_destinations[0].port} (${r.top_destinations[0].connections})` : null) },
    ]);
    return 0;
  });
}
