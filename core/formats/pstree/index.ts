import type { TextFormat } from '../text-format.js';
import { parsePstree } from './reader.js';
import { sniffPstree } from './sniff.js';
import type { PstreeRecord } from './types.js';

export const pstreeFormat: TextFormat<'pstree', PstreeRecord> = {
  kind: 'pstree',
  sniff: sniffPstree,
  parse: parsePstree,
};

export { parsePstree, sniffPstree };
export { findShimAncestor, shimInfo } from './shim.js';
export type { PstreeRecord, ShimInfo } from './types.js';
