import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { iterateRst } from '../../core/api/queries/rst.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

/**
 * Real captures, one per Zeek conn_state (fixtures/captures/make-captures.sh, cross-checked with
 * tshark): each expect.json names the connections the scenario made and the state Zeek's code
 * gives them. podcap must produce exactly those connections, in order, with those states.
 */
const dir = 'fixtures/captures';

interface Expect {
  file: string;
  connections: { proto: string; orig_ip: string; orig_port?: number; resp_ip: string; resp_port?: number; state: string }[];
  rsts: { sender_ip: string; sender_role: string; nat_copy?: boolean }[];
}

const cases = readdirSync(dir).filter((f) => f.endsWith('.expect.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expect);

describe('connections on the real capture fixtures', () => {
  it('has a fixture for every TCP conn_state (with the Zeek-rule lab in zeek-lab/)', () => {
    // RSTRH needs a SYN-ACK on a likely server port (zeek-lab/synack-first.pcap): on other ports
    // Zeek keeps the SYN-ACK's sender as the originator, so tcp-rstrh-crafted.pcap is OTH.
    const lab = readdirSync(join(dir, 'zeek-lab')).filter((f) => f.endsWith('.expect.json')).map((f) => JSON.parse(readFileSync(join(dir, 'zeek-lab', f), 'utf8')) as Expect);
    const states = new Set([...cases, ...lab].flatMap((c) => c.connections.filter((x) => x.proto === 'tcp').map((x) => x.state)));
    for (const s of ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']) expect(states, s).toContain(s);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.connections.map((x) => `${x.proto} ${x.state}`).join(', ')}`, async () => {
      const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-cap-')), 'c.db'));
      const [res] = await ingestPaths(db, [join(dir, c.file)]);
      expect(res.status).toBe('ingested');
      const flows = [...iterateFlows(db, { everyHalf: true })].filter((f) => !(f.proto === 'icmp' && (f.orig_ip.startsWith('fe80') || f.resp_ip.startsWith('ff02'))));
      for (const want of c.connections) {
        const match = flows.filter((f) => f.proto === want.proto && f.orig_ip === want.orig_ip && f.resp_ip === want.resp_ip
          && (want.orig_port === undefined || want.proto === 'icmp' || f.orig_port === want.orig_port)
          && (want.resp_port === undefined || want.proto === 'icmp' || f.resp_port === want.resp_port));
        expect(match.map((f) => f.state), `${want.proto} ${want.orig_ip}:${want.orig_port} → ${want.resp_ip}:${want.resp_port}`).toContain(want.state);
      }
      // Same tuple opened several times: the states come in the order the connections were made.
      const tuples = new Map<string, string[]>();
      for (const w of c.connections) {
        const k = `${w.proto} ${w.orig_ip}:${w.orig_port} ${w.resp_ip}:${w.resp_port}`;
        tuples.set(k, [...(tuples.get(k) ?? []), w.state]);
      }
      for (const [k, states] of tuples) {
        if (states.length < 2) continue;
        const got = flows.filter((f) => `${f.proto} ${f.orig_ip}:${f.orig_port} ${f.resp_ip}:${f.resp_port}` === k).map((f) => f.state);
        expect(got, k).toEqual(states);
      }
      const rsts = [...iterateRst(db)];
      for (const r of c.rsts.filter((x) => !x.nat_copy)) expect(rsts.some((x) => x.sender_ip === r.sender_ip && x.sender_role === r.sender_role), `RST from ${r.sender_ip} (${r.sender_role})`).toBe(true);
      // A RST seen before and after NAT is one event, on the pre-NAT flow, seen at both capture points.
      if (c.rsts.some((x) => x.nat_copy)) expect(rsts.some((x) => x.seen_at.length === 2)).toBe(true);
      if (c.rsts.length === 0) expect(rsts).toEqual([]);
    });
  }
});
