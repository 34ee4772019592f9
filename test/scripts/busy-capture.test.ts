/**
 * The bench's busy capture is what it says: tshark (when installed) reads every frame as SLL2 and
 * counts two TCP conversations per connection (before and after NAT); podcap lists one connection
 * per pair, each with its post-NAT half and both capture points.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { writeBusyCapture } from '../../scripts/busy-capture.js';

const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find(existsSync);

describe('busy capture', () => {
  it('holds its connections twice, before and after NAT, as tshark and podcap read them', async () => {
    const d = mkdtempSync(join(tmpdir(), 'podcap-busy-'));
    const file = join(d, 'busy.pcap');
    const made = writeBusyCapture(file, 3, 'busy', 4);
    expect(made.connections).toBeGreaterThan(80);
    const db = openCase(join(d, 'c.db'));
    const [res] = await ingestPaths(db, [file], { workDir: join(d, 'w') });
    expect(res.records).toBe(made.packets);
    const flows = [...iterateFlows(db)];
    expect(flows).toHaveLength(made.connections + made.bulk);
    expect(flows.every((f) => f.nat_peer !== null && f.seen_at.length === 2)).toBe(true);
    // Closed, refused and reset short connections, bulk downloads still open (S1), and whatever was mid-way when the file was full.
    expect([...new Set(flows.map((f) => f.state))]).toEqual(expect.arrayContaining(['SF', 'REJ', 'RSTR', 'S1']));
    db.close();
    if (TSHARK) {
      const out = execFileSync(TSHARK, ['-n', '-q', '-z', 'conv,tcp', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
      expect(out.split('\n').filter((l) => l.includes('<->'))).toHaveLength(2 * (made.connections + made.bulk));
      const frames = execFileSync(TSHARK, ['-n', '-r', file, '-T', 'fields', '-e', 'sll.ifindex'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 }).trim().split('\n');
      expect(frames).toHaveLength(made.packets);
      expect(frames.filter((i) => i === '2')).toHaveLength(made.packets / 2);
    }
  });
});
