import type { TextFormat } from '../text-format.js';
import { parseSysctl } from './reader.js';
import { sniffSysctl } from './sniff.js';
import type { SysctlRecord } from './types.js';

export type { SysctlRecord } from './types.js';

/** `sysctl` / `sysctl -a` output and named single values (nf_conntrack_max, nf_conntrack_count, timeouts, ...). */
export const sysctlFormat: TextFormat<'sysctl', SysctlRecord> = {
  kind: 'sysctl',
  sniff: sniffSysctl,
  parse: parseSysctl,
};
