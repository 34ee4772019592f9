/**
 * The fuzz and hostile-input harness: seeded mutations of real fixtures (captures, node-tool
 * dumps) and of archives built from them, each ingested into a fresh in-memory case. An ingest
 * must always settle with a result per input: a throw is a crash, not settling within the time
 * allowed is a hang. Deterministic: the same seed gives the same cases.
 * `npm test` runs a few dozen cases (test/fuzz/fuzz.test.ts); `npm run fuzz` runs many.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { buildZip } from '../helpers/zip.js';
import { tarBytes } from '../ingest/archive-fixtures.js';
import { rng } from '../../scripts/synthetic-case.js';

export { rng };


export interface Seed {
  name: string;
  bytes: Buffer;
}

/** Real inputs to mutate: every fixture capture and the lab's node-tool dumps (each fixture folder's README says where it came from). */
export function loadSeeds(root = 'fixtures'): Seed[] {
  const seeds: Seed[] = [];
  for (const dir of [join(root, 'captures'), join(root, 'node-tools', 'lab')]) {
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(pcap|pcapng|gz|txt)$/.test(f) && dir.endsWith('captures')) continue;
      if (/\.(tsv|json|py|sh|md)$/.test(f)) continue;
      try {
        const bytes = readFileSync(join(dir, f));
        if (bytes.length > 0 && bytes.length <= 64 * 1024) seeds.push({ name: f, bytes });
      } catch { /* a folder */ }
    }
  }
  return seeds;
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** One to four byte-level mutations: flips, interesting values, cuts, repeats, inserts. */
export function mutate(b: Buffer, r: Rand): Buffer {
  let out = Buffer.from(b);
  const n = 1 + int(r, 4);
  for (let i = 0; i < n && out.length > 0; i++) {
    const at = int(r, out.length);
    switch (int(r, 7)) {
      case 0: out[at] ^= 1 << int(r, 8); break;
      case 1: out[at] = [0, 0xff, 0x7f, 0x80, 0x0a, 0x20][int(r, 6)]; break;
      case 2: if (at + 4 <= out.length) out.writeUInt32LE([0, 0xffffffff, 0x7fffffff, 65536, 1 << 30][int(r, 5)], at); break;
      case 3: out = out.subarray(0, at); break;
      case 4: { const len = 1 + int(r, 64); out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + len), out.subarray(at)]); break; }
      case 5: { const ins = Buffer.alloc(1 + int(r, 32)); for (let j = 0; j < ins.length; j++) ins[j] = int(r, 256); out = Buffer.concat([out.subarray(0, at), ins, out.subarray(at)]); break; }
      default: { const len = int(r, Math.min(256, out.length - at)); out.copy(out, int(r, Math.max(1, out.length - len)), at, at + len); }
    }
  }
  return out;
}

export interface FuzzCase {
  name: string;
  files: { name: string; bytes: Buffer }[];
}

/** A case: a mutated fixture, a tar.gz / tar / zip of fixtures (mutated before or after packing), or a hostile archive. */
export function makeCase(seeds: Seed[], r: Rand, i: number): FuzzCase {
  const pick = () => seeds[int(r, seeds.length)];
  const kind = int(r, 6);
  if (kind <= 1) {
    const s = pick();
    const bytes = mutate(s.bytes, r);
    return { name: `#${i} mutated ${s.name}`, files: [{ name: s.name, bytes: kind === 1 && r() < 0.5 ? gzipSync(bytes) : bytes }] };
  }
  const members = Array.from({ length: 1 + int(r, 4) }, (_, j) => {
    const s = pick();
    return { name: `node-${j % 2}/${s.name}`, bytes: r() < 0.5 ? mutate(s.bytes, r) : s.bytes };
  });
  if (kind === 2) {
    const tar = tarBytes(members.map((m) => ({ path: m.name, data: m.bytes })));
    const gz = gzipSync(tar);
    return { name: `#${i} tar.gz of ${members.length}, packed then mutated`, files: [{ name: 'bundle.tar.gz', bytes: mutate(gz, r) }] };
  }
  if (kind === 3) {
    const tar = mutate(tarBytes(members.map((m) => ({ path: m.name, data: m.bytes }))), r);
    return { name: `#${i} tar of ${members.length}, mutated then gzipped`, files: [{ name: 'bundle.tar.gz', bytes: gzipSync(tar) }] };
  }
  if (kind === 4) {
    const zip = buildZip(members.map((m) => ({ name: m.name, data: m.bytes })));
    return { name: `#${i} zip of ${members.length}, mutated`, files: [{ name: 'bundle.zip', bytes: mutate(zip, r) }] };
  }
  // Hostile shapes: a zip inside a tar.gz inside a zip, mutated at the outer level; odd names.
  const inner = gzipSync(tarBytes(members.map((m, j) => ({ path: j === 0 ? `../${m.name}` : m.name, data: m.bytes }))));
  const zip = buildZip([{ name: 'inner.tar.gz', data: inner }, { name: 'x/'.repeat(1 + int(r, 60)) + 'deep.txt', data: Buffer.from('x\n') }]);
  return { name: `#${i} nested hostile zip`, files: [{ name: 'outer.zip', bytes: r() < 0.7 ? mutate(zip, r) : zip }] };
}

export type Outcome = { kind: 'ok' } | { kind: 'crash'; error: string } | { kind: 'hang' };

/** Ingests the case's files into a fresh in-memory case; never throws. */
export async function runCase(c: FuzzCase, timeoutMs: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'podcap-fuzz-'));
  const db = openCase(':memory:');
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const paths = c.files.map((f) => {
      const p = join(dir, f.name);
      writeFileSync(p, f.bytes);
      return p;
    });
    const work = ingestPaths(db, paths, { workDir: join(dir, 'work'), signal: ac.signal }).then((res): Outcome => {
      if (res.length === 0) return { kind: 'crash', error: 'no result for the input' };
      return { kind: 'ok' };
    }, (e: unknown): Outcome => ({ kind: 'crash', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }));
    const hang = new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ kind: 'hang' }), timeoutMs); });
    const out = await Promise.race([work, hang]);
    if (out.kind === 'hang') ac.abort();
    return out;
  } finally {
    clearTimeout(timer);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FuzzReport {
  tried: number;
  crashes: { name: string; error: string }[];
  hangs: string[];
}

export async function fuzz(opts: { seed: number; cases: number; timeoutMs: number; seeds?: Seed[]; onCase?: (i: number, c: FuzzCase, o: Outcome) => void }): Promise<FuzzReport> {
  const seeds = opts.seeds ?? loadSeeds();
  const r = rng(opts.seed);
  const report: FuzzReport = { tried: 0, crashes: [], hangs: [] };
  for (let i = 0; i < opts.cases; i++) {
    const c = makeCase(seeds, r, i);
    const o = await runCase(c, opts.timeoutMs);
    report.tried++;
    if (o.kind === 'crash') report.crashes.push({ name: c.name, error: o.error });
    if (o.kind === 'hang') report.hangs.push(c.name);
    opts.onCase?.(i, c, o);
  }
  return report;
}
