/**
 * Text dumps are read in bounded pieces: batches of whole lines for line-by-line formats, a cap on
 * line length, and diagnostics that keep an excerpt, not the input (issue 10: a 500 MB line was
 * stored whole in a diagnostic; a 200 MB conntrack -E dump needed 6 times its size in memory).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS } from '../../core/diagnostics.js';
import { openCase } from '../../core/db/open-case.js';
import { parseConntrack } from '../../core/formats/conntrack/reader.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { MAX_DIAGNOSTICS_PER_CODE, MAX_LINE_BYTES, TEXT_BATCH_BYTES } from '../../core/ingest/text-ingest.js';
import { textBatches } from '../../core/ingest/text-lines.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'podcap-text-'));
// Real `conntrack -E -o timestamp` lines from the lab (fixtures/node-tools/lab/README.md).
const EVENTS = readFileSync('fixtures/node-tools/lab/conntrack_-E_-o_timestamp.txt', 'utf8').split('\n').filter((l) => l.startsWith('['));

/** The real events repeated, each copy a second later, until `bytes`. */
function eventsDump(bytes: number): string {
  const out: string[] = [];
  let n = 0;
  for (let k = 0; n < bytes; k++) {
    for (const l of EVENTS) {
      const s = l.replace(/^\[(\d+)\./, (_m, sec: string) => `[${Number(sec) + k}.`);
      out.push(s);
      n += s.length + 1;
    }
  }
  return out.join('\n') + '\n';
}

async function* chunksOf(b: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('textBatches', () => {
  it('gives whole lines in batches that add up to the input, numbered as in the file', async () => {
    const text = eventsDump(50_000);
    const batches = [];
    for await (const b of textBatches(chunksOf(Buffer.from(text), 997), 4096, 1 << 20)) batches.push(b);
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.map((b) => b.text).join('')).toBe(text);
    for (const b of batches.slice(0, -1)) expect(b.text.endsWith('\n')).toBe(true);
    const lines = text.split('\n');
    for (const b of batches) {
      expect(b.text.split('\n')[0]).toBe(lines[b.firstLine - 1]);
      expect(Buffer.from(text).subarray(b.offset, b.offset + 20).toString()).toBe(b.text.slice(0, 20));
    }
  });

  it('keeps only the head of a line over the cap, and says where it was and how long', async () => {
    const text = `first\n${'y'.repeat(10_000)}\nlast`;
    const batches = [];
    for await (const b of textBatches(chunksOf(Buffer.from(text), 333), 1 << 20, 100)) batches.push(b);
    expect(batches).toHaveLength(1);
    expect(batches[0].text).toBe(`first\n${'y'.repeat(100)}\nlast`);
    expect(batches[0].cut).toEqual([{ line: 2, offset: 6, bytes: 10_000 }]);
  });
});

describe('ingesting text dumps in pieces', () => {
  it('a conntrack -E dump of several batches gives the same records and line numbers as one whole parse', async () => {
    const d = tmp();
    const text = eventsDump(TEXT_BATCH_BYTES * 1.2);
    writeFileSync(join(d, 'conntrack-E.txt'), text);
    const db = openCase(join(d, 'c.db'));
    const [r] = await ingestPaths(db, [join(d, 'conntrack-E.txt')]);
    const whole = parseConntrack(text, { source: 'x' });
    expect(r).toMatchObject({ status: 'ingested', kind: 'conntrack', records: whole.records.length });
    const stored = db.prepare('SELECT line FROM conntrack_entries ORDER BY line').all() as { line: number }[];
    expect(stored.map((s) => s.line)).toEqual(whole.records.map((x) => (x as { line: number }).line));
    const src = db.prepare('SELECT first_ts, last_ts FROM sources').get() as { first_ts: number; last_ts: number };
    expect(src.last_ts).toBeGreaterThan(src.first_ts);
  });

  it('a line over the cap: its head read, a bounded diagnostic with line and offset, the lines before kept', async () => {
    const d = tmp();
    const head = EVENTS.join('\n') + '\n';
    // 3 MiB without a newline after a valid start (the case was 500 MB).
    writeFileSync(join(d, 'conntrack-E.txt'), head + EVENTS[0] + ' ' + 'x'.repeat(3 * 1024 * 1024));
    const db = openCase(join(d, 'c.db'));
    const [r] = await ingestPaths(db, [join(d, 'conntrack-E.txt')]);
    expect(r).toMatchObject({ status: 'ingested', records: EVENTS.length });
    const diags = db.prepare('SELECT code, line, offset, length(message) AS len FROM diagnostics ORDER BY code').all() as { code: string; line: number; offset: number | null; len: number }[];
    expect(diags.find((x) => x.code === 'TEXT_LINE_TOO_LONG')).toMatchObject({ line: EVENTS.length + 1, offset: Buffer.byteLength(head) });
    for (const x of diags) expect(x.len).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 60);
    const longest = db.prepare('SELECT max(length(message)) AS n FROM diagnostics').get() as { n: number };
    expect(longest.n).toBeLessThan(MAX_LINE_BYTES);
  });

  it('keeps the first diagnostics of each code and counts the rest in one more', async () => {
    const d = tmp();
    const bad = Array.from({ length: MAX_DIAGNOSTICS_PER_CODE + 500 }, (_, i) => `[1795270212.${String(i).padStart(6, '0')}]\t [UPDATE] tcp 6 garbage ${i}`);
    // Enough good lines first for the sniffer's 64 KiB head to see a conntrack dump.
    writeFileSync(join(d, 'conntrack-E.txt'), eventsDump(100_000) + [...bad, ...EVENTS].join('\n') + '\n');
    const db = openCase(join(d, 'c.db'));
    await ingestPaths(db, [join(d, 'conntrack-E.txt')]);
    const rows = db.prepare("SELECT message FROM diagnostics WHERE code = 'TEXT_MALFORMED_LINE'").all() as { message: string }[];
    expect(rows).toHaveLength(MAX_DIAGNOSTICS_PER_CODE + 1);
    expect(rows.at(-1)!.message).toBe(`500 more like this not stored (${MAX_DIAGNOSTICS_PER_CODE + 500} in all; the first ${MAX_DIAGNOSTICS_PER_CODE} are kept)`);
  });
});
