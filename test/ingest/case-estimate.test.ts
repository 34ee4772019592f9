import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openCase } from '../../core/db/open-case.js';
import { CASE_BYTES_PER_CAPTURE_BYTE, CASE_BYTES_PER_TEXT_BYTE, type CaseEstimate } from '../../core/ingest/case-estimate.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

describe('case-size estimate before work starts', () => {
  it('is reported before any input is read: text by its size, a gzip by the size its trailer records, binary junk as nothing', async () => {
    const d = tmpdir();
    const dir = mkdtempSync(join(d, 'podcap-est-'));
    const text = readFileSync('fixtures/node-tools/lab/conntrack_-E_-o_timestamp.txt');
    const cap = readFileSync('fixtures/captures/tcp-retransmit.pcap');
    writeFileSync(join(dir, 'ct.txt'), text);
    writeFileSync(join(dir, 'cap.pcap.gz'), gzipSync(cap));
    writeFileSync(join(dir, 'junk.bin'), Buffer.from([0, 1, 2, 3, 0xff]));
    const db = openCase(':memory:');
    let est: CaseEstimate | undefined;
    let sourcesWhenEstimated = -1;
    await ingestPaths(db, [dir], { onEstimate: (e) => { est = e; sourcesWhenEstimated = (db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n; } });
    expect(sourcesWhenEstimated).toBe(0);
    expect(est).toEqual({ files: 3, inputBytes: text.length + cap.length + 5, bytes: Math.round(text.length * CASE_BYTES_PER_TEXT_BYTE + cap.length * CASE_BYTES_PER_CAPTURE_BYTE) });
  });
});
