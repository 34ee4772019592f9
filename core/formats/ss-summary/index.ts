import type { TextFormat } from '../text-format.js';
import { parseSsSummary } from './reader.js';
import { sniffSsSummary } from './sniff.js';
import type { SsSummaryRecord } from './types.js';

export const ssSummaryFormat: TextFormat<'ss-summary', SsSummaryRecord> = {
  kind: 'ss-summary',
  sniff: sniffSsSummary,
  parse: parseSsSummary,
};

export { parseSsSummary, sniffSsSummary };
export type { SsSummaryRecord, SsTotal, SsTcpCounts, SsTransport } from './types.js';
