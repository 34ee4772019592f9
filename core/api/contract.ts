/**
 * The one request/response contract shared by the CLI, Electron IPC and `podcap serve` HTTP.
 * Channel names are `domain.verb`. The renderer imports only types from here (and the request
 * validator, which is pure). Response row shapes are the CLI's JSON Lines shapes (DESIGN.md).
 */
import type { DiagnosticRow } from '../db/schema.js';
import type { FlowOut } from './flows.js';
import type { RstOut } from './rst.js';
import type { SourceOut } from './sources.js';

export type { DiagnosticRow, FlowOut, RstOut, SourceOut };

/** A time window in epoch microseconds (the shared time brush). */
export interface TimeWindow {
  fromUs?: number;
  toUs?: number;
}

export interface CaseInfo {
  path: string;
  sources: number;
  flows: number;
  rsts: number;
  firstUs: number | null;
  lastUs: number | null;
  nodes: string[];
  /**
   * Set on a case of many flows: fan-out, SNAT ports, findings and compare answer a time window
   * from per-minute rollups, so the window they cover is widened to whole steps (µs). Null: exact.
   */
  windowStepUs: number | null;
}

export interface FlowListRequest extends TimeWindow {
  /** Wireshark-like display filter subset (e.g. `ip.addr == 10.244.0.5 && tcp.flags.reset == 1`, `state == REJ`). */
  filter?: string;
  sort?: { column: keyof FlowOut; desc?: boolean };
  offset?: number;
  limit?: number;
}

export interface FlowListResponse {
  rows: FlowOut[];
  /** Rows matching the filter (for the virtualized table's scroll height). */
  total: number;
}

export interface RstListRequest extends TimeWindow {
  senderIp?: string;
  limit?: number;
}

export interface CountBy {
  key: string;
  count: number;
  endpoint: number;
  middlebox: number;
  unknown: number;
}

export interface RstSummary {
  total: number;
  bySender: CountBy[];
  byReceiver: CountBy[];
  byPort: CountBy[];
  /** Per-bucket counts over time; bucket length in seconds. */
  bucketSeconds: number;
  overTime: { ts: number; endpoint: number; middlebox: number; unknown: number }[];
}

/** `podcap fanout` row. */
export interface FanoutOut {
  who: string;
  namespace: string | null;
  netns: string | null;
  node: string | null;
  connections: number;
  destinations: number;
  public_destinations: number;
  peak_per_minute: number;
  median_lifetime_s: number | null;
  one_request_share: number | null;
  evidence: string;
  /** Top destinations for the pod → destination graph. */
  top_destinations: { ip: string; port: number; connections: number; public: boolean }[];
}

/** `podcap ports` row. */
export interface PortsOut {
  snat_ip: string;
  dst_ip: string;
  dst_port: number;
  distinct_src_ports: number;
  peak_concurrent: number;
  first_ts: number | null;
  last_ts: number | null;
  allocation: number;
  utilization: number;
  reused_ports: number;
  min_reuse_gap_s: number | null;
  time_wait_held: number;
  /** Attempts answered by a stale ACK then reset: a port reused while the peer still held its old connection. */
  stale_ack_resets: number;
  pods: { pod: string; ports: number }[];
}

/** Source-port × time cells for the port-usage heatmap of one destination. */
export interface PortHeatmap {
  dst_ip: string;
  dst_port: number;
  bucketSeconds: number;
  portBucket: number;
  cells: { ts: number; port: number; count: number }[];
}

export interface ConntrackTimeline {
  max: number | null;
  points: { ts: number; count: number; source: string }[];
  tableFull: { ts: number; count: number; node: string | null }[];
  stats: { node: string | null; cpu: number | null; drop: number; insert_failed: number; early_drop: number }[];
}

/** `podcap correlate` row. */
export interface CorrelateOut {
  ip: string;
  pod: string | null;
  namespace: string | null;
  container_ids: string[];
  netns_inode: number | null;
  veth: string | null;
  ifindex: number | null;
  node: string | null;
  first_ts: number | null;
  last_ts: number | null;
  evidence: { link: string; source: string; line: number | null }[];
}

/** `podcap findings` row. */
export interface FindingOut {
  id: string;
  rule: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  detail: string;
  evidence: { source: string; lines?: number[]; packets?: number; flows?: number[] }[];
  next_step: string;
}

export interface CompareRequest {
  /** Path of the other case (B); omitted with `windows` to compare two windows of this case. */
  against?: string;
  windows?: { a: TimeWindow; b: TimeWindow };
}

export interface CompareRow {
  section: 'connection_rate' | 'rst_rate' | 'destinations' | 'snat_ports' | 'findings';
  key: string;
  a: number | string | null;
  b: number | string | null;
  delta: number | null;
  change: 'new' | 'gone' | 'up' | 'down' | 'same';
}

export interface IngestStartRequest {
  /** Server-side paths (Electron: chosen files; serve: uploaded files). */
  paths: string[];
}

/** A flow's packets for Wireshark (base64, since the contract is JSON over HTTP and IPC alike). */
export interface FlowPcapOut {
  name: string;
  format: 'pcap' | 'pcapng';
  packets: number;
  base64: string;
}

export interface IngestJob {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: import('../ingest/progress.js').IngestProgress | null;
  results: import('../ingest/ingest.js').IngestResult[];
  error?: string;
}

export type { DropOut } from '../analysis/drops/drops.js';
import type { DropOut } from '../analysis/drops/drops.js';

/** Every channel with its request and response types. */
export interface ApiMethods {
  'case.info': { req: Record<string, never>; res: CaseInfo };
  'sources.list': { req: Record<string, never>; res: SourceOut[] };
  'diagnostics.list': { req: { sourceId?: number }; res: DiagnosticRow[] };
  'flows.list': { req: FlowListRequest; res: FlowListResponse };
  'flows.pcap': { req: { id: number }; res: FlowPcapOut };
  'rst.list': { req: RstListRequest; res: RstOut[] };
  'rst.summary': { req: TimeWindow & { bucketSeconds?: number }; res: RstSummary };
  'fanout.list': { req: TimeWindow & { limit?: number }; res: FanoutOut[] };
  'drops.list': { req: TimeWindow & { limit?: number }; res: DropOut[] };
  'ports.list': { req: TimeWindow & { allocation?: number; limit?: number }; res: PortsOut[] };
  'ports.heatmap': { req: TimeWindow & { dstIp: string; dstPort: number }; res: PortHeatmap };
  'conntrack.timeline': { req: TimeWindow; res: ConntrackTimeline };
  'correlate.list': { req: { ip?: string }; res: CorrelateOut[] };
  'findings.list': { req: TimeWindow; res: FindingOut[] };
  'compare.run': { req: CompareRequest; res: CompareRow[] };
  'ingest.start': { req: IngestStartRequest; res: { jobId: string } };
  'ingest.status': { req: { jobId: string }; res: IngestJob };
  'ingest.cancel': { req: { jobId: string }; res: { ok: boolean } };
}

export type ApiChannel = keyof ApiMethods;
export type ApiRequest<C extends ApiChannel> = ApiMethods[C]['req'];
export type ApiResponse<C extends ApiChannel> = ApiMethods[C]['res'];

export const API_CHANNELS: readonly ApiChannel[] = [
  'case.info', 'sources.list', 'diagnostics.list', 'flows.list', 'flows.pcap', 'rst.list', 'rst.summary', 'fanout.list', 'drops.list', 'ports.list',
  'ports.heatmap', 'conntrack.timeline', 'correlate.list', 'findings.list', 'compare.run', 'ingest.start', 'ingest.status', 'ingest.cancel',
] as const;

/** The client side of the contract: IPC in Electron, HTTP against `podcap serve` in a browser. */
export interface ApiClient {
  call<C extends ApiChannel>(channel: C, req: ApiRequest<C>): Promise<ApiResponse<C>>;
}

/** The app's views, in tab and menu order (the renderer's tabs and Electron's View menu). */
export const VIEWS = [
  { id: 'sources', label: 'Sources' },
  { id: 'findings', label: 'Findings' },
  { id: 'rst', label: 'RST origins' },
  { id: 'fanout', label: 'Fan-out' },
  { id: 'ports', label: 'Port usage' },
  { id: 'flows', label: 'Flows' },
  { id: 'correlate', label: 'Correlation' },
  { id: 'compare', label: 'Compare' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
