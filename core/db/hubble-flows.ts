/**
 * Flow rows made from Hubble dumps. They are rebuilt from the stored records in every correlate
 * phase: compact and table output name pods instead of addresses, and the identity graph (which a
 * later file can complete) is what turns a pod name back into its address. A connection a capture
 * also saw is folded into the capture's row (the Hubble source kept as one more sighting), so the
 * same connection is never counted twice, whichever file was ingested first.
 */
import type { HubbleFlow } from '../formats/hubble/types.js';
import type { CaseDb } from './open-case.js';

/** Hubble's event times and a capture's packet times of one connection agree this closely (same node clock). */
const TWIN_SLACK_US = 5_000_000;

export const HUBBLE_FLOW_DIAGNOSTIC = 'HUBBLE_NO_ADDRESS';

export function hasHubbleSources(db: CaseDb): boolean {
  return db.prepare(`SELECT 1 FROM sources WHERE kind = 'hubble' LIMIT 1`).get() !== undefined;
}

/** Every stored Hubble record, by source, in file order. */
export function loadHubbleRecords(db: CaseDb): { sourceId: number; path: string; flows: HubbleFlow[] }[] {
  const rows = db.prepare(`SELECT r.source_id, s.path, r.data FROM records r JOIN sources s ON s.id = r.source_id WHERE r.kind = 'hubble' ORDER BY r.source_id, r.id`)
    .all() as { source_id: number; path: string; data: string }[];
  const out: { sourceId: number; path: string; flows: HubbleFlow[] }[] = [];
  for (const r of rows) {
    let cur = out[out.length - 1];
    if (!cur || cur.sourceId !== r.source_id) out.push((cur = { sourceId: r.source_id, path: r.path, flows: [] }));
    cur.flows.push(JSON.parse(r.data) as HubbleFlow);
  }
  return out;
}

/**
 * `namespace/pod` → its address, for pods the identity graph gives exactly one address (a pod
 * with several over time is left out: a name alone cannot say which one a flow used).
 */
export function podAddresses(db: CaseDb): Map<string, string> {
  const rows = db.prepare(`SELECT coalesce(namespace, '') AS ns, pod, min(ip) AS ip, count(DISTINCT ip) AS n FROM identities
    WHERE kind = 'pod' AND ip IS NOT NULL GROUP BY ns, pod`).all() as { ns: string; pod: string; ip: string; n: number }[];
  const m = new Map<string, string>();
  for (const r of rows) if (r.n === 1) m.set(`${r.ns}/${r.pod}`, r.ip);
  return m;
}

/** Removes every flow row (and its RSTs and sightings) a Hubble source made, before they are made again. */
export function deleteHubbleFlows(db: CaseDb): void {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS hubble_gone (id INTEGER PRIMARY KEY);
    DELETE FROM hubble_gone;
    INSERT INTO hubble_gone SELECT f.id FROM flows f JOIN sources s ON s.id = f.source_id WHERE s.kind = 'hubble';
    DELETE FROM rst_sightings WHERE rst_id IN (SELECT r.id FROM rst_events r WHERE r.flow_id IN (SELECT id FROM hubble_gone));
    DELETE FROM rst_events WHERE flow_id IN (SELECT id FROM hubble_gone);
    DELETE FROM flow_sightings WHERE flow_id IN (SELECT id FROM hubble_gone);
    DELETE FROM flow_sightings WHERE source_id IN (SELECT id FROM sources WHERE kind = 'hubble');
    DELETE FROM flows WHERE id IN (SELECT id FROM hubble_gone);
    DELETE FROM diagnostics WHERE code = '${HUBBLE_FLOW_DIAGNOSTIC}';`);
}

/**
 * Folds each Hubble-made flow into the same connection seen by a capture (else by an earlier Hubble
 * dump: two overlapping `hubble observe` runs print the same events): same protocol and tuple in
 * either orientation, overlapping in time. The kept row gains the Hubble source as a sighting;
 * the Hubble row and its RSTs go (the capture's RSTs carry TTLs and sequence numbers).
 * Returns how many rows were folded.
 */
export function foldHubbleFlows(db: CaseDb): number {
  const hubbleRows = db.prepare(`SELECT f.id, f.source_id, f.proto, f.orig_ip, f.orig_port, f.resp_ip, f.resp_port, f.start_us, f.end_us, f.orig_pkts, f.resp_pkts
    FROM flows f JOIN sources s ON s.id = f.source_id WHERE s.kind = 'hubble' ORDER BY f.id`).all() as
    { id: number; source_id: number; proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number; start_us: number; end_us: number; orig_pkts: number; resp_pkts: number }[];
  if (hubbleRows.length === 0) return 0;
  const twin = db.prepare(`SELECT f.id, s.kind = 'hubble' AS from_hubble FROM flows f INDEXED BY flows_tuple JOIN sources s ON s.id = f.source_id
    WHERE f.orig_ip = ? AND f.orig_port = ? AND f.resp_ip = ? AND f.resp_port = ? AND f.proto = ? AND f.id <> ?
      AND f.start_us <= ? AND f.end_us >= ? AND (s.kind <> 'hubble' OR f.id < ?)
    ORDER BY s.kind = 'hubble', f.id LIMIT 1`);
  const sight = db.prepare('INSERT OR IGNORE INTO flow_sightings (flow_id, source_id, iface, ifindex) VALUES (?, ?, -1, -1)');
  const widen = db.prepare('UPDATE flows SET start_us = min(start_us, ?), end_us = max(end_us, ?), orig_pkts = max(orig_pkts, ?), resp_pkts = max(resp_pkts, ?) WHERE id = ?');
  const dropRstS = db.prepare('DELETE FROM rst_sightings WHERE rst_id IN (SELECT id FROM rst_events WHERE flow_id = ?)');
  const dropRst = db.prepare('DELETE FROM rst_events WHERE flow_id = ?');
  const dropS = db.prepare('DELETE FROM flow_sightings WHERE flow_id = ?');
  const drop = db.prepare('DELETE FROM flows WHERE id = ?');
  const moveRst = db.prepare('UPDATE rst_events SET flow_id = ? WHERE flow_id = ?');
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
      const has = db.prepare('SELECT count(*) AS n FROM rst_events WHERE flow_id = ?').get(t.id) as { n: number };
      if (has.n === 0) moveRst.run(t.id, h.id);
    }
    dropRstS.run(h.id);
    dropRst.run(h.id);
    dropS.run(h.id);
    drop.run(h.id);
    folded++;
  }
  return folded;
}

/** Records, per Hubble source, the events that stayed without a tuple. */
export function noteHubbleWithoutAddress(db: CaseDb, sourceId: number, path: string, message: string): void {
  db.prepare(`INSERT INTO diagnostics (source_id, path, code, severity, message, offset, line) VALUES (?, ?, '${HUBBLE_FLOW_DIAGNOSTIC}', 'info', ?, NULL, NULL)`)
    .run(sourceId, path, message);
}
