import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTextFormat } from '../../core/formats/registry.js';

/**
 * Every real sample in fixtures/samples/node-tools, detected by content through the same registry
 * ingest uses. Documentation pages (man pages, READMEs, *_example.txt with prose around the
 * output) are not evidence and stay 'unknown'; a new sample fails here until it is classified.
 */
const root = 'fixtures/samples/node-tools';
/** Shared with scripts/format-table.ts (the closing table): repo path → expected kind. */
const ALL: Record<string, string> = JSON.parse(readFileSync('fixtures/samples/EXPECTED-KINDS.json', 'utf8')).kinds;
const EXPECTED: Record<string, string> = Object.fromEntries(
  Object.entries(ALL).filter(([p]) => p.startsWith(`${root}/`)).map(([p, k]) => [p.slice(root.length + 1), k]),
);
/** Real public outputs kept beside the lab fixtures (each folder's README names the source). */
const PUBLIC_ELSEWHERE = Object.entries(ALL).filter(([p, k]) => p.startsWith('fixtures/node-tools/') && k !== 'unknown');

function* walk(d: string): Generator<string> {
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

describe('public outputs kept beside the lab fixtures are detected and read as their kind', () => {
  it.each(PUBLIC_ELSEWHERE)('%s', (path, kind) => {
    const text = readFileSync(path, 'utf8');
    const d = detectTextFormat(text.slice(0, 65536), path);
    expect(d?.format.kind ?? 'unknown').toBe(kind);
    const res = d!.format.parse(text, { source: path });
    expect(res.records.length).toBeGreaterThan(0);
  });
});

describe('node-tool samples are detected as their kind', () => {
  const files = [...walk(root)].map((p) => relative(root, p));
  it('every sample is classified here', () => {
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
  });
  for (const f of files) {
    it(f, () => {
      const d = detectTextFormat(readFileSync(join(root, f), 'utf8').slice(0, 65536), f);
      expect(d?.format.kind ?? 'unknown').toBe(EXPECTED[f]);
      if (d) {
        const res = d.format.parse(readFileSync(join(root, f), 'utf8'), { source: f });
        expect(res.records.length).toBeGreaterThan(0);
        // Only masked values and damaged lines may be reported.
        expect(res.diagnostics.filter((x) => !['TEXT_MASKED_VALUE', 'TEXT_MALFORMED_LINE', 'TEXT_NO_DATE', 'TEXT_TRUNCATED'].includes(x.code))).toEqual([]);
      }
    });
  }
});
