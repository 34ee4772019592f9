import type { TextFormat } from '../text-format.js';
import { parseProcNet, sniffProcNet } from './reader.js';
import type { ProcNetRecord } from './types.js';

export type { ProcNetRecord, ProcSnmpRecord, ProcSocketRecord } from './types.js';

/** /proc/net/{tcp,tcp6,udp,udp6} socket tables and /proc/net/{snmp,netstat} counters. */
export const procNetFormat: TextFormat<'proc-net', ProcNetRecord> = {
  kind: 'proc-net',
  sniff: sniffProcNet,
  parse: parseProcNet,
};
