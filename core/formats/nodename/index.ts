import type { TextFormat } from '../text-format.js';
import { parseNodeName } from './reader.js';
import { sniffNodeName } from './sniff.js';
import type { NodeNameRecord } from './types.js';

export type { NodeNameRecord } from './types.js';

/** The node's own name: `hostname` output, or the host of kubelet journal lines. */
export const nodeNameFormat: TextFormat<'nodename', NodeNameRecord> = {
  kind: 'nodename',
  sniff: sniffNodeName,
  parse: parseNodeName,
};
