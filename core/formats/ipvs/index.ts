import type { TextFormat } from '../text-format.js';
import { parseIpvs } from './reader.js';
import { sniffIpvs } from './sniff.js';
import type { IpvsRecord } from './types.js';

export const ipvsFormat: TextFormat<'ipvs', IpvsRecord> = {
  kind: 'ipvs',
  sniff: sniffIpvs,
  parse: parseIpvs,
};

export { parseIpvs, sniffIpvs };
export type { IpvsRecord, IpvsVirtualService, IpvsRealServer, IpvsServiceKey, IpvsStats, IpvsRate } from './types.js';
