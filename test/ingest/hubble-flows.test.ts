import { copyFileSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFanout } from '../../core/analysis/fanout/fanout.js';
import { iterateRst } from '../../core/api/queries/rst.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

const LAB = 'fixtures/node-tools/hubble-lab';
/**
 * Table rows carry no year: podcap dates them by the file's time, as a dump copied off the node
 * the week it was taken would be. The fixtures' checkout times are not that, so copies get it.
 */
const H = mkdtempSync(join(tmpdir(), 'podcap-hubdumps-'));
for (const n of ['hubble_observe_table_relay_rst_fin.txt', 'hubble_observe_table_minikube.txt']) {
  copyFileSync(join('fixtures/node-tools/hubble', n), join(H, n));
  utimesSync(join(H, n), new Date('2020-12-20T00:00:00Z'), new Date('2020-12-20T00:00:00Z'));
}
const DUMP = join(H, 'hubble_observe_table_relay_rst_fin.txt');
const PCAP = join(LAB, 'relay-47144.pcap');
const PODS = join(LAB, 'kubectl-get-pods-A-o-wide.txt');

async function caseOf(...inputs: string[][]): Promise<CaseDb> {
  const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-hubflows-')), 'c.db'));
  // Each list is one ingest run, as a user adding files to a case later would.
  for (const paths of inputs) await ingestPaths(db, paths);
  return db;
}

type Row = { proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number; state: string; history: string; kind: string; sightings: string };
function flows(db: CaseDb): Row[] {
  return db.prepare(`SELECT f.proto, f.orig_ip, f.orig_port, f.resp_ip, f.resp_port, f.state, f.history, s.kind,
      (SELECT group_concat(k, ',') FROM (SELECT DISTINCT s2.kind AS k FROM flow_sightings fs JOIN sources s2 ON s2.id = fs.source_id WHERE fs.flow_id = f.id ORDER BY k)) AS sightings
    FROM flows f JOIN sources s ON s.id = f.source_id ORDER BY f.orig_port`).all() as Row[];
}

describe('Hubble flows become flow rows (a real public dump + a lab capture of the same connection)', () => {
  it('a connection both saw is one row, the capture\'s, whichever file came first; the one only Hubble logged stays Hubble\'s', async () => {
    const expected = [
      // :47142 starts mid-stream in the dump (ACK+PSH from the relay, then an RST): origin guessed.
      { proto: 'tcp', orig_ip: '10.0.0.245', orig_port: 4245, resp_ip: '10.0.0.69', resp_port: 47142, state: 'RSTR', history: 'Dr', kind: 'hubble', sightings: 'hubble' },
      { proto: 'tcp', orig_ip: '10.0.0.69', orig_port: 47144, resp_ip: '10.0.0.245', resp_port: 4245, state: 'SF', kind: 'pcap', sightings: 'hubble,pcap' },
    ];
    const captureFirst = await caseOf([PCAP, PODS], [DUMP]);
    const hubbleFirst = await caseOf([DUMP, PODS], [PCAP]);
    const together = await caseOf([DUMP, PCAP, PODS]);
    for (const db of [captureFirst, hubbleFirst, together]) expect(flows(db)).toMatchObject(expected);
    // Hubble's RST (no TTL, no sequence numbers) is an RST event of its own flow, its verdict left open.
    const rsts = [...iterateRst(together)];
    expect(rsts.map((r) => [r.sender_ip, r.sender_port, r.receiver_port, r.verdict])).toEqual([['10.0.0.69', 47142, 4245, 'unknown']]);
  });

  it('without any file giving the relay\'s address, the named rows make no flows and the dump says why', async () => {
    const db = await caseOf([DUMP]);
    expect(flows(db)).toEqual([]);
    const d = db.prepare(`SELECT code, message FROM diagnostics WHERE code = 'HUBBLE_NO_ADDRESS'`).all() as { code: string; message: string }[];
    expect(d).toHaveLength(1);
    expect(d[0].message).toMatch(/^6 TCP\/UDP events name a pod/);
    // Adding the pod listing later completes the chain: the rows appear, the note goes.
    await ingestPaths(db, [PODS]);
    expect(flows(db).map((f) => f.orig_port)).toEqual([4245, 47144]);
    expect(db.prepare(`SELECT count(*) AS n FROM diagnostics WHERE code = 'HUBBLE_NO_ADDRESS'`).get()).toEqual({ n: 0 });
    // A file that changes no pod address leaves the rows as they were (not made again).
    const ids = db.prepare('SELECT id FROM flows ORDER BY id').all();
    await ingestPaths(db, ['fixtures/node-tools/nft-kubelet/nft_list_ruleset_quiet.txt']);
    expect(db.prepare('SELECT id FROM flows ORDER BY id').all()).toEqual(ids);
  });

  it('fan-out counts a Hubble-only opener under its own source, not as a capture', async () => {
    const db = await caseOf([join(H, 'hubble_observe_table_minikube.txt'), PODS]);
    const f = listFanout(db).find((r) => r.who === '10.0.0.69');
    expect(f).toMatchObject({ connections: 1, connections_from: 'hubble', evidence: [{ source: 'hubble', connections: 1 }] });
    expect(f!.top_destinations).toEqual([{ ip: '10.0.0.245', port: 4245, connections: 1, public: false }]);
  });

  it('two overlapping dumps of one connection are one row', async () => {
    const db = await caseOf([DUMP, PODS, join(H, 'hubble_observe_table_minikube.txt')]);
    const again = await caseOf([DUMP, PODS, join(H, 'hubble_observe_table_minikube.txt')]);
    expect(flows(db)).toEqual(flows(again));
    expect(flows(db).filter((f) => f.orig_port === 47144)).toHaveLength(1);
  });

  it('JSON flows carry their addresses: each dropped SYN of the real k3d and exporter dumps is an unanswered (S0) connection between its pods', async () => {
    const db = await caseOf([join('fixtures/node-tools/hubble', 'hubble_observe_-o_json_k3d_policy_denied.json'), join('fixtures/node-tools/hubble', 'hubble_exporter_events.log')]);
    const rows = db.prepare(`SELECT orig_ip, orig_port, resp_ip, resp_port, state, history, orig_pod, resp_pod FROM flows ORDER BY start_us`).all();
    expect(rows).toEqual([
      { orig_ip: '10.244.1.60', orig_port: 44916, resp_ip: '10.244.1.5', resp_port: 80, state: 'S0', history: 'S', orig_pod: 'default/xwing', resp_pod: 'default/deathstar-7848d6c4d5-th9v2' },
      { orig_ip: '10.0.1.116', orig_port: 38160, resp_ip: '10.0.1.117', resp_port: 8080, state: 'S0', history: 'S', orig_pod: 'agent-restricted/agent-probe', resp_pod: 'corp-prod/corp-prod-target' },
    ]);
  });
});

