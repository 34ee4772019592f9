import { FOLD_NAT_HALVES_SQL } from './nat-fold-sql.js';
import { addedInSql, createTableSql } from './table-spec.js';
import {
  ANSWERS, CONNTRACK_ENTRIES, DEST_MINUTES, OPENER_MINUTES, RST_MINUTES, ROLLUP_DESTS, ROLLUP_PODS, SNAT_ACTIVE, SNAT_MINUTES, DIAGNOSTICS, IDENTITIES, FLOWS, FLOW_SIGHTINGS, INTERFACES, KERNEL_EVENTS, RECORDS, RST_EVENTS, RST_SIGHTINGS, SOURCES, TCP_EVENTS,
} from './schema.js';

/**
 * Numbered, append-only migrations. Never edit one that has shipped: add the next number.
 * `user_version` records the last applied one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'captures: sources, interfaces, diagnostics, flows, rst events',
    sql: [SOURCES, INTERFACES, DIAGNOSTICS, FLOWS, FLOW_SIGHTINGS, RST_EVENTS, RST_SIGHTINGS].map(createTableSql).join('\n'),
  },
  {
    version: 2,
    name: 'node-tool dumps: records, tcp events, conntrack entries, kernel events',
    sql: [RECORDS, TCP_EVENTS, CONNTRACK_ENTRIES, KERNEL_EVENTS].map(createTableSql).join('\n'),
  },
  {
    version: 3,
    name: 'identity graph',
    sql: createTableSql(IDENTITIES),
  },
  {
    version: 4,
    name: 'RST verdicts and NAT sides stored for SQL aggregation',
    sql: [addedInSql(FLOWS, 4), addedInSql(RST_EVENTS, 4)].join('\n'),
  },
  {
    version: 5,
    name: 'pods stored on flows for indexed fan-out queries',
    sql: addedInSql(FLOWS, 5),
  },
  {
    version: 6,
    name: 'quiet time before each RST (idle-timeout resets)',
    sql: addedInSql(RST_EVENTS, 6),
  },
  {
    version: 7,
    name: 'RST sender/receiver pods and service port stored for join-free RST summaries',
    // Cases made before this version get the labels now; later ingests refresh them (labelRsts).
    sql: `${addedInSql(RST_EVENTS, 7)}
UPDATE rst_events SET
  sender_who = coalesce((SELECT CASE WHEN rst_events.sender_ip = f.orig_ip THEN f.orig_pod WHEN rst_events.sender_ip = f.resp_ip THEN f.resp_pod END
    FROM flows f WHERE f.id = rst_events.flow_id), sender_ip),
  receiver_who = coalesce((SELECT CASE WHEN rst_events.receiver_ip = f.orig_ip THEN f.orig_pod WHEN rst_events.receiver_ip = f.resp_ip THEN f.resp_pod END
    FROM flows f WHERE f.id = rst_events.flow_id), receiver_ip),
  dst_port = (SELECT f.resp_port FROM flows f WHERE f.id = rst_events.flow_id);`,
  },
  {
    version: 8,
    name: 'whole-case answers materialized after each ingest',
    sql: createTableSql(ANSWERS),
  },
  {
    version: 9,
    name: 'minute rollups for time-windowed fan-out and SNAT ports; REJ/S0 flows by time',
    // flows_state_start replaces flows_state: a windowed REJ or S0 query walked every such flow.
    // rst_events_ts_verdict_who covers compare's RST rates by verdict and sender as well.
    sql: [...[OPENER_MINUTES, SNAT_MINUTES, SNAT_ACTIVE, DEST_MINUTES, RST_MINUTES, ROLLUP_DESTS, ROLLUP_PODS].map(createTableSql), addedInSql(FLOWS, 9), addedInSql(RST_EVENTS, 9),
      'DROP INDEX flows_state;', 'DROP INDEX rst_events_ts_verdict;'].join('\n'),
  },
  {
    version: 10,
    name: 'RST verdict node: the matching REJECT rule and the evidence list',
    sql: addedInSql(RST_EVENTS, 10),
  },
  {
    version: 11,
    name: 'sources keep their bundle folder; the node is named from content',
    sql: addedInSql(SOURCES, 11),
  },
  {
    version: 12,
    name: 'one listed row per connection: the second NAT half folded into the first',
    // Stored whole-case answers of older cases hold the fan-out's old shape (a row per source): drop them, they are recomputed.
    sql: [addedInSql(FLOWS, 12), FOLD_NAT_HALVES_SQL, 'DELETE FROM answers;'].join('\n'),
  },
  {
    version: 13,
    name: 'TCP events keep the pod and tool that reported them (Inspektor Gadget names the pod itself)',
    sql: addedInSql(TCP_EVENTS, 13),
  },
  {
    version: 14,
    name: "RST events by time cover the window summary's receiver and port (the index they extend goes)",
    sql: [addedInSql(RST_EVENTS, 14), 'DROP INDEX rst_events_ts_verdict_who;'].join('\n'),
  },
  {
    version: 15,
    name: 'identities by pod name (fan-out and findings describe their openers by it)',
    sql: addedInSql(IDENTITIES, 15),
  },
];
