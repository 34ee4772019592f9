import type { TextFormat } from '../text-format.js';
import { parseNft } from './reader.js';
import { sniffNft } from './sniff.js';
import type { NftRecord } from './types.js';

export const nftFormat: TextFormat<'nft', NftRecord> = {
  kind: 'nft',
  sniff: sniffNft,
  parse: parseNft,
};

export { parseNft, sniffNft };
export type { NftChain, NftMatch, NftRecord, NftRule, NftSet, NftTable } from './types.js';
