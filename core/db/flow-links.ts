/**
 * Identity and NAT links written onto flows and RSTs (the correlate phase runs these after the
 * identity graph is rebuilt): each flow's endpoint pods, which half of a NAT pair is pre/post, one
 * RST per NAT pair.
 */
import { podAtSql } from './identity-sql.js';
import { FOLD_NAT_HALVES_SQL } from './nat-fold-sql.js';
import type { CaseDb } from './open-case.js';

/** Capture sources in the case: only a case with several can hold NAT halves not yet paired. */
export function captureSourceCount(db: CaseDb): number {
  return (db.prepare(`SELECT count(*) AS n FROM sources WHERE kind IN ('pcap', 'pcapng')`).get() as { n: number }).n;
}

/** Whether the case holds any flow yet. */
export function caseHasFlows(db: CaseDb): boolean {
  return db.prepare('SELECT 1 FROM flows LIMIT 1').get() !== undefined;
}

/**
 * Stores each flow's endpoint pods (resolved at the flow's start, so a reused IP names the pod
 * that held it then). Only flows touching a pod address are visited.
 */
export function assignFlowPods(db: CaseDb): void {
  db.exec('UPDATE flows SET orig_pod = NULL, resp_pod = NULL WHERE orig_pod IS NOT NULL OR resp_pod IS NOT NULL');
  db.exec(`UPDATE flows SET orig_pod = ${podAtSql('flows.orig_ip', 'flows.start_us')} WHERE orig_ip IN (SELECT ip FROM identities WHERE kind = 'pod')`);
  db.exec(`UPDATE flows SET resp_pod = ${podAtSql('flows.resp_ip', 'flows.start_us')} WHERE resp_ip IN (SELECT ip FROM identities WHERE kind = 'pod')`);
}

/**
 * Which NAT half is which: forwarding decrements the TTL, so the half with the higher originator
 * TTL was seen before translation; on a tie, the half whose originator is a node address is post.
 */
export function assignNatSides(db: CaseDb): void {
  db.exec(`UPDATE flows SET nat_side = NULL WHERE nat_peer IS NULL`);
  // Joined to the peer once (UPDATE … FROM), not looked up twice per row by subqueries. Flows are
  // never deleted, so every nat_peer names a row.
  db.exec(`UPDATE flows SET nat_side = CASE
      WHEN flows.orig_ttl > p.orig_ttl THEN 'pre'
      WHEN flows.orig_ttl < p.orig_ttl THEN 'post'
      WHEN EXISTS (SELECT 1 FROM identities i WHERE i.ip = flows.orig_ip AND i.kind = 'node') THEN 'post'
      ELSE 'pre' END
    FROM flows p WHERE p.id = flows.nat_peer`);
}

/** Folds each connection's second NAT half into its first (FOLD_NAT_HALVES_SQL). */
export function foldNatHalves(db: CaseDb): void {
  db.exec(FOLD_NAT_HALVES_SQL);
}

/** One RST seen before and after NAT is one event: keep it on the pre-NAT (pod-side) flow. */
export function mergeNatRsts(db: CaseDb): number {
  const twins = db.prepare(`SELECT r.id AS keep, r2.id AS drop_id FROM rst_events r
      JOIN flows f ON f.id = r.flow_id AND f.nat_side = 'pre'
      JOIN rst_events r2 ON r2.flow_id = f.nat_peer AND r2.seq = r.seq AND r2.flags = r.flags AND abs(r2.ts_us - r.ts_us) <= 1000000`).all() as { keep: number; drop_id: number }[];
  const move = db.prepare('INSERT OR IGNORE INTO rst_sightings (rst_id, source_id, iface, ifindex) SELECT ?, source_id, iface, ifindex FROM rst_sightings WHERE rst_id = ?');
  const delS = db.prepare('DELETE FROM rst_sightings WHERE rst_id = ?');
  const delR = db.prepare('DELETE FROM rst_events WHERE id = ?');
  const done = new Set<number>();
  for (const t of twins) {
    // When both halves look pre-NAT (equal TTLs, no node identity) each pair is listed twice.
    if (done.has(t.drop_id) || done.has(t.keep)) continue;
    move.run(t.keep, t.drop_id);
    delS.run(t.drop_id);
    delR.run(t.drop_id);
    done.add(t.drop_id);
  }
  return done.size;
}
