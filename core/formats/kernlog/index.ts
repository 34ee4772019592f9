import type { TextFormat } from '../text-format.js';
import { parseKernLog } from './reader.js';
import { sniffKernLog } from './sniff.js';
import type { KernLogRecord } from './types.js';

export type { KernEvent, KernLogRecord } from './types.js';

/** Kernel logs in every common time format, plus kube-proxy's conntrack sizing lines. */
export const kernlogFormat: TextFormat<'kernlog', KernLogRecord> = {
  kind: 'kernlog',
  sniff: sniffKernLog,
  parse: parseKernLog,
};
