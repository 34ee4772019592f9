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
import { exportFlowPcap } from '../../core/export/flow-pcap.js';
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
