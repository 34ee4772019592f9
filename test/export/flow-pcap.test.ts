/**
 * A flow's packets exported for Wireshark: for every flow of every real fixture capture, the
 * exported file, ingested again on its own, must give back that flow with the same Zeek state,
 * history and counters, and tshark (when installed) must read the same number of frames.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toApiError } from '../../core/api/api-error.js';
import { PodcapError } from '../../core/errors.js';
import { exportFlowPcap, nameForFormat } from '../../core/export/flow-pcap.js';
import type { FlowOut } from '../../core/api/contract.js';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

const DIR = 'fixtures/captures';
const captures = readdirSync(DIR).filter((f) => /\.(pcap|pcapng|pcap\.gz)$/.test(f) && !f.includes('truncated'));
const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find(existsSync);

const key = (f: FlowOut) => `${f.proto} ${f.orig_ip}:${f.orig_port} ${f.resp_ip}:${f.resp_port} ${f.start}`;
const counters = (f: FlowOut) => ({ state: f.state, history: f.history, orig_pkts: f.orig_pkts, resp_pkts: f.resp_pkts, orig_bytes: f.orig_bytes, resp_bytes: f.resp_bytes });

async function flowsOf(path: string): Promise<{ db: ReturnType<typeof openCase>; flows: FlowOut[] }> {
  const db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-pcap-')), 'c.db'));
  await ingestPaths(db, [path]);
  return { db, flows: [...iterateFlows(db)] };
}

describe('flow export as pcap', () => {
  it('has fixtures', () => expect(captures.length).toBeGreaterThan(20));

  for (const name of captures) {
    it(`every flow of ${name} round-trips through its exported file`, async () => {
      const { db, flows } = await flowsOf(join(DIR, name));
      expect(flows.length).toBeGreaterThan(0);
      const out = mkdtempSync(join(tmpdir(), 'podcap-pcap-out-'));
      for (const f of flows) {
        const res = await exportFlowPcap(db, f.id);
        expect(res.packets, key(f)).toBeGreaterThanOrEqual(f.orig_pkts + f.resp_pkts);
        const file = join(out, res.name);
        writeFileSync(file, res.bytes);
        if (TSHARK) {
          const frames = execFileSync(TSHARK, ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').filter(Boolean);
          expect(frames.length, key(f)).toBe(res.packets);
        }
        const again = await flowsOf(file);
        const same = again.flows.find((g) => key(g) === key(f));
        expect(same, `${key(f)} in its own export`).toBeDefined();
        expect(counters(same!), key(f)).toEqual(counters(f));
        again.db.close();
      }
      db.close();
    });
  }

  it('writes one copy of each packet of a NATed connection seen at three capture points, every sighting on request', async () => {
    // The lab's rst-mix node: `tcpdump -i any` (SLL2: the pod's veth and eth0, so both NAT halves)
    // and a capture on the pod's veth (Ethernet) saw every packet of the pod's connections.
    const { db, flows } = await flowsOf('fixtures/lab/bundles/rst-mix');
    const natted = flows.filter((f) => f.proto === 'tcp' && f.nat_peer !== null);
    expect(natted.length).toBeGreaterThan(5);
    const out = mkdtempSync(join(tmpdir(), 'podcap-pcap-nat-'));
    const tshark = (file: string, ...args: string[]) => execFileSync(TSHARK!, ['-r', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').filter(Boolean);
    for (const f of natted) {
      const one = await exportFlowPcap(db, f.id);
      const all = await exportFlowPcap(db, f.id, { allSightings: true });
      // Three sightings of each packet (veth capture, -i any on the veth, -i any on eth0 after NAT).
      expect(one.packets, key(f)).toBe(f.orig_pkts + f.resp_pkts);
      expect(all.packets, key(f)).toBe(3 * one.packets);
      expect(one.copies_left_out, key(f)).toBe(all.packets - one.packets);
      for (const r of [one, all]) {
        // The name says the format written: pcap magic a1b2c3d4 / d4c3b2a1, pcapng's section header 0a0d0d0a.
        const magic = Buffer.from(r.bytes.subarray(0, 4)).toString('hex');
        expect(r.name.endsWith(`.${r.format}`)).toBe(true);
        expect(magic === '0a0d0d0a' ? 'pcapng' : 'pcap', r.name).toBe(r.format);
      }
      expect(one.format, 'one capture point\'s copies: one link type').toBe('pcap');
      if (!TSHARK) continue;
      const file = join(out, one.name);
      writeFileSync(file, one.bytes);
      expect(tshark(file, '-T', 'fields', '-e', 'frame.number').length, key(f)).toBe(one.packets);
      // Wireshark marks a second copy of a packet as a retransmission: the default export has none.
      if (f.state === 'SF') expect(tshark(file, '-Y', 'tcp.analysis.retransmission'), key(f)).toEqual([]);
      const again = await flowsOf(file);
      expect(again.flows.map(counters), key(f)).toEqual([counters(f)]);
      again.db.close();
    }
    // The listed half's id or its other half's: the same connection, the same file.
    const f = natted[0];
    const peerId = (db.prepare('SELECT nat_peer FROM flows WHERE id = ?').get(f.id) as { nat_peer: number }).nat_peer;
    expect(Buffer.from((await exportFlowPcap(db, peerId)).bytes)).toEqual(Buffer.from((await exportFlowPcap(db, f.id)).bytes));
    db.close();
  });

  it('names a -w file after the format written', () => {
    expect(nameForFormat('out.pcap', 'pcapng')).toBe('out.pcapng');
    expect(nameForFormat('out.pcapng', 'pcapng')).toBe('out.pcapng');
    expect(nameForFormat('out.pcap', 'pcap')).toBe('out.pcap');
    expect(nameForFormat('out', 'pcap')).toBe('out.pcap');
    expect(nameForFormat('dir.pcap/out.CAP', 'pcapng')).toBe('dir.pcap/out.pcapng');
  });

  it('refuses an unknown flow, and names the capture when its file is gone', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'podcap-pcap-gone-'));
    const copy = join(tmp, 'rsto.pcap');
    writeFileSync(copy, execFileSync('cat', [join(DIR, 'tcp-rsto.pcap')]));
    const { db, flows } = await flowsOf(copy);
    const unknown = await exportFlowPcap(db, 999_999).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PodcapError);
    expect(toApiError(unknown)).toMatchObject({ status: 404, error: { code: 'NOT_FOUND', message: expect.stringMatching(/no flow 999999/) } });
    execFileSync('rm', [copy]);
    const gone = await exportFlowPcap(db, flows[0].id).catch((e: unknown) => e);
    expect(toApiError(gone)).toMatchObject({ status: 404, error: { code: 'NOT_FOUND', message: expect.stringMatching(/rsto\.pcap is no longer at/) } });
    db.close();
  });
});
