import type { TextFormat } from '../text-format.js';
import { parseIpRoute } from './reader.js';
import { sniffIpRoute } from './sniff.js';
import type { IpRouteRecord } from './types.js';

export const ipRouteFormat: TextFormat<'iproute', IpRouteRecord> = {
  kind: 'iproute',
  sniff: sniffIpRoute,
  parse: parseIpRoute,
  longLines: true,
};

export { parseIpRoute, sniffIpRoute };
export type { IpRouteRecord, IpRoute, IpRule, IpNeighbour } from './types.js';
