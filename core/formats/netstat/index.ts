import type { TextFormat } from '../text-format.js';
import { parseNetstat } from './reader.js';
import { sniffNetstat } from './sniff.js';
import type { SocketRecord } from './types.js';

export type { SocketRecord } from './types.js';
export { parseEndpoint, parseIpText, isMaskedText } from './address.js';

/** netstat (Linux, Windows) and ss socket tables. */
export const netstatFormat: TextFormat<'netstat', SocketRecord> = {
  kind: 'netstat',
  sniff: sniffNetstat,
  parse: parseNetstat,
};
