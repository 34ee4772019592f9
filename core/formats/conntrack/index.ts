import type { TextFormat } from '../text-format.js';
import { parseConntrack } from './reader.js';
import { sniffConntrack } from './sniff.js';
import type { ConntrackRecord } from './types.js';

export type * from './types.js';

/** Linux conntrack: `conntrack -L/-E/-S/-D/-U` (any -o), expectations, /proc/net/nf_conntrack and /proc/net/stat/nf_conntrack. */
export const conntrackFormat: TextFormat<'conntrack', ConntrackRecord> = {
  kind: 'conntrack',
  sniff: sniffConntrack,
  parse: parseConntrack,
  // -E and -L dumps are one entry per line; the -S/proc stat header sits right above its rows, and
  // a dump of those is a few lines, far below one batch.
  lineByLine: true,
};
