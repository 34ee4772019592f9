import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openCase } from '../../db/open-case.js';
import { exportFlowPcap, nameForFormat } from '../../export/flow-pcap.js';
import { fail, int, needCase } from '../args.js';
import { safeCell } from '../output.js';

/**
 * `podcap pcap --flow ID -w FILE [--all-sightings]`: a connection's packets for Wireshark (tcpdump's
 * -w spelling), one copy of each packet unless every sighting is asked for. FILE's extension picks
 * the format where it can: `.pcapng` always gives pcapng; a `.pcap` that needs pcapng (several link
 * types) is written as `.pcapng` instead, and said.
 */
export async function cmdPcap(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, flow: { type: 'string' }, w: { type: 'string', short: 'w' }, 'all-sightings': { type: 'boolean' } } });
  const casePath = needCase(values);
  const id = int(values.flow, '--flow');
  if (!id) fail('--flow ID is required (the id column of `podcap flows --json`)');
  if (!values.w) fail('-w FILE is required (where to write the packets)');
  const db = openCase(casePath, { readonly: true });
  try {
    const res = await exportFlowPcap(db, id, { allSightings: values['all-sightings'] === true, format: /\.pcapng$/i.test(values.w) ? 'pcapng' : undefined });
    const file = nameForFormat(values.w, res.format);
    writeFileSync(file, res.bytes);
    const copies = res.copies_left_out ? `; ${res.copies_left_out} copies seen at other capture points left out (--all-sightings keeps them)` : '';
    const renamed = file === values.w ? '' : ` (not ${safeCell(values.w)}: ${res.format} holds these capture points' link types)`;
    process.stderr.write(`${res.packets} packets of flow ${id} written to ${safeCell(file)} as ${res.format}${renamed}${copies}\n`);
    return 0;
  } finally {
    db.close();
  }
}
