import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openCase } from '../../db/open-case.js';
import { exportFlowPcap } from '../../export/flow-pcap.js';
import { fail, int, needCase } from '../args.js';
import { safeCell } from '../output.js';

/** `podcap pcap --flow ID -w FILE`: a flow's packets for Wireshark (tcpdump's -w spelling). */
export async function cmdPcap(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, flow: { type: 'string' }, w: { type: 'string', short: 'w' } } });
  const casePath = needCase(values);
  const id = int(values.flow, '--flow');
  if (!id) fail('--flow ID is required (the id column of `podcap flows --json`)');
  if (!values.w) fail('-w FILE is required (where to write the packets)');
  const db = openCase(casePath, { readonly: true });
  try {
    const res = await exportFlowPcap(db, id);
    writeFileSync(values.w, res.bytes);
    process.stderr.write(`${res.packets} packets of flow ${id} written to ${safeCell(values.w)} (${res.format})\n`);
    return 0;
  } finally {
    db.close();
  }
}
