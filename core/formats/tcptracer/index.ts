import type { TextFormat } from '../text-format.js';
import { parseTcpTracerCount, sniffTcpTracerCount } from './count.js';
import { parseTcpTracer } from './reader.js';
import { sniffTcpTracer } from './sniff.js';
import type { TcpTracerCountRecord, TcpTracerRecord } from './types.js';

export type { K8sEndpoint, TcpEventType, TcpTracerCountRecord, TcpTracerRecord } from './types.js';

/** BCC tcptracer (every flag combination) and Inspektor Gadget trace tcp / tcptracer tables. */
export const tcptracerFormat: TextFormat<'tcptracer', TcpTracerRecord> = {
  kind: 'tcptracer',
  sniff: sniffTcpTracer,
  parse: parseTcpTracer,
};

/** awk | sort | uniq -c counts of tcptracer columns (runbook step 3: `Count SADDR NETNS`). */
export const tcptracerCountFormat: TextFormat<'tcptracer-count', TcpTracerCountRecord> = {
  kind: 'tcptracer-count',
  sniff: sniffTcpTracerCount,
  parse: parseTcpTracerCount,
};
