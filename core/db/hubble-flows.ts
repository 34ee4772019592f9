/**
 * Flow rows made from Hubble dumps. They are made from the stored records in the correlate phase,
 * and made again when the pod addresses they were resolved with change: compact and table output
 * name pods instead of addresses, and the identity graph (which a later file can complete) is what
 * turns a pod name back into its address. A connection a capture
 * also saw is folded into the capture's row (the Hubble source kept as one more sighting), so the
 * same connection is never counted twice, whichever file was ingested first.
 */
import type { HubbleFlow } from '../formats/hubble/types.js';
import type { CaseDb } from './open-case.js';

/** Hubble's event times and a capture's packet times of one connection agree this closely (same node clock). */
const TWIN_SLACK_US = 5_000_000;

export const HUBBLE_FLOW_DIAGNOSTIC = 'HUBBLE_NO_ADDRESS';

/** Whether any of these sources is a capture (a capture can hold the twin of a Hubble row). */
export function capturesAmong(db: CaseDb, ids: readonly number[]): boolean {
  return db.prepare(`SELECT 1 FROM sources WHERE kind IN ('pcap', 'pcapng') AND id IN (${ids.map(() => '?').join(', ')}) LIMIT 1`).get(...ids) !== undefined;
}

/** What a Hubble source's flow rows were made from, kept in its `sources.detail` (`hubbleFlows`). */
export interface HubbleFlowsMade {
  /** Digest of the pod addresses the names were resolved with. */
  pods: string;
  /** The flow ids its rows took (one writer pass: a contiguous range), null when it made none. */
  firstId: number | null;
  lastId: number | null;
}

export function hubbleSources(db: CaseDb): { id: number; path: string; made: HubbleFlowsMade | null }[] {
  return (db.prepare(`SELECT id, path, json_extract(detail, '$.hubbleFlows') AS made FROM sources WHERE kind = 'hubble' ORDER BY id`).all() as { id: number; path: string; made: string | null }[])
    .map((r) => ({ id: r.id, path: r.path, made: r.made ? JSON.parse(r.made) as HubbleFlowsMade : null }));
}

export function markHubbleFlowsMade(db: CaseDb, sourceId: number, made: HubbleFlowsMade): void {
  db.prepare(`UPDATE sources SET detail = json_set(coalesce(detail, '{}'), '$.hubbleFlows', json(?)) WHERE id = ?`).run(JSON.stringify(made), sourceId);
}

/** One Hubble source's stored records, in file order. */
export function loadHubbleRecords(db: CaseDb, sourceId: number): HubbleFlow[] {
  return (db.prepare(`SELECT data FROM records WHERE source_id = ? AND kind = 'hubble' ORDER BY id`).all(sourceId) as { data: string }[])
    .map((r) => JSON.parse(r.data) as HubbleFlow);
}

/**
 * `namespace/pod` → its address, for pods the identity graph gives exactly one address (a pod
 * with several over time is left out: a name alone cannot say which one a flow used).
 */
export function podAddresses(db: CaseDb): Map<string, string> {
  const rows = db.prepare(`SELECT coalesce(namespace, '') AS ns, pod, min(ip) AS ip, count(DISTINCT ip) AS n FROM identities
    WHERE kind = 'pod' AND ip IS NOT NULL GROUP BY ns, pod ORDER BY ns, pod`).all() as { ns: string; pod: string; ip: string; n: number }[];
  const m = new Map<string, string>();
  for (const r of rows) if (r.n === 1) m.set(`${r.ns}/${r.pod}`, r.ip);
  return m;
}

/** Deletes the flow rows `where` selects (placeholders bound by the caller) with their RSTs and sightings. */
function flowRowDeleter(db: CaseDb, where: string): (...params: unknown[]) => void {
  const rows = `SELECT id FROM flows WHERE ${where}`;
  const steps = [
    `DELETE FROM rst_sightings WHERE rst_id IN (SELECT id FROM rst_events WHERE flow_id IN (${rows}))`,
    `DELETE FROM rst_events WHERE flow_id IN (${rows})`,
    `DELETE FROM flow_sightings WHERE flow_id IN (${rows})`,
    `DELETE FROM flows WHERE ${where}`,
  ].map((sql) => db.prepare(sql));
  return (...params) => { for (const st of steps) st.run(...params); };
}

/**
 * Removes the flow rows (with their RSTs and sightings) one Hubble source made, and its sightings
 * on other sources' rows, before they are made again. Its rows are found by their id range
 * (flows has no source_id index).
 */
export function deleteHubbleFlows(db: CaseDb, sourceId: number, made: HubbleFlowsMade | null): void {
  if (made && made.firstId !== null && made.lastId !== null) flowRowDeleter(db, 'id BETWEEN ? AND ? AND source_id = ?')(made.firstId, made.lastId, sourceId);
  // Where its rows were folded into another source's, it is a sighting there.
  if (made) db.prepare('DELETE FROM flow_sightings WHERE source_id = ?').run(sourceId);
  db.prepare(`DELETE FROM diagnostics WHERE code = '${HUBBLE_FLOW_DIAGNOSTIC}' AND source_id = ?`).run(sourceId);
}

/**
 * Folds each Hubble-made flow into the same connection seen by a capture (else by an earlier Hubble
 * dump: two overlapping `hubble observe` runs print the same events): same protocol and tuple in
 * either orientation, overlapping in time. The kept row gains the Hubble source as a sighting;
 * the Hubble row and its RSTs go (the capture's RSTs carry TTLs and sequence numbers).
 * Returns how many rows were folded.
 */
export function foldHubbleFlows(db: CaseDb, ranges: readonly { sourceId: number; firstId: number; lastId: number }[]): number {
  const rowsOf = db.prepare(`SELECT id, source_id, proto, orig_ip, orig_port, resp_ip, resp_port, start_us, end_us, orig_pkts, resp_pkts
    FROM flows WHERE id BETWEEN ? AND ? AND source_id = ? ORDER BY id`);
  const hubbleRows = ranges.flatMap((r) => rowsOf.all(r.firstId, r.lastId, r.sourceId)) as
    { id: number; source_id: number; proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number; start_us: number; end_us: number; orig_pkts: number; resp_pkts: number }[];
  if (hubbleRows.length === 0) return 0;
  const twin = db.prepare(`SELECT f.id, s.kind = 'hubble' AS from_hubble FROM flows f INDEXED BY flows_tuple JOIN sources s ON s.id = f.source_id
    WHERE f.orig_ip = ? AND f.orig_port = ? AND f.resp_ip = ? AND f.resp_port = ? AND f.proto = ? AND f.id <> ?
      AND f.start_us <= ? AND f.end_us >= ? AND (s.kind <> 'hubble' OR f.id < ?)
    ORDER BY s.kind = 'hubble', f.id LIMIT 1`);
  const sight = db.prepare('INSERT OR IGNORE INTO flow_sightings (flow_id, source_id, iface, ifindex) VALUES (?, ?, -1, -1)');
  const widen = db.prepare('UPDATE flows SET start_us = min(start_us, ?), end_us = max(end_us, ?), orig_pkts = max(orig_pkts, ?), resp_pkts = max(resp_pkts, ?) WHERE id = ?');
  const drop = flowRowDeleter(db, 'id = ?');
  const moveRst = db.prepare('UPDATE rst_events SET flow_id = ? WHERE flow_id = ?');
  const rstCount = db.prepare('SELECT count(*) AS n FROM rst_events WHERE flow_id = ?');
  let folded = 0;
  for (const h of hubbleRows) {
    const hi = h.end_us + TWIN_SLACK_US;
    const lo = h.start_us - TWIN_SLACK_US;
    const t = (twin.get(h.orig_ip, h.orig_port, h.resp_ip, h.resp_port, h.proto, h.id, hi, lo, h.id)
      ?? twin.get(h.resp_ip, h.resp_port, h.orig_ip, h.orig_port, h.proto, h.id, hi, lo, h.id)) as { id: number; from_hubble: number } | undefined;
    if (!t) continue;
    sight.run(t.id, h.source_id);
    if (t.from_hubble) {
      // Two dumps of one connection: one row over both their times; the RSTs the first lacked move over.
      widen.run(h.start_us, h.end_us, h.orig_pkts, h.resp_pkts, t.id);
      const has = rstCount.get(t.id) as { n: number };
      if (has.n === 0) moveRst.run(t.id, h.id);
    }
    drop(h.id);
    folded++;
  }
  return folded;
}

/** Records, per Hubble source, the events that stayed without a tuple. */
export function noteHubbleWithoutAddress(db: CaseDb, sourceId: number, path: string, message: string): void {
  db.prepare(`INSERT INTO diagnostics (source_id, path, code, severity, message, offset, line) VALUES (?, ?, '${HUBBLE_FLOW_DIAGNOSTIC}', 'info', ?, NULL, NULL)`)
    .run(sourceId, path, message);
}
