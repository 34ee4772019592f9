import type { IptablesRecord } from '../iptables/types.js';
import type { TextFormat } from '../text-format.js';
import { parseNft, sniffNft } from './reader.js';

/** `nft list ruleset`: tables, chains (policy) and rules read into the iptables reader's record shapes. */
export const nftablesFormat: TextFormat<'nftables', IptablesRecord> = {
  kind: 'nftables',
  sniff: sniffNft,
  parse: parseNft,
};
