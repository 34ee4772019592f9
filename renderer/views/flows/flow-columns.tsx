import type { FlowOut } from '../../../core/api/contract';
import { fmtDuration, fmtTime } from '../../app/format';
import { flowEnd } from './flow-end';
import type { TableColumn } from '../../components/DataTable';

export type SortKey = 'start' | 'proto' | 'orig_ip' | 'resp_ip' | 'resp_port' | 'state' | 'history' | 'duration' | 'orig_pkts' | 'orig_bytes' | 'resp_bytes' | 'rst_by' | 'source';

export interface FlowColumn extends TableColumn<FlowOut> {
  sort?: SortKey;
  width: number;
}

export const FLOW_COLUMNS: FlowColumn[] = [
  { key: 'start', title: 'Start (UTC)', get: (f) => f.start, render: (f) => fmtTime(f.start), sort: 'start', width: 190 },
  { key: 'proto', title: 'Proto', get: (f) => f.proto, sort: 'proto', width: 56 },
  { key: 'orig', title: 'Originator', get: (f) => flowEnd(f, 'orig'), sort: 'orig_ip', width: 250 },
  { key: 'resp', title: 'Responder', get: (f) => flowEnd(f, 'resp'), sort: 'resp_ip', width: 250 },
  { key: 'state', title: 'State', get: (f) => f.state, sort: 'state', width: 64 },
  { key: 'history', title: 'History', get: (f) => f.history, sort: 'history', width: 100 },
  { key: 'duration', title: 'Duration', get: (f) => f.duration, render: (f) => fmtDuration(f.duration), sort: 'duration', numeric: true, width: 84 },
  { key: 'pkts', title: 'Pkts o/r', get: (f) => `${f.orig_pkts}/${f.resp_pkts}`, sort: 'orig_pkts', numeric: true, width: 80 },
  { key: 'bytes', title: 'Bytes o/r', get: (f) => `${f.orig_bytes}/${f.resp_bytes}`, sort: 'orig_bytes', numeric: true, width: 110 },
  { key: 'rst_by', title: 'RST by', get: (f) => f.rst_by, sort: 'rst_by', width: 64 },
  { key: 'pods', title: 'Pods', get: (f) => [f.orig_pod, f.resp_pod].filter(Boolean).join(' → '), width: 160 },
  { key: 'source', title: 'Source', get: (f) => f.source, sort: 'source', width: 220 },
];
