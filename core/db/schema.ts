import type { TableSpec } from './table-spec.js';

/**
 * The case file's tables. Times are integer microseconds since the epoch (UTC); bytes are
 * transport payload bytes unless a column says otherwise. A migration creates or alters these;
 * test/db/schema.test.ts checks that the migrated database matches this declaration.
 */
export const SOURCES: TableSpec = {
  name: 'sources',
  doc: 'One row per ingested file (an archive member is its own source).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Source id.' },
    { name: 'path', type: 'TEXT', notNull: true, doc: 'Path as given, or archive path + "!/" + member path.' },
    { name: 'kind', type: 'TEXT', notNull: true, doc: 'Detected kind: pcap, pcapng, conntrack, tcptracer, ..., unknown.' },
    { name: 'node', type: 'TEXT', doc: 'Node the file was collected on: given with --node, or named by the content of its folder (hostname, kubectl, the node IP on its uplink); never the folder name alone.' },
    { name: 'sha256', type: 'TEXT', notNull: true, unique: true, doc: 'Hash of the bytes as stored (compressed if the file was); re-ingesting the same bytes is a no-op. Another node folder\'s byte-identical node-local dump is kept as `hash@folder`; a Retina section as `hash#n`.' },
    { name: 'bytes', type: 'INTEGER', notNull: true, doc: 'File size in bytes.' },
    { name: 'first_ts', type: 'INTEGER', doc: 'Earliest record time (µs), when records carry time.' },
    { name: 'last_ts', type: 'INTEGER', doc: 'Latest record time (µs).' },
    { name: 'records', type: 'INTEGER', notNull: true, doc: 'Packets (captures) or records (text dumps) read.' },
    { name: 'ingested_at', type: 'INTEGER', notNull: true, doc: 'When it was ingested (µs).' },
    { name: 'detail', type: 'TEXT', doc: 'JSON with kind-specific facts (capture format, link types, decode counters).' },
    { name: 'folder', type: 'TEXT', since: 11, doc: 'Bundle folder the file was found in (first path component; "" at the top), which groups the files of one node; null when --node named the node.' },
  ],
};

export const INTERFACES: TableSpec = {
  name: 'capture_interfaces',
  doc: 'Interfaces of a capture file (pcapng IDBs; one synthetic row for classic pcap).',
  columns: [
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Capture source.' },
    { name: 'iface', type: 'INTEGER', notNull: true, doc: 'Interface index within the file (global across pcapng sections).' },
    { name: 'name', type: 'TEXT', doc: 'if_name option (e.g. cali1234abcd, any), when given.' },
    { name: 'description', type: 'TEXT', doc: 'if_description option.' },
    { name: 'link_type', type: 'INTEGER', notNull: true, doc: 'LINKTYPE_* value.' },
    { name: 'snaplen', type: 'INTEGER', notNull: true, doc: 'Snapshot length.' },
    { name: 'packets', type: 'INTEGER', notNull: true, doc: 'Packets read on this interface.' },
  ],
  indexes: [{ name: 'capture_interfaces_pk', columns: ['source_id', 'iface'], unique: true }],
};

export const DIAGNOSTICS: TableSpec = {
  name: 'diagnostics',
  doc: 'Problems in the input that podcap survived (codes: core/diagnostics.ts).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'source_id', type: 'INTEGER', references: 'sources(id)', doc: 'Source it concerns; null for case-wide ones.' },
    { name: 'path', type: 'TEXT', doc: 'File it concerns (kept also for inputs that never became a source).' },
    { name: 'code', type: 'TEXT', notNull: true, doc: 'Catalog code.' },
    { name: 'severity', type: 'TEXT', notNull: true, doc: 'info | dataLoss | error.' },
    { name: 'message', type: 'TEXT', notNull: true, doc: 'Human-readable explanation.' },
    { name: 'offset', type: 'INTEGER', doc: 'Byte offset in the (decompressed) file.' },
    { name: 'line', type: 'INTEGER', doc: '1-based line number for text dumps.' },
  ],
  indexes: [{ name: 'diagnostics_source', columns: ['source_id'] }],
};

export const FLOWS: TableSpec = {
  name: 'flows',
  doc: 'Connections with Zeek conn.log semantics; one row per connection however many capture points saw it.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Flow id.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'First capture source that saw it; a Hubble dump (sources.kind hubble) for a connection only Hubble logged (no ISNs, TTLs or byte counts: -1/0). Hubble rows are remade in each correlate phase and folded into a capture\'s row of the same connection.' },
    { name: 'proto', type: 'TEXT', notNull: true, doc: 'tcp | udp | icmp.' },
    { name: 'orig_ip', type: 'TEXT', notNull: true, doc: 'Originator address (SYN sender; else first sender).' },
    { name: 'orig_port', type: 'INTEGER', notNull: true, doc: 'Originator port (ICMP: type).' },
    { name: 'resp_ip', type: 'TEXT', notNull: true, doc: 'Responder address.' },
    { name: 'resp_port', type: 'INTEGER', notNull: true, doc: 'Responder port (ICMP: code).' },
    { name: 'start_us', type: 'INTEGER', notNull: true, doc: 'First packet time.' },
    { name: 'end_us', type: 'INTEGER', notNull: true, doc: 'Last packet time.' },
    { name: 'state', type: 'TEXT', notNull: true, doc: 'Zeek conn_state: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH.' },
    { name: 'history', type: 'TEXT', notNull: true, doc: 'Zeek history letters (upper case = originator).' },
    { name: 'orig_pkts', type: 'INTEGER', notNull: true, doc: 'Packets from the originator (deduplicated across capture points).' },
    { name: 'resp_pkts', type: 'INTEGER', notNull: true, doc: 'Packets from the responder.' },
    { name: 'orig_bytes', type: 'INTEGER', notNull: true, doc: 'Payload bytes from the originator, as Zeek (TCP: from sequence numbers).' },
    { name: 'resp_bytes', type: 'INTEGER', notNull: true, doc: 'Payload bytes from the responder.' },
    { name: 'orig_ip_bytes', type: 'INTEGER', notNull: true, doc: 'IP-level bytes from the originator.' },
    { name: 'resp_ip_bytes', type: 'INTEGER', notNull: true, doc: 'IP-level bytes from the responder.' },
    { name: 'missed_bytes', type: 'INTEGER', notNull: true, doc: 'Sequence space not seen (content gaps), as Zeek.' },
    { name: 'origin_guessed', type: 'INTEGER', notNull: true, doc: '1 when no SYN fixed the direction (first sender taken as originator).' },
    { name: 'rst_by', type: 'TEXT', doc: 'orig | resp | both | null: who sent RSTs.' },
    { name: 'orig_isn', type: 'INTEGER', notNull: true, doc: 'Originator initial sequence number, -1 when unseen.' },
    { name: 'resp_isn', type: 'INTEGER', notNull: true, doc: 'Responder initial sequence number, -1 when unseen.' },
    { name: 'orig_ttl', type: 'INTEGER', notNull: true, doc: 'TTL / hop limit of the first originator packet, -1 when none.' },
    { name: 'resp_ttl', type: 'INTEGER', notNull: true, doc: 'TTL / hop limit of the first responder packet, -1 when none.' },
    { name: 'dup_pkts', type: 'INTEGER', notNull: true, doc: 'Copies of packets seen again at another capture point (not counted).' },
    { name: 'icmp_errors', type: 'INTEGER', notNull: true, doc: 'ICMP errors (e.g. port unreachable) whose embedded packet belongs to this flow.' },
    { name: 'tunnel', type: 'TEXT', doc: 'JSON {kind, vni, outerSrc, outerDst} when the flow was VXLAN/Geneve encapsulated.' },
    { name: 'nat_peer', type: 'INTEGER', doc: 'Flow id of the other NAT half of this connection (same ISNs, translated tuple).' },
    { name: 'nat_side', type: 'TEXT', since: 4, doc: 'pre | post: which NAT half this is (post carries the SNAT address and port); null without a peer.' },
    { name: 'orig_pod', type: 'TEXT', since: 5, doc: 'namespace/name of the pod the originator address belonged to at the flow\'s start (identity graph); null when none.' },
    { name: 'requests', type: 'INTEGER', since: 5, doc: 'TCP: originator data bursts that followed responder data (requests carried); 1 = used once, no reuse.' },
    { name: 'resp_pod', type: 'TEXT', since: 5, doc: 'Likewise for the responder.' },
    { name: 'folded_into', type: 'INTEGER', since: 12, doc: 'On the second NAT half of a connection: the flow id (its nat_peer) the connection is listed under, so listings and filters count it once (the pre-NAT, pod-side half is listed; on a tie, the lower id). Null on a flow listed as itself.' },
  ],
  // Deferred ones: kept up to date row by row they were most of a first ingest's storing cost
  // (core/db/flow-indexes.ts); flows_tuple and flows_isn stay, the twin and NAT lookups read them while writing.
  // 'parse': built again once the captures are in; 'correlate': after the correlate phase, which writes their columns.
  indexes: [
    { name: 'flows_orig', columns: ['orig_ip', 'start_us'], deferred: 'parse' },
    { name: 'flows_resp', columns: ['resp_ip', 'resp_port', 'start_us'], deferred: 'parse' },
    { name: 'flows_start', columns: ['start_us'], deferred: 'parse' },
    { name: 'flows_tuple', columns: ['orig_ip', 'orig_port', 'resp_ip', 'resp_port'] },
    { name: 'flows_isn', columns: ['orig_isn', 'resp_isn'] },
    { name: 'flows_state', columns: ['state'], droppedIn: 9 },
    { name: 'flows_state_start', columns: ['state', 'start_us', 'resp_port'], since: 9, deferred: 'parse' },
    // Refused connections (one side of a NAT pair) with all the refused-port finding reads: few rows, no table reads.
    // The flows table's heavy-hitter sorts (bytes, packets, duration): without them a sorted page read every flow.
    { name: 'flows_orig_bytes', columns: ['orig_bytes'], indexPhase: true },
    { name: 'flows_resp_bytes', columns: ['resp_bytes'], indexPhase: true },
    { name: 'flows_orig_pkts', columns: ['orig_pkts'], indexPhase: true },
    { name: 'flows_resp_pkts', columns: ['resp_pkts'], indexPhase: true },
    { name: 'flows_duration', columns: ['(end_us - start_us)'], indexPhase: true },
    { name: 'flows_refused', columns: ['start_us', 'resp_ip', 'resp_port', 'orig_ip', 'state', 'nat_side'], since: 9, where: "state = 'REJ' AND (nat_side IS NULL OR nat_side = 'pre')", deferred: 'correlate' },
    { name: 'flows_nat_side', columns: ['nat_side', 'orig_ip'], since: 4, deferred: 'correlate' },
    { name: 'flows_orig_pod', columns: ['orig_pod', 'start_us'], since: 5, deferred: 'correlate' },
  ],
};

export const FLOW_SIGHTINGS: TableSpec = {
  name: 'flow_sightings',
  doc: 'Capture points (source + interface) where a flow was seen.',
  columns: [
    { name: 'flow_id', type: 'INTEGER', notNull: true, references: 'flows(id)', doc: 'Flow.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Capture source.' },
    { name: 'iface', type: 'INTEGER', notNull: true, doc: 'Interface index within that source.' },
    { name: 'ifindex', type: 'INTEGER', notNull: true, doc: 'Linux ifindex from the SLL2 header (the real interface of a `-i any` capture), -1 when none.' },
  ],
  indexes: [{ name: 'flow_sightings_pk', columns: ['flow_id', 'source_id', 'iface', 'ifindex'], unique: true }],
};

export const RST_EVENTS: TableSpec = {
  name: 'rst_events',
  doc: 'One row per RST segment, however many capture points saw it.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Event id.' },
    { name: 'flow_id', type: 'INTEGER', notNull: true, references: 'flows(id)', doc: 'Flow the RST belongs to.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'First source that saw it.' },
    { name: 'ts_us', type: 'INTEGER', notNull: true, doc: 'Time of the RST.' },
    { name: 'sender_ip', type: 'TEXT', notNull: true, doc: 'Source address of the RST.' },
    { name: 'sender_port', type: 'INTEGER', notNull: true, doc: 'Source port of the RST.' },
    { name: 'receiver_ip', type: 'TEXT', notNull: true, doc: 'Destination address of the RST.' },
    { name: 'receiver_port', type: 'INTEGER', notNull: true, doc: 'Destination port of the RST.' },
    { name: 'sender_role', type: 'TEXT', notNull: true, doc: 'orig | resp | unknown.' },
    { name: 'flags', type: 'INTEGER', notNull: true, doc: 'TCP flags byte.' },
    { name: 'seq', type: 'INTEGER', notNull: true, doc: 'Sequence number.' },
    { name: 'ack', type: 'INTEGER', notNull: true, doc: 'Acknowledgement number.' },
    { name: 'ttl', type: 'INTEGER', notNull: true, doc: 'TTL / hop limit of the RST.' },
    { name: 'ip_id', type: 'INTEGER', notNull: true, doc: 'IPv4 identification, -1 for IPv6.' },
    { name: 'sender_prev_ttl', type: 'INTEGER', notNull: true, doc: 'TTL of the sender\'s previous non-RST packet on the flow, -1 when none.' },
    { name: 'sender_prev_ip_id', type: 'INTEGER', notNull: true, doc: 'IP ID of that packet, -1 when none.' },
    { name: 'idle_before_us', type: 'INTEGER', notNull: true, doc: 'Time since the flow\'s previous packet, -1 when the RST is the first.' },
    { name: 'answers_syn', type: 'INTEGER', notNull: true, doc: '1 when the RST answers a SYN (refused port).' },
    { name: 'payload_len', type: 'INTEGER', notNull: true, doc: 'Payload bytes carried by the RST.' },
    { name: 'ttl_baseline', since: 4, type: 'INTEGER', doc: 'The sender\'s usual TTL (same flow, else its other flows), null when unknown.' },
    { name: 'verdict', since: 4, type: 'TEXT', doc: 'endpoint | node | middlebox-suspect | unknown (core/analysis/rst/verdict.ts).' },
    { name: 'reason', since: 4, type: 'TEXT', doc: 'Why, in words: the evidence behind the verdict.' },
    { name: 'quiet_before_us', since: 6, type: 'INTEGER', doc: 'Longest quiet gap just before the RST (before it, or before the packet it answers): what an idle timer saw; -1 unknown.' },
    { name: 'sender_who', since: 7, type: 'TEXT', doc: 'The sender as the RST views group it: its pod on this flow (namespace/name), else its address (the correlate phase).' },
    { name: 'receiver_who', since: 7, type: 'TEXT', doc: 'Likewise for the receiver.' },
    { name: 'dst_port', since: 7, type: 'INTEGER', doc: 'The flow\'s responder port (the service port the connection was made to).' },
    { name: 'rule', since: 10, type: 'TEXT', doc: 'Verdict node: the node\'s REJECT rule (iptables-save text) that matches the packet the RST answers; null when none matched.' },
    { name: 'evidence', since: 10, type: 'TEXT', doc: 'JSON array of strings: each piece of evidence behind the verdict.' },
  ],
  indexes: [
    { name: 'rst_events_flow', columns: ['flow_id'] },
    { name: 'rst_events_ts', columns: ['ts_us'] },
    { name: 'rst_events_sender', columns: ['sender_ip', 'ts_us'] },
    { name: 'rst_events_verdict', columns: ['verdict', 'ts_us'], since: 4 },
    // Covering indexes for the RST summaries' GROUP BYs (index-only scans, no sort).
    { name: 'rst_events_sender_who', columns: ['sender_who', 'verdict', 'ts_us'], since: 7 },
    { name: 'rst_events_receiver_who', columns: ['receiver_who', 'verdict', 'ts_us'], since: 7 },
    { name: 'rst_events_dst_port', columns: ['dst_port', 'verdict', 'ts_us'], since: 7 },
    { name: 'rst_events_ts_verdict', columns: ['ts_us', 'verdict'], since: 7, droppedIn: 9 },
    { name: 'rst_events_ts_verdict_who', columns: ['ts_us', 'verdict', 'sender_who'], since: 9, droppedIn: 14 },
    // A window's RST summary (by sender, receiver, port, over time) and compare's rates read only this: no row of the table.
    { name: 'rst_events_ts_cover', columns: ['ts_us', 'verdict', 'sender_who', 'receiver_who', 'dst_port'], since: 14 },
  ],
};

export const RST_SIGHTINGS: TableSpec = {
  name: 'rst_sightings',
  doc: 'Capture points where a RST event was seen.',
  columns: [
    { name: 'rst_id', type: 'INTEGER', notNull: true, references: 'rst_events(id)', doc: 'RST event.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Capture source.' },
    { name: 'iface', type: 'INTEGER', notNull: true, doc: 'Interface index within that source.' },
    { name: 'ifindex', type: 'INTEGER', notNull: true, doc: 'Linux ifindex from the SLL2 header, -1 when none.' },
  ],
  indexes: [{ name: 'rst_sightings_pk', columns: ['rst_id', 'source_id', 'iface', 'ifindex'], unique: true }],
};


export interface SourceRow {
  id: number;
  path: string;
  kind: string;
  node: string | null;
  sha256: string;
  bytes: number;
  first_ts: number | null;
  last_ts: number | null;
  records: number;
  ingested_at: number;
  detail: string | null;
}

export interface FlowRow {
  id: number;
  source_id: number;
  proto: string;
  orig_ip: string;
  orig_port: number;
  resp_ip: string;
  resp_port: number;
  start_us: number;
  end_us: number;
  state: string;
  history: string;
  orig_pkts: number;
  resp_pkts: number;
  orig_bytes: number;
  resp_bytes: number;
  orig_ip_bytes: number;
  resp_ip_bytes: number;
  missed_bytes: number;
  origin_guessed: number;
  rst_by: string | null;
  orig_isn: number;
  resp_isn: number;
  orig_ttl: number;
  resp_ttl: number;
  dup_pkts: number;
  icmp_errors: number;
  tunnel: string | null;
  nat_peer: number | null;
  nat_side: string | null;
  orig_pod: string | null;
  resp_pod: string | null;
  requests: number | null;
  folded_into: number | null;
}

export interface RstEventRow {
  id: number;
  flow_id: number;
  source_id: number;
  ts_us: number;
  sender_ip: string;
  sender_port: number;
  receiver_ip: string;
  receiver_port: number;
  sender_role: string;
  flags: number;
  seq: number;
  ack: number;
  ttl: number;
  ip_id: number;
  sender_prev_ttl: number;
  sender_prev_ip_id: number;
  idle_before_us: number;
  answers_syn: number;
  payload_len: number;
  ttl_baseline: number | null;
  verdict: string | null;
  reason: string | null;
  quiet_before_us: number | null;
  rule: string | null;
  evidence: string | null;
}

export interface DiagnosticRow {
  id: number;
  source_id: number | null;
  path: string | null;
  code: string;
  severity: string;
  message: string;
  offset: number | null;
  line: number | null;
}

export const RECORDS: TableSpec = {
  name: 'records',
  doc: 'Every record parsed from a text dump, verbatim as JSON, so nothing a parser understood is lost.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Source file.' },
    { name: 'kind', type: 'TEXT', notNull: true, doc: 'Format kind (tcptracer, conntrack, crictl, ...).' },
    { name: 'rtype', type: 'TEXT', doc: 'Record sub-type within the format (conntrack: entry/stats/...; crictl: container/pod/...).' },
    { name: 'line', type: 'INTEGER', doc: '1-based line of the record in its file.' },
    { name: 'ts_us', type: 'INTEGER', doc: 'Record time when it carries one (µs).' },
    { name: 'data', type: 'TEXT', notNull: true, doc: 'The typed record as JSON (types in core/formats/<kind>/types.ts).' },
  ],
  indexes: [
    { name: 'records_kind', columns: ['kind', 'rtype'] },
    { name: 'records_source', columns: ['source_id'] },
  ],
};

export const TCP_EVENTS: TableSpec = {
  name: 'tcp_events',
  doc: 'TCP connect/accept/close events from tcptracer-like tools and Inspektor Gadget trace tcp/tcpconnect (and the counted form of the runbook).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Source file.' },
    { name: 'line', type: 'INTEGER', notNull: true, doc: '1-based line.' },
    { name: 'ts_us', type: 'INTEGER', doc: 'Event time (µs); relative to the first event when ts_relative = 1.' },
    { name: 'ts_relative', type: 'INTEGER', notNull: true, doc: '1 when ts_us counts from the trace start rather than the epoch.' },
    { name: 'type', type: 'TEXT', notNull: true, doc: 'connect | accept | close | unknown.' },
    { name: 'pid', type: 'INTEGER', doc: 'Process id.' },
    { name: 'comm', type: 'TEXT', doc: 'Process name (hostile string).' },
    { name: 'saddr', type: 'TEXT', doc: 'Source address (null when masked or absent).' },
    { name: 'daddr', type: 'TEXT', doc: 'Destination address.' },
    { name: 'sport', type: 'INTEGER', doc: 'Source port.' },
    { name: 'dport', type: 'INTEGER', doc: 'Destination port.' },
    { name: 'netns', type: 'INTEGER', doc: 'Network namespace inode.' },
    { name: 'count', type: 'INTEGER', notNull: true, doc: 'Events this row stands for (1, or N for an `uniq -c` count line).' },
    { name: 'pod', type: 'TEXT', since: 13, doc: 'namespace/pod the tracer itself named for the process (Inspektor Gadget enrichment); null for bcc.' },
    { name: 'tool', type: 'TEXT', since: 13, doc: 'Record kind the event came from (tcptracer, tcptracer-count, inspektor-gadget); null in cases made before.' },
  ],
  indexes: [
    { name: 'tcp_events_saddr', columns: ['saddr'] },
    { name: 'tcp_events_netns', columns: ['netns'] },
  ],
};

export const CONNTRACK_ENTRIES: TableSpec = {
  name: 'conntrack_entries',
  doc: 'conntrack -L entries and -E events (both tuples kept exactly: with SNAT the reply tuple carries the node IP and SNAT port).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Source file.' },
    { name: 'line', type: 'INTEGER', notNull: true, doc: '1-based line.' },
    { name: 'ts_us', type: 'INTEGER', doc: 'Event time (-E -o timestamp), or null for a -L snapshot.' },
    { name: 'event', type: 'TEXT', doc: 'NEW | UPDATE | DESTROY for events; null for a listing.' },
    { name: 'proto', type: 'TEXT', notNull: true, doc: 'Layer-4 protocol name.' },
    { name: 'state', type: 'TEXT', doc: 'TCP conntrack state (ESTABLISHED, TIME_WAIT, ...).' },
    { name: 'timeout', type: 'INTEGER', doc: 'Seconds left before the entry expires.' },
    { name: 'orig_src', type: 'TEXT', notNull: true, doc: 'Original direction source (the pod, before SNAT).' },
    { name: 'orig_dst', type: 'TEXT', notNull: true, doc: 'Original direction destination.' },
    { name: 'orig_sport', type: 'INTEGER', doc: 'Original source port.' },
    { name: 'orig_dport', type: 'INTEGER', doc: 'Original destination port.' },
    { name: 'reply_src', type: 'TEXT', notNull: true, doc: 'Reply direction source (the backend after DNAT).' },
    { name: 'reply_dst', type: 'TEXT', notNull: true, doc: 'Reply direction destination (the SNAT address when translated).' },
    { name: 'reply_sport', type: 'INTEGER', doc: 'Reply source port.' },
    { name: 'reply_dport', type: 'INTEGER', doc: 'Reply destination port (the SNAT port when translated).' },
    { name: 'assured', type: 'INTEGER', notNull: true, doc: '1 when [ASSURED].' },
    { name: 'unreplied', type: 'INTEGER', notNull: true, doc: '1 when [UNREPLIED].' },
    { name: 'mark', type: 'INTEGER', doc: 'Connection mark.' },
    { name: 'zone', type: 'INTEGER', doc: 'Conntrack zone.' },
  ],
  indexes: [
    { name: 'conntrack_orig', columns: ['orig_src', 'orig_dst'] },
    { name: 'conntrack_reply', columns: ['reply_dst', 'reply_src', 'reply_sport'] },
  ],
};

export const KERNEL_EVENTS: TableSpec = {
  name: 'kernel_events',
  doc: 'Kernel log events that matter to networking ("nf_conntrack: table full, dropping packet", ratelimits, ...).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'source_id', type: 'INTEGER', notNull: true, references: 'sources(id)', doc: 'Source file.' },
    { name: 'line', type: 'INTEGER', notNull: true, doc: '1-based line.' },
    { name: 'ts_us', type: 'INTEGER', doc: 'Event time (µs), when the log line has one.' },
    { name: 'event', type: 'TEXT', notNull: true, doc: 'Event name (core/formats/kernlog/types.ts KernEvent).' },
    { name: 'count', type: 'INTEGER', doc: 'Suppressed-callback count, for ratelimit lines.' },
    { name: 'value', type: 'INTEGER', doc: 'A value the line sets (e.g. nf_conntrack_max).' },
    { name: 'host', type: 'TEXT', doc: 'Host named by the log line.' },
  ],
  indexes: [{ name: 'kernel_events_ts', columns: ['event', 'ts_us'] }],
};

export const IDENTITIES: TableSpec = {
  name: 'identities',
  doc: 'The identity graph resolved from all sources: an IP (or a netns) and the pod, service or node it belongs to, with evidence. Rebuilt after every ingest.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'kind', type: 'TEXT', notNull: true, doc: 'pod | node | service | netns.' },
    { name: 'ip', type: 'TEXT', doc: 'Address, null when only the netns is known.' },
    { name: 'pod', type: 'TEXT', doc: 'Pod name.' },
    { name: 'namespace', type: 'TEXT', doc: 'Kubernetes namespace.' },
    { name: 'service', type: 'TEXT', doc: 'namespace/name of the service owning a cluster IP.' },
    { name: 'container_ids', type: 'TEXT', notNull: true, doc: 'JSON array of container ids (full or the prefixes tools print).' },
    { name: 'sandbox_ids', type: 'TEXT', notNull: true, doc: 'JSON array of pod sandbox ids.' },
    { name: 'netns_inode', type: 'INTEGER', doc: 'Network namespace inode.' },
    { name: 'veth', type: 'TEXT', doc: 'Node-side veth of the pod (e.g. cali0ba5b84d8aa).' },
    { name: 'ifindex', type: 'INTEGER', doc: 'ifindex of that veth on the node.' },
    { name: 'node', type: 'TEXT', doc: 'Node name.' },
    { name: 'first_us', type: 'INTEGER', doc: 'Start of the time the IP belonged to this owner, when known.' },
    { name: 'last_us', type: 'INTEGER', doc: 'End of that time (the next owner\'s start), when known.' },
    { name: 'evidence', type: 'TEXT', notNull: true, doc: 'JSON array of {link, source, line}: every file and line the chain went through.' },
  ],
  indexes: [
    { name: 'identities_ip', columns: ['ip'] },
    { name: 'identities_netns', columns: ['netns_inode'] },
    // Fan-out describes each top opener by pod name or IP: without it the OR scanned the table once per opener.
    { name: 'identities_pod', columns: ['pod'], since: 15 },
  ],
};

export const ANSWERS: TableSpec = {
  name: 'answers',
  doc: 'Whole-case answers (fan-out, SNAT ports, findings) computed once after each ingest, so the views and commands without a time window read them instead of scanning every flow.',
  columns: [
    { name: 'name', type: 'TEXT', primaryKey: true, doc: 'What was computed: fanout | ports | findings | rst-summary, or rollups (the minute rollups are current; JSON {minuteUs, flows}).' },
    { name: 'json', type: 'TEXT', notNull: true, doc: 'The answer as the api returns it (JSON array).' },
    { name: 'computed_at', type: 'INTEGER', notNull: true, doc: 'When it was computed (µs).' },
  ],
};

export const OPENER_MINUTES: TableSpec = {
  name: 'opener_minutes',
  doc: 'Fan-out rollup: per opener (pod, else address) and minute, the pre-NAT TCP connections it started. Rebuilt in the index phase; time-windowed fan-out over a large case sums these instead of its flows.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'minute', type: 'INTEGER', notNull: true, doc: 'start_us / 60,000,000 of the connections.' },
    { name: 'who', type: 'TEXT', notNull: true, doc: 'namespace/pod, or the originator address without a pod.' },
    { name: 'is_pod', type: 'INTEGER', notNull: true, doc: '1 when who is a pod.' },
    { name: 'connections', type: 'INTEGER', notNull: true, doc: 'Connections started.' },
    { name: 'one_request', type: 'INTEGER', notNull: true, doc: 'Of those, how many carried exactly one request.' },
    { name: 'dests', type: 'BLOB', notNull: true, doc: 'uint32 pairs (rollup_dests id, connections), host byte order.' },
    { name: 'lifetimes', type: 'BLOB', notNull: true, doc: 'float64 lifetime of each connection (µs), for exact medians.' },
  ],
  indexes: [{ name: 'opener_minutes_minute', columns: ['minute', 'who'] }],
};

export const SNAT_MINUTES: TableSpec = {
  name: 'snat_minutes',
  doc: 'SNAT port rollup: per (SNAT address, destination, port) and minute, the source ports in use and the peaks (core/analysis/cells/snat-cells.ts). Rebuilt in the index phase.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'snat_ip', type: 'TEXT', notNull: true, doc: 'Translated source address.' },
    { name: 'dst_ip', type: 'TEXT', notNull: true, doc: 'Destination address.' },
    { name: 'dst_port', type: 'INTEGER', notNull: true, doc: 'Destination port.' },
    { name: 'minute', type: 'INTEGER', notNull: true, doc: 'Minute (µs / 60,000,000).' },
    { name: 'first_us', type: 'INTEGER', doc: 'Earliest start among the connections active in the minute.' },
    { name: 'last_us', type: 'INTEGER', doc: 'Latest end among them.' },
    { name: 'peak_concurrent', type: 'INTEGER', notNull: true, doc: 'Most ports in use at one instant of the minute.' },
    { name: 'peak_held', type: 'INTEGER', notNull: true, doc: 'Most ports held (in use or in the hold after close) at one instant.' },
    { name: 'held_after_close', type: 'INTEGER', notNull: true, doc: 'Ports held only after close at the first instant of that peak.' },
    { name: 'reuse', type: 'BLOB', doc: 'float64 quads (port, previous use end, start, end) of port reuses starting in the minute; null when none.' },
    { name: 'active_at', type: 'INTEGER', notNull: true, doc: 'Where this group\'s active ports start in snat_active.ports of the minute (uint16 units).' },
    { name: 'active_len', type: 'INTEGER', notNull: true, doc: 'How many uint16 they take (0: ports only held).' },
    { name: 'stale_acks', type: 'INTEGER', notNull: true, doc: 'Attempts starting in the minute answered by a stale ACK and reset (port reused while the peer still held it).' },
  ],
  indexes: [{ name: 'snat_minutes_minute', columns: ['minute'] }],
};

export const SNAT_ACTIVE: TableSpec = {
  name: 'snat_active',
  doc: 'The source ports in use of every SNAT group in one minute, in one blob: a window reads one row per minute instead of one per group and minute.',
  columns: [
    { name: 'minute', type: 'INTEGER', primaryKey: true, doc: 'Minute (µs / 60,000,000).' },
    { name: 'ports', type: 'BLOB', notNull: true, doc: 'Per group (snat_minutes.active_at/active_len), uint16 segments [rollup_pods id (low, high 16 bits; 0 = none), count, distinct source ports...].' },
  ],
};

export const DEST_MINUTES: TableSpec = {
  name: 'dest_minutes',
  doc: 'Destination rollup: per destination and minute, the pre-NAT TCP connections started to it (compare\'s destinations new and gone).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'minute', type: 'INTEGER', notNull: true, doc: 'start_us / 60,000,000 of the connections.' },
    { name: 'dest_id', type: 'INTEGER', notNull: true, doc: 'rollup_dests id.' },
    { name: 'connections', type: 'INTEGER', notNull: true, doc: 'Connections started.' },
  ],
  indexes: [{ name: 'dest_minutes_minute', columns: ['minute', 'dest_id', 'connections'] }],
};

export const RST_MINUTES: TableSpec = {
  name: 'rst_minutes',
  doc: 'RST rollup: per minute, verdict and sender (pod or address), the RSTs seen (compare\'s RST rates on a large case).',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Row id.' },
    { name: 'minute', type: 'INTEGER', notNull: true, doc: 'ts_us / 60,000,000.' },
    { name: 'verdict', type: 'TEXT', doc: 'endpoint | middlebox-suspect | null (unknown).' },
    { name: 'sender_who', type: 'TEXT', doc: 'rst_events.sender_who.' },
    { name: 'rsts', type: 'INTEGER', notNull: true, doc: 'RSTs.' },
  ],
  indexes: [{ name: 'rst_minutes_minute', columns: ['minute', 'verdict', 'sender_who', 'rsts'] }],
};

export const ROLLUP_DESTS: TableSpec = {
  name: 'rollup_dests',
  doc: 'Destination dictionary of opener_minutes.dests.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Id used in the blobs.' },
    { name: 'ip', type: 'TEXT', notNull: true, doc: 'Destination address.' },
    { name: 'port', type: 'INTEGER', notNull: true, doc: 'Destination port.' },
  ],
};

export const ROLLUP_PODS: TableSpec = {
  name: 'rollup_pods',
  doc: 'Pod dictionary of snat_minutes.active.',
  columns: [
    { name: 'id', type: 'INTEGER', primaryKey: true, doc: 'Id used in the blobs (from 1).' },
    { name: 'pod', type: 'TEXT', notNull: true, doc: 'namespace/pod.' },
  ],
};

/** Every table, in creation order. */
export const SCHEMA: TableSpec[] = [SOURCES, INTERFACES, DIAGNOSTICS, FLOWS, FLOW_SIGHTINGS, RST_EVENTS, RST_SIGHTINGS, RECORDS, TCP_EVENTS, CONNTRACK_ENTRIES, KERNEL_EVENTS, IDENTITIES, ANSWERS, OPENER_MINUTES, SNAT_MINUTES, SNAT_ACTIVE, DEST_MINUTES, RST_MINUTES, ROLLUP_DESTS, ROLLUP_PODS];
