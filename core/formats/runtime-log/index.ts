import type { TextFormat } from '../text-format.js';
import { parseRuntimeLog } from './reader.js';
import { sniffRuntimeLog } from './sniff.js';
import type { RuntimeLogRecord } from './types.js';

export type { RuntimeLogRecord } from './types.js';

/** containerd/kubelet journal lines and CNI plugin logs: which pod got which sandbox, containers, netns, veth and IPs. */
export const runtimeLogFormat: TextFormat<'runtime-log', RuntimeLogRecord> = {
  kind: 'runtime-log',
  sniff: sniffRuntimeLog,
  parse: parseRuntimeLog,
  // Each line is read alone (hosts are counted per piece and merged by whoever reads the records).
  lineByLine: true,
};
export { parseRuntimeLog, sniffRuntimeLog };
