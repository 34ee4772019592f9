// The closing table of issue 13: per format family, how many real public outputs podcap keeps
// (fixtures/samples/EXPECTED-KINDS.json), how many content detection recognises as their kind,
// and how many are read right. Run: npm run format-table (builds dist/format-table.js first).
//
// "Read right": text dumps give records and no diagnostic beyond the ones a real dump earns
// (masked values, damaged or cut lines, dates kubectl/syslog do not print); captures ingest with
// no error diagnostic. Documentation pages and other tools' outputs must stay unknown.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDiagnostics } from '../core/api/queries/sources.js';
import { openCase } from '../core/db/open-case.js';
import { detectTextFormat } from '../core/formats/registry.js';
import { ingestPaths } from '../core/ingest/ingest.js';

const ACCEPTED = new Set(['TEXT_MASKED_VALUE', 'TEXT_MALFORMED_LINE', 'TEXT_NO_DATE', 'TEXT_TRUNCATED']);
const DOCS = 'documentation / other tools (stay unknown)';

interface Row { family: string; samples: number; recognised: number; right: number; misses: string[] }

async function captureRight(path: string): Promise<{ kind: string; right: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'podcap-table-'));
  try {
    const db = openCase(join(dir, 'c.db'));
    const [r] = await ingestPaths(db, [path]);
    const errors = listDiagnostics(db).filter((d) => d.severity === 'error');
    db.close();
    return { kind: r?.kind ?? 'unknown', right: r?.status === 'ingested' && errors.length === 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const all = JSON.parse(readFileSync('fixtures/samples/EXPECTED-KINDS.json', 'utf8')) as { kinds: Record<string, string>; lab: Record<string, string> };
  console.log('Real public outputs (fixtures/samples, and the public files under fixtures/node-tools):\n');
  await table(all.kinds);
  console.log('\nOutputs of the real tools made in the lab, for families without a public sample (fixtures/node-tools/lab, iproute-ss-ipvs):\n');
  await table(all.lab);
}

async function table(kinds: Record<string, string>): Promise<void> {
  const rows = new Map<string, Row>();
  for (const [path, want] of Object.entries(kinds)) {
    const family = want === 'unknown' ? DOCS : want;
    const row = rows.get(family) ?? { family, samples: 0, recognised: 0, right: 0, misses: [] };
    rows.set(family, row);
    row.samples++;
    if (want === 'pcap' || want === 'pcapng') {
      const c = await captureRight(path);
      if (c.kind === want) row.recognised++;
      if (c.kind === want && c.right) row.right++;
      else row.misses.push(`${path} (${c.kind})`);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const d = detectTextFormat(text.slice(0, 65536), path);
    const got = d?.format.kind ?? 'unknown';
    if (got !== want) {
      row.misses.push(`${path} (detected ${got})`);
      continue;
    }
    row.recognised++;
    if (!d) {
      row.right++;
      continue;
    }
    const res = d.format.parse(text, { source: path, baseTimeUs: 0 });
    const odd = res.diagnostics.filter((x) => !ACCEPTED.has(x.code));
    if (res.records.length > 0 && odd.length === 0) row.right++;
    else row.misses.push(`${path} (${res.records.length} records${odd.length ? `, ${odd.map((x) => x.code).join(' ')}` : ''})`);
  }
  const list = [...rows.values()].sort((a, b) => (a.family === DOCS ? 1 : b.family === DOCS ? -1 : a.family.localeCompare(b.family)));
  const total = list.reduce((t, r) => ({ samples: t.samples + r.samples, recognised: t.recognised + r.recognised, right: t.right + r.right }), { samples: 0, recognised: 0, right: 0 });
  console.log('| format family | samples | recognised | read right |');
  console.log('|---|---:|---:|---:|');
  for (const r of list) console.log(`| ${r.family} | ${r.samples} | ${r.recognised} | ${r.right} |`);
  console.log(`| **all** | **${total.samples}** | **${total.recognised}** | **${total.right}** |`);
  const misses = list.flatMap((r) => r.misses);
  if (misses.length) console.log(`\nNot recognised or not read right:\n${misses.map((m) => `- ${m}`).join('\n')}`);
}

await main();
