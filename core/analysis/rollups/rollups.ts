/**
 * The minute rollups (opener_minutes, snat_minutes + snat_active, dest_minutes, rst_minutes),
 * rebuilt from the whole case in the index phase.
 */
import { MINUTE_US } from '../cells/opener-cells.js';
import type { SnatCell } from '../cells/snat-cells.js';
import type { CaseDb } from '../../db/open-case.js';
import { prepared } from '../../db/statements.js';
import { blob, blobOrNull } from '../../db/typed-blobs.js';
import { sumDests } from './cells.js';
import { buildOpenerCells, openerRows, publicTest, snatGroups, snatRows, type SnatGroupCells } from './cell-sources.js';

/**
 * Rebuilds the minute rollups from the case's flows (the index phase; inside the caller's
 * transaction), and marks them current in `answers` (dropped by afterIngest with the rest).
 */
export function storeRollups(db: CaseDb): void {
  // Unsafe mode lets the rollup rows be written while the flows are still being read (other
  // tables only), instead of holding a whole case's flows in memory between the two.
  db.unsafeMode(true);
  try {
    writeRollups(db);
  } finally {
    db.unsafeMode(false);
  }
}

function writeRollups(db: CaseDb): void {
  db.exec('DELETE FROM opener_minutes; DELETE FROM snat_minutes; DELETE FROM snat_active; DELETE FROM dest_minutes; DELETE FROM rst_minutes; DELETE FROM rollup_dests; DELETE FROM rollup_pods;');
  db.exec(`INSERT INTO rst_minutes (minute, verdict, sender_who, rsts)
    SELECT ts_us / ${MINUTE_US}, verdict, sender_who, count(*) FROM rst_events GROUP BY 1, 2, 3`);
  const putOpener = prepared(db, 'INSERT INTO opener_minutes (minute, who, is_pod, connections, one_request, dests, lifetimes) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const putDestMinute = prepared(db, 'INSERT INTO dest_minutes (minute, dest_id, connections) VALUES (?, ?, ?)');
  const ids = buildOpenerCells(db, openerRows(db, -Infinity, Infinity), (cells) => {
    const perDest = new Map<number, Map<number, number>>();
    for (const c of cells) {
      putOpener.run(c.minute, c.who, c.isPod ? 1 : 0, c.connections, c.oneRequest, blob(c.dests), blob(c.lifetimesUs));
      let m = perDest.get(c.minute);
      if (!m) perDest.set(c.minute, (m = new Map()));
      sumDests(m, c.dests);
    }
    for (const [minute, m] of perDest) for (const [id, n] of m) putDestMinute.run(minute, id, n);
  });
  const putDest = prepared(db, 'INSERT INTO rollup_dests (id, ip, port) VALUES (?, ?, ?)');
  for (const [k, id] of ids) {
    const [ip, port] = k.split('|');
    putDest.run(id, ip, Number(port));
  }

  const pods = new Map<string, number>();
  const putPod = prepared(db, 'INSERT INTO rollup_pods (id, pod) VALUES (?, ?)');
  const podId = (p: string | null) => {
    if (p === null) return 0;
    let id = pods.get(p);
    if (id === undefined) { pods.set(p, (id = pods.size + 1)); putPod.run(id, p); }
    return id;
  };
  const putSnat = prepared(db, `INSERT INTO snat_minutes (snat_ip, dst_ip, dst_port, minute, first_us, last_us, peak_concurrent, peak_held, held_after_close, reuse, active_at, active_len, stale_acks)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const putActive = prepared(db, 'INSERT INTO snat_active (minute, ports) VALUES (?, ?)');
  const rows = snatRows(db, -Infinity, Infinity);
  // Written in minute order, so a window's rows sit together in the file (read in one sweep).
  const cells: [SnatGroupCells, SnatCell][] = [];
  for (const g of snatGroups(rows, publicTest(db), podId)) for (const c of g.cells) cells.push([g, c]);
  cells.sort((a, b) => a[1].minute - b[1].minute);
  for (let i = 0; i < cells.length; ) {
    const minute = cells[i][1].minute;
    let j = i;
    let size = 0;
    for (; j < cells.length && cells[j][1].minute === minute; j++) size += cells[j][1].active.length;
    const ports = new Uint16Array(size);
    let at = 0;
    for (; i < j; i++) {
      const [g, c] = cells[i];
      ports.set(c.active, at);
      putSnat.run(g.snatIp, g.dstIp, g.dstPort, c.minute, Number.isFinite(c.firstUs) ? c.firstUs : null, Number.isFinite(c.lastUs) ? c.lastUs : null,
        c.peakConcurrent, c.peakHeld, c.heldAfterClose, blobOrNull(c.reuse), at, c.active.length, c.staleAcks);
      at += c.active.length;
    }
    putActive.run(minute, blob(ports));
  }
  const flows = (prepared(db, 'SELECT count(*) AS n FROM flows').get() as { n: number }).n;
  prepared(db, `INSERT OR REPLACE INTO answers (name, json, computed_at) VALUES ('rollups', ?, ?)`).run(JSON.stringify({ minuteUs: MINUTE_US, flows }), Date.now() * 1000);
}
