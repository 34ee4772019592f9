/**
 * `npm run bench`: podcap's full ingest against reference tools on the same real capture, in one
 * run, side by side (wall seconds, MB/s, packets/s, peak RSS). The capture is generated (never
 * committed) by fixtures/lab/make-bench-capture.sh from real traffic between namespaces.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync, writeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchQueries } from './bench-queries.js';
import { benchUi } from './bench-ui.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    dir: { type: 'string', default: 'bench-data' },
    // podcap, tshark, tcpdump, queries, ui (comma-separated); default all.
    only: { type: 'string' },
    'query-flows': { type: 'string', default: '1000000' },
    'query-runs': { type: 'string', default: '20' },
    // Only the queries whose label matches (a regular expression), e.g. 'fanout|ports'.
    'query-match': { type: 'string' },
  },
});
const dir = values.dir!;
mkdirSync(dir, { recursive: true });
const sizes = values.sizes!.split(',').map(Number).sort((a, b) => a - b);
const biggest = sizes[sizes.length - 1];

interface Measure { wall: number; rssMB: number; stdout: string; code: number | null }

/** Runs a command, polling /proc for its peak RSS (VmHWM) so any tool is measured the same way. */
function measure(cmd: string, args: string[], discardStdout = false): Promise<Measure> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'] });
    let out = '';
    let hwm = 0;
    child.stdout?.on('data', (d: Buffer) => { if (out.length < 1 << 20) out += d.toString(); });
    child.stderr?.on('data', () => {});
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ wall: Number(process.hrtime.bigint() - t0) / 1e9, rssMB: hwm / 1024, stdout: out, code });
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

async function main(): Promise<void> {
  const only = values.only?.split(',');
  const tools = ['podcap', 'tshark', 'tcpdump'];
  if (!only || only.some((o) => tools.includes(o))) await benchCaptures(only);
  if (!only || only.includes('queries')) process.stdout.write(await benchQueries(dir, Number(values['query-flows']), Number(values['query-runs']), values['query-match'] ? new RegExp(values['query-match']) : undefined));
  if (!only || only.includes('ui')) process.stdout.write(await benchUi(bigCapture()));
}

/** The largest capture of the run, generated from real traffic the first time. */
function bigCapture(): string {
  const big = join(dir, `bench-${biggest}.pcap`);
  if (!existsSync(big)) {
    process.stderr.write(`generating ${biggest} MB of real traffic into ${big} (fixtures/lab/make-bench-capture.sh)…\n`);
    const r = spawnSync('bash', ['fixtures/lab/make-bench-capture.sh', big, String(biggest)], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(big)) throw new Error('could not generate the benchmark capture (needs root, iproute2, iptables, iputils-ping and tcpdump)');
  }
  return big;
}

async function benchCaptures(only: string[] | undefined): Promise<void> {
  const big = bigCapture();
  const files = sizes.map((s) => {
    const f = join(dir, `bench-${s}.pcap`);
    if (!existsSync(f)) prefixPcap(big, f, s * 1e6);
    return { size: s, path: f, bytes: statSync(f).size };
  });

  const rows: string[][] = [];
  const header = ['input', 'tool', 'wall s', 'MB/s', 'packets/s', 'peak RSS MB', 'result'];
  for (const f of files) {
    const mb = f.bytes / 1e6;
    // pcap-parser's count doubles as the packet count for every tool's packets/s.
    const pp = await measure(process.execPath, ['scripts/bench-pcap-parser.mjs', f.path]);
    const packets = JSON.parse(pp.stdout.trim().split('\n').pop() || '{"packets":0}').packets as number;
    const row = (tool: string, m: Measure, result: string) =>
      rows.push([`${mb.toFixed(0)} MB`, tool, m.wall.toFixed(2), (mb / m.wall).toFixed(0), Math.round(packets / m.wall).toLocaleString('en-US'), m.rssMB.toFixed(0), m.code === 0 ? result : `exit ${m.code}`]);
    const caseFile = join(dir, `bench-${f.size}.case.db`);
    for (const ext of ['', '-wal', '-shm']) rmSync(caseFile + ext, { force: true });
    if (!only || only.includes('podcap')) {
      const m = await measure(process.execPath, ['bin/podcap.js', 'ingest', f.path, '--case', caseFile, '--json']);
      const res = JSON.parse(m.stdout.trim().split('\n')[0] || '{}');
      row('podcap ingest (decode+track+store)', m, `${res.records ?? '?'} pkts`);
      // The same capture added to a case that already holds another (how before/after are compared):
      // its cost must not depend on what the case holds (issue 10: 300 MB took 1.8 s empty, 30 s here).
      const nonEmpty = join(dir, `bench-${f.size}.append.case.db`);
      for (const ext of ['', '-wal', '-shm']) rmSync(nonEmpty + ext, { force: true });
      spawnSync(process.execPath, ['bin/podcap.js', 'ingest', 'fixtures/captures/nat-any-sll2.pcap', '--case', nonEmpty]);
      const ma = await measure(process.execPath, ['bin/podcap.js', 'ingest', f.path, '--case', nonEmpty, '--json']);
      const resA = JSON.parse(ma.stdout.trim().split('\n')[0] || '{}');
      row(`podcap ingest into a non-empty case (x${(ma.wall / m.wall).toFixed(2)} of empty)`, ma, `${resA.records ?? '?'} pkts`);
      const flows = spawnSync(process.execPath, ['bin/podcap.js', 'sources', '--case', caseFile, '--json'], { encoding: 'utf8' }).stdout;
      void flows;
    }
    row('pcap-parser (bare count)', pp, `${packets} pkts`);
    if ((!only || only.includes('tshark')) && have('tshark')) {
      const m = await measure('tshark', ['-n', '-q', '-z', 'conv,tcp', '-r', f.path]);
      const convs = m.stdout.split('\n').filter((l) => /<->/.test(l)).length;
      row('tshark -q -z conv,tcp', m, `${convs} conversations`);
    }
    if ((!only || only.includes('tcpdump')) && have('tcpdump')) {
      row('tcpdump -nn -r (to /dev/null)', await measure('tcpdump', ['-nn', '-r', f.path], true), '');
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  process.stdout.write('\n' + fmt(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + rows.map(fmt).join('\n') + '\n');
}

await main();
