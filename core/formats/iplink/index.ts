import type { TextFormat } from '../text-format.js';
import { parseIpLink } from './reader.js';
import { sniffIpLink } from './sniff.js';
import type { IpLinkRecord } from './types.js';

export const ipLinkFormat: TextFormat<'iplink', IpLinkRecord> = {
  kind: 'iplink',
  sniff: sniffIpLink,
  parse: parseIpLink,
};

export { parseIpLink, sniffIpLink };
export type { IpLinkRecord, IpInterface, IpAddress, IfLinkValue } from './types.js';
