import type { TextFormat } from '../text-format.js';
import { parseUfw } from './reader.js';
import { sniffUfw } from './sniff.js';
import type { UfwRecord } from './types.js';

export const ufwFormat: TextFormat<'ufw', UfwRecord> = {
  kind: 'ufw',
  sniff: sniffUfw,
  parse: parseUfw,
};

export { parseUfw, sniffUfw };
export type { UfwRecord, UfwRule, UfwStatus } from './types.js';
