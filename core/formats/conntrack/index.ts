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
};
