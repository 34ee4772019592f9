/**
 * The one request/response contract shared by the CLI, Electron IPC and `podcap serve` HTTP.
 * Channel names are `domain.verb`. The renderer imports only types from here (and the request
 * validator, which is pure). Response row shapes are the CLI's JSON Lines shapes (DESIGN.md).
 */
import type { CompareRow } from '../analysis/compare/compare.js';
import type { ConntrackTimeline } from '../analysis/conntrack/timeline.js';
import type { FanoutOut } from '../analysis/fanout/fanout.js';
import type { FindingOut } from '../analysis/findings/findings.js';
import type { TimeWindow } from '../analysis/rollups/window-plan.js';
import type { CountBy, RstSummary } from '../analysis/rst/summary.js';
import type { RstVerdict } from '../analysis/rst/verdict.js';
import type { PortHeatmap, PortsOut } from '../analysis/snat/ports.js';
import type { DiagnosticRow } from '../db/schema.js';

// Each analysis owns its answer type; the contract hands them on so every host and the UI import one place.
export type { CompareRow, ConntrackTimeline, CountBy, DiagnosticRow, FanoutOut, FindingOut, PortHeatmap, PortsOut, RstSummary, TimeWindow };

export interface FlowTuple {
  proto: string;
  orig_ip: string;
  orig_port: number;
  resp_ip: string;
  resp_port: number;
}

/** `podcap flows` row (DESIGN.md CLI contract); times in epoch seconds. */
export interface FlowOut extends FlowTuple {
  id: number;
  start: number;
  end: number;
  duration: number;
  state: string;
  history: string;
  orig_pkts: number;
  resp_pkts: number;
  orig_bytes: number;
  resp_bytes: number;
  rst_by: 'orig' | 'resp' | 'both' | null;
  source: string;
  orig_pod: string | null;
  resp_pod: string | null;
  /** The connection's other NAT half (same ISNs, translated tuple) and its flow id; it has no row of its own in listings. */
  nat_peer: (FlowTuple & { id: number }) | null;
  /** Which NAT half this row's tuple is: pre (pod side) | post (SNAT address and port); null without NAT. */
  nat_side: 'pre' | 'post' | null;
  /** Every capture point that saw the connection, on either NAT half (`nat_side` names the half). */
  seen_at: { source: string; interface: string | null; nat_side: 'pre' | 'post' | null }[];
  origin_guessed: boolean;
}

/** `podcap rst` row (DESIGN.md CLI contract). */
export interface RstOut {
  id: number;
  ts: number;
  sender_ip: string;
  sender_port: number;
  receiver_ip: string;
  receiver_port: number;
  sender_role: 'orig' | 'resp' | 'unknown';
  ttl: number;
  ttl_baseline: number | null;
  ip_id: number | null;
  idle_before_s: number | null;
  answers_syn: boolean;
  verdict: RstVerdict;
  reason: string;
  /** Verdict node: the node's REJECT rule that matches the packet the RST answers, else null. */
  rule: string | null;
  /** Each piece of evidence behind the verdict (reason is these joined). */
  evidence: string[];
  sender_pod: string | null;
  sender_node: string | null;
  receiver_pod: string | null;
  seen_at: { source: string; interface: string | null }[];
  flow: FlowTuple & { state: string; id: number };
}

/** `podcap sources` row (DESIGN.md CLI contract). */
export interface SourceOut {
  id: number;
  path: string;
  kind: string;
  /** Named by the folder's content or --node, never by the folder name alone. */
  node: string | null;
  /** Bundle folder grouping one node's files ("" at the top; null when --node named the node). */
  folder: string | null;
  sha256: string;
  bytes: number;
  first_ts: number | null;
  last_ts: number | null;
  records: number;
  diagnostics: number;
}

export interface CaseInfo {
  path: string;
  sources: number;
  /** Connections, as the flows listing counts them (a second NAT half is not one more). */
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

export interface CompareRequest {
  /** Path of the baseline case (before); this case is after. Omitted with `windows` to compare two windows of this case. */
  against?: string;
  windows?: { before: TimeWindow; after: TimeWindow };
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
  /** Copies seen again at another capture point or on the other NAT half, left out (0 with all_sightings). */
  copies_left_out: number;
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
  'flows.pcap': { req: { id: number; all_sightings?: boolean }; res: FlowPcapOut };
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
