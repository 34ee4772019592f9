import type { TextFormat } from '../text-format.js';
import { parseLsns } from './reader.js';
import { sniffLsns } from './sniff.js';
import type { LsnsRecord } from './types.js';

export const lsnsFormat: TextFormat<'lsns', LsnsRecord> = {
  kind: 'lsns',
  sniff: sniffLsns,
  parse: parseLsns,
};

export { parseLsns, sniffLsns };
export type { LsnsRecord } from './types.js';
