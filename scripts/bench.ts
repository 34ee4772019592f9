/**
 * `npm run bench`: podcap's full ingest against reference tools on the same captures, in one run,
 * side by side (wall seconds, MB/s, packets/s, peak RSS of each child, polled from /proc):
 *  - profile `busy`: a busy node's `-i any` capture (tens of thousands of short connections seen
 *    before and after NAT, ~30 bulk downloads; scripts/busy-capture.ts), ~1.1 GB by default;
 *  - profile `bulk`: the same node with few connections and mostly bulk bytes (the old bench's shape);
 *  - profile `lab` (only when asked): real traffic between namespaces from fixtures/lab/make-bench-capture.sh;
 *  - scale: podcap alone on busy captures of growing size (peak RSS must stay flat);
 *  - parallel: a bundle of two nodes' captures ingested one at a time and in parallel.
 * BENCH_QUICK=1 (or --quick) shrinks every size so the whole bench smoke-runs in a minute.
 * Generated captures live in bench-data/ (never committed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync, writeSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchQueries } from './bench-queries.js';
import { benchUi } from './bench-ui.js';
import { writeBusyCapture, type CaptureProfile } from './busy-capture.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    // Capture profiles compared with the reference tools: busy, bulk, lab (comma-separated).
    profiles: { type: 'string', default: process.env.BENCH_PROFILES ?? 'busy,bulk' },
    // Size of each profile's capture, MB.
    size: { type: 'string', default: process.env.BENCH_SIZE_MB },
    // Busy captures for the memory scale (MB, comma-separated).
    scale: { type: 'string', default: process.env.BENCH_SCALE_MB },
    dir: { type: 'string', default: 'bench-data' },
    // podcap, tshark, tcpdump, scale, parallel, queries, ui (comma-separated); default all.
    only: { type: 'string' },
    'query-flows': { type: 'string', default: '1000000' },
    'query-runs': { type: 'string', default: '20' },
    // Only the queries whose label matches (a regular expression), e.g. 'fanout|ports'.
    'query-match': { type: 'string' },
  },
});
const quick = values.quick!;
const dir = values.dir!;
mkdirSync(dir, { recursive: true });
const profileSize = Number(values.size ?? (quick ? 40 : 1100));
const scaleSizes = (values.scale ?? (quick ? '10,40' : '100,1000,2000')).split(',').map(Number).sort((a, b) => a - b);
const only = values.only?.split(',');
const wants = (what: string) => !only || only.includes(what);

interface Measure { wall: number; rssMB: number; stdout: string; code: number | null; conversations: number }

/** Runs a command, polling /proc for its peak RSS (VmHWM) so any tool is measured the same way. */
function measure(cmd: string, args: string[], discardStdout = false, env: Record<string, string> = {}): Promise<Measure> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let hwm = 0;
    // tshark's conversation lines are counted as they stream (a busy capture prints megabytes of them).
    let conversations = 0;
    let tail = '';
    child.stdout?.on('data', (d: Buffer) => {
      const text = tail + d.toString();
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const l of lines) if (l.includes('<->')) conversations++;
      if (out.length < 1 << 24) out += d.toString();
    });
    child.stderr?.on('data', () => {});
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ wall: Number(process.hrtime.bigint() - t0) / 1e9, rssMB: hwm / 1024, stdout: out, code, conversations });
    });
  });
}

/** Copies whole records of a classic pcap until `limit` bytes, so the smaller file is valid. */
function prefixPcap(src: string, dst: string, limit: number): void {
  const fd = openSync(src, 'r');
  const out = openSync(dst, 'w');
  const head = Buffer.alloc(24);
  readSync(fd, head, 0, 24, 0);
  writeSync(out, head);
  const le = head.readUInt32LE(0) === 0xa1b2c3d4 || head.readUInt32LE(0) === 0xa1b23c4d;
  let pos = 24;
  const buf = Buffer.alloc(1 << 22);
  const hdr = Buffer.alloc(16);
  while (pos < limit) {
    if (readSync(fd, hdr, 0, 16, pos) < 16) break;
    const cap = le ? hdr.readUInt32LE(8) : hdr.readUInt32BE(8);
    if (readSync(fd, buf, 0, cap, pos + 16) < cap) break;
    writeSync(out, hdr);
    writeSync(out, buf, 0, cap);
    pos += 16 + cap;
  }
  closeSync(fd);
  closeSync(out);
}

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

type Row = string[];
const rows: Row[] = [];

async function main(): Promise<void> {
  process.stdout.write(`podcap bench${quick ? ' (quick)' : ''}: ${new Date().toISOString()}, load ${uptimeLoad()}, ${process.version}\n`);
  const profiles = values.profiles!.split(',') as (CaptureProfile | 'lab')[];
  if (['podcap', 'tshark', 'tcpdump'].some(wants)) {
    for (const p of profiles) await benchProfile(p);
  }
  if (wants('scale')) await benchScale();
  if (wants('parallel')) await benchParallel();
  if (rows.length) process.stdout.write(table(['input', 'tool', 'wall s', 'MB/s', 'packets/s', 'peak RSS MB', 'result'], rows, [2, 3, 4, 5]));
  if (wants('queries')) process.stdout.write(await benchQueries(dir, Number(values['query-flows']), Number(values['query-runs']), values['query-match'] ? new RegExp(values['query-match']) : undefined));
  if (wants('ui')) process.stdout.write(await benchUi(captureFor('bulk', profileSize)));
  process.stdout.write(`load after: ${uptimeLoad()}\n`);
}

function uptimeLoad(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

/** The capture of a profile at a size, generated the first time (written aside, then renamed, so a cut run leaves none). */
function captureFor(profile: CaptureProfile | 'lab', mb: number, seed = 1): string {
  const path = join(dir, `${profile}-${mb}${seed === 1 ? '' : `-s${seed}`}.pcap`);
  if (existsSync(path)) return path;
  if (profile === 'lab') return labCapture(mb, path);
  process.stderr.write(`generating a ${mb} MB '${profile}' capture into ${path}…\n`);
  const res = writeBusyCapture(`${path}.part`, mb, profile, seed);
  renameSync(`${path}.part`, path);
  process.stderr.write(`  ${JSON.stringify(res)}\n`);
  return path;
}

/** Real traffic from the lab script (needs root and network namespaces); smaller sizes are prefixes of the largest. */
function labCapture(mb: number, path: string): string {
  const big = join(dir, 'lab-full.pcap');
  if (!existsSync(big)) {
    process.stderr.write(`generating ${mb} MB of real traffic into ${big} (fixtures/lab/make-bench-capture.sh)…\n`);
    const r = spawnSync('bash', ['fixtures/lab/make-bench-capture.sh', big, String(mb)], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(big)) throw new Error('could not generate the lab capture (needs root, iproute2, iptables, iputils-ping and tcpdump)');
  }
  prefixPcap(big, path, mb * 1e6);
  return path;
}

function freshCase(name: string): string {
  const caseFile = join(dir, name);
  for (const ext of ['', '-wal', '-shm']) rmSync(caseFile + ext, { force: true });
  rmSync(`${caseFile}.work`, { recursive: true, force: true });
  return caseFile;
}

async function podcapIngest(inputs: string[], caseFile: string, env: Record<string, string> = {}): Promise<{ m: Measure; packets: number }> {
  const m = await measure(process.execPath, ['bin/podcap.js', 'ingest', ...inputs, '--case', caseFile, '--json'], false, env);
  const packets = m.stdout.trim().split('\n').filter(Boolean).reduce((a, l) => a + (JSON.parse(l).records ?? 0), 0);
  return { m, packets };
}

function addRow(label: string, tool: string, mb: number, packets: number, m: Measure, result: string): void {
  rows.push([label, tool, m.wall.toFixed(2), (mb / m.wall).toFixed(0), Math.round(packets / m.wall).toLocaleString('en-US'), m.rssMB.toFixed(0), m.code === 0 ? result : `exit ${m.code}`]);
}

async function benchProfile(profile: CaptureProfile | 'lab'): Promise<void> {
  const path = captureFor(profile, profileSize);
  const mb = statSync(path).size / 1e6;
  const label = `${profile} ${mb.toFixed(0)} MB`;
  // pcap-parser's count doubles as the packet count for every tool's packets/s.
  const pp = await measure(process.execPath, ['scripts/bench-pcap-parser.mjs', path]);
  const packets = JSON.parse(pp.stdout.trim().split('\n').pop() || '{"packets":0}').packets as number;
  if (wants('podcap')) {
    const caseFile = freshCase(`${profile}.case.db`);
    const { m, packets: got } = await podcapIngest([path], caseFile);
    const flows = spawnSync(process.execPath, ['bin/podcap.js', 'flows', '--case', caseFile, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout.split('\n').filter(Boolean).length;
    addRow(label, 'podcap ingest (decode+track+store+index)', mb, packets, m, `${got} pkts, ${flows} connections`);
    // The same capture added to a case that already holds another (how before/after are compared):
    // its cost must not depend on what the case holds (issue 10: 300 MB took 1.8 s empty, 30 s here).
    const nonEmpty = freshCase(`${profile}.append.case.db`);
    spawnSync(process.execPath, ['bin/podcap.js', 'ingest', 'fixtures/captures/nat-any-sll2.pcap', '--case', nonEmpty]);
    const a = await podcapIngest([path], nonEmpty);
    addRow(label, `podcap ingest into a non-empty case (x${(a.m.wall / m.wall).toFixed(2)})`, mb, packets, a.m, `${a.packets} pkts`);
    freshCase(`${profile}.append.case.db`);
  }
  addRow(label, 'pcap-parser (bare count)', mb, packets, pp, `${packets} pkts`);
  if (wants('tshark') && have('tshark')) {
    const m = await measure('tshark', ['-n', '-q', '-z', 'conv,tcp', '-r', path]);
    addRow(label, 'tshark -n -q -z conv,tcp', mb, packets, m, `${m.conversations} conversations`);
  }
  if (wants('tcpdump') && have('tcpdump')) {
    addRow(label, 'tcpdump -r -w /dev/null', mb, packets, await measure('tcpdump', ['-r', path, '-w', '/dev/null']), '');
    addRow(label, 'tcpdump -nn -r (text to /dev/null)', mb, packets, await measure('tcpdump', ['-nn', '-r', path], true), '');
  }
  addRow(label, 'cat (read limit)', mb, packets, await measure('cat', [path], true), '');
}

/** podcap alone on growing busy captures: the per-connection state must not grow with the input. */
async function benchScale(): Promise<void> {
  for (const size of scaleSizes) {
    const path = captureFor('busy', size);
    const mb = statSync(path).size / 1e6;
    const caseFile = freshCase(`scale-${size}.case.db`);
    const { m, packets } = await podcapIngest([path], caseFile);
    addRow(`scale: busy ${mb.toFixed(0)} MB`, 'podcap ingest', mb, packets, m, `${packets} pkts`);
    freshCase(`scale-${size}.case.db`);
  }
}

/**
 * A bundle of two nodes' busy captures (folders node-a/ and node-b/), ingested one at a time
 * (PODCAP_INGEST_WORKERS=1) and in parallel (one worker per core): the speed-up, and whether
 * the two cases hold the same flows.
 */
async function benchParallel(): Promise<void> {
  const half = Math.max(5, Math.round(profileSize / 2));
  const bundle = join(dir, `bundle-${half}`);
  for (const [node, seed] of [['node-a', 2], ['node-b', 3]] as const) {
    mkdirSync(join(bundle, node), { recursive: true });
    const dst = join(bundle, node, 'any.pcap');
    if (!existsSync(dst)) renameSync(captureFor('busy', half, seed), dst);
  }
  const mb = (statSync(join(bundle, 'node-a', 'any.pcap')).size + statSync(join(bundle, 'node-b', 'any.pcap')).size) / 1e6;
  const serialCase = freshCase('bundle-serial.case.db');
  const s = await podcapIngest([bundle], serialCase, { PODCAP_INGEST_WORKERS: '1' });
  addRow(`bundle 2 × ${half} MB`, 'podcap ingest, one capture at a time', mb, s.packets, s.m, `${s.packets} pkts`);
  const parallelCase = freshCase('bundle-parallel.case.db');
  const p = await podcapIngest([bundle], parallelCase);
  const same = flowsDump(serialCase) === flowsDump(parallelCase) ? 'same flows' : 'FLOWS DIFFER';
  addRow(`bundle 2 × ${half} MB`, `podcap ingest, parallel (x${(s.m.wall / p.m.wall).toFixed(2)} faster)`, mb, p.packets, p.m, `${p.packets} pkts, ${same}`);
}

function flowsDump(caseFile: string): string {
  return spawnSync(process.execPath, ['bin/podcap.js', 'flows', '--case', caseFile, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
}

function table(header: string[], body: Row[], right: number[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return '\n' + fmt(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + body.map(fmt).join('\n') + '\n';
}

await main();
