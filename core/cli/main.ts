import { parseArgs } from 'node:util';
import { iterateFlows, type FlowOut } from '../api/flows.js';
import { iterateRst, type RstOut } from '../api/rst.js';
import { listCorrelations } from '../api/correlate.js';
import { listFanout } from '../api/fanout.js';
import { listDrops } from '../analysis/drops/drops.js';
import { listPorts } from '../api/ports.js';
import { listFindings } from '../api/findings.js';
import type { CompareRow, FindingOut, TimeWindow } from '../api/contract.js';
import { compareSides } from '../api/compare.js';
import { planWindow } from '../api/window-plan.js';
import { listSources as listSourcesForReport } from '../api/sources.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { exportFlowPcap } from '../api/flow-pcap.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDiagnostics, listSources, type SourceOut } from '../api/sources.js';
import { cmdServe, SERVE_USAGE } from '../api/serve-command.js';
import { openCase, type CaseDb } from '../db/open-case.js';
import { ingestAndAnswer } from '../api/materialize.js';
import { Out, printTable, safeCell } from './output.js';
import { progressBar } from './progress-bar.js';

const USAGE = `podcap — offline Kubernetes network forensics

usage: podcap <command> [options]

commands:
  report PATH...               ingest into a temporary case and print the findings (the one-command answer)
  ingest PATH... --case FILE   read captures, node-tool dumps, folders and bundles into a case
  sources --case FILE          what the case holds (kind, node, time range, diagnostics)
  flows --case FILE            connections with Zeek conn_state and history
  rst --case FILE              every RST: who sent it, TTL evidence, verdict
  diagnostics --case FILE      problems found in the inputs
  pcap --case FILE --flow ID -w OUT   one flow's packets as a .pcap (.pcapng across link types) for Wireshark
  fanout --case FILE           who opens how many connections to where (pod, netns or IP; per evidence)
  drops --case FILE            who was dropped by the datapath, where and why (Hubble DROPPED flows)
  ports --case FILE            SNAT ports per destination, held-port utilization vs --allocation (default 1024)
  findings --case FILE         what the runbooks would conclude, with evidence and the next step
  compare --case A --against B   before/after: rates, RSTs, destinations, SNAT ports, findings
  compare --case A --window FROM..TO --window FROM..TO   two time windows of one case
  correlate --case FILE        IP ↔ pod ↔ container ↔ netns ↔ veth ↔ node, with the evidence for each link
${SERVE_USAGE}

common options:
  --case FILE     the SQLite case file (created by ingest)
  --json          JSON Lines on stdout (one object per line), nothing else
  --limit N       at most N rows
flows options: --state S[,S...]  --ip ADDR  --port N  --proto tcp|udp|icmp
`;

class UsageError extends Error {}

function fail(msg: string): never {
  throw new UsageError(msg);
}

function needCase(v: { case?: string }): string {
  if (!v.case) fail('--case FILE is required');
  return v.case;
}

function int(s: string | undefined, name: string): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) fail(`${name} takes a whole number, not "${s}"`);
  return n;
}

/** host:port, with IPv6 in brackets so the port is unambiguous. */
const hp = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

const fmtTime = (s: number | null) => (s === null ? '-' : new Date(s * 1000).toISOString().replace('T', ' ').replace('Z', ''));

async function cmdIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, node: { type: 'string' }, json: { type: 'boolean' } } });
  const casePath = needCase(values);
  if (positionals.length === 0) fail('ingest needs at least one PATH');
  const db = openCase(casePath);
  const bar = progressBar();
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  try {
    const results = await ingestAndAnswer(db, positionals, { onProgress: (p) => bar.update(p), signal: ac.signal, node: values.node });
    bar.done();
    const out = new Out();
    let bad = 0;
    for (const r of results) {
      if (values.json) out.json(r);
      const unreadable = r.status === 'failed' || (r.status === 'unknown' && r.direct);
      if (unreadable) {
        bad++;
        process.stderr.write(`podcap: ${safeCell(r.path)}: ${safeCell(r.reason ?? r.status)}\n`);
      }
    }
    out.flush();
    if (!values.json) {
      const n = (s: string) => results.filter((r) => r.status === s).length;
      process.stderr.write(`ingested ${n('ingested')}, duplicate ${n('duplicate')}, unknown ${n('unknown')}, failed ${n('failed')} → ${casePath}\n`);
    }
    return bad > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSig);
    db.close();
  }
}

function withCase<T>(args: string[], extra: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>, fn: (db: CaseDb, v: Record<string, string | boolean | undefined>) => T): T {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' }, ...extra } });
  const db = openCase(needCase(values as { case?: string }), { readonly: true });
  try {
    return fn(db, values as Record<string, string | boolean | undefined>);
  } finally {
    db.close();
  }
}

function cmdSources(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const out = new Out();
    const rows = listSources(db);
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable<SourceOut>(out, rows, [
      { title: 'ID', get: (r) => r.id, right: true },
      { title: 'KIND', get: (r) => r.kind },
      { title: 'NODE', get: (r) => r.node },
      { title: 'RECORDS', get: (r) => r.records, right: true },
      { title: 'BYTES', get: (r) => r.bytes, right: true },
      { title: 'FIRST', get: (r) => fmtTime(r.first_ts) },
      { title: 'LAST', get: (r) => fmtTime(r.last_ts) },
      { title: 'DIAG', get: (r) => r.diagnostics, right: true },
      { title: 'PATH', get: (r) => r.path },
    ]);
    return 0;
  });
}

function cmdDiagnostics(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const out = new Out();
    const rows = listDiagnostics(db);
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SEVERITY', get: (r) => r.severity },
      { title: 'CODE', get: (r) => r.code },
      { title: 'WHERE', get: (r) => `${r.path ?? ''}${r.offset !== null ? ` @${r.offset}` : ''}${r.line !== null ? `:${r.line}` : ''}` },
      { title: 'MESSAGE', get: (r) => r.message },
    ]);
    return 0;
  });
}

function cmdFlows(args: string[]): number {
  const extra = { state: { type: 'string' as const }, ip: { type: 'string' as const }, port: { type: 'string' as const }, proto: { type: 'string' as const } };
  return withCase(args, extra, (db, v) => {
    const proto = v.proto as string | undefined;
    if (proto !== undefined && !['tcp', 'udp', 'icmp'].includes(proto)) fail(`--proto takes tcp, udp or icmp, not "${proto}"`);
    const rows = iterateFlows(db, {
      states: typeof v.state === 'string' ? v.state.split(',').map((s) => s.trim().toUpperCase()) : undefined,
      ip: v.ip as string | undefined,
      port: int(v.port as string | undefined, '--port'),
      proto: proto as 'tcp' | 'udp' | 'icmp' | undefined,
      limit: int(v.limit as string | undefined, '--limit'),
    });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable<FlowOut>(out, rows, [
      { title: 'START', get: (r) => fmtTime(r.start) },
      { title: 'PROTO', get: (r) => r.proto },
      { title: 'ORIG', get: (r) => hp(r.orig_ip, r.orig_port) },
      { title: 'RESP', get: (r) => hp(r.resp_ip, r.resp_port) },
      { title: 'STATE', get: (r) => r.state },
      { title: 'HISTORY', get: (r) => r.history },
      { title: 'DUR', get: (r) => r.duration.toFixed(3), right: true },
      { title: 'PKTS o/r', get: (r) => `${r.orig_pkts}/${r.resp_pkts}`, right: true },
      { title: 'BYTES o/r', get: (r) => `${r.orig_bytes}/${r.resp_bytes}`, right: true },
      { title: 'RST', get: (r) => r.rst_by },
      { title: 'NAT PEER', get: (r) => (r.nat_peer ? hp(r.nat_peer.orig_ip, r.nat_peer.orig_port) : null) },
    ]);
    return 0;
  });
}

/** `podcap pcap --flow ID -w FILE`: a flow's packets for Wireshark (tcpdump's -w spelling). */
async function cmdPcap(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, flow: { type: 'string' }, w: { type: 'string', short: 'w' } } });
  const casePath = needCase(values);
  const id = int(values.flow, '--flow');
  if (!id) fail('--flow ID is required (the id column of `podcap flows --json`)');
  if (!values.w) fail('-w FILE is required (where to write the packets)');
  const db = openCase(casePath, { readonly: true });
  try {
    const res = await exportFlowPcap(db, id);
    writeFileSync(values.w, res.bytes);
    process.stderr.write(`${res.packets} packets of flow ${id} written to ${safeCell(values.w)} (${res.format})\n`);
    return 0;
  } finally {
    db.close();
  }
}

function cmdRst(args: string[]): number {
  return withCase(args, { sender: { type: 'string' } }, (db, v) => {
    const rows = iterateRst(db, { senderIp: v.sender as string | undefined, limit: int(v.limit as string | undefined, '--limit') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable<RstOut>(out, rows, [
      { title: 'TIME', get: (r) => fmtTime(r.ts) },
      { title: 'SENDER', get: (r) => hp(r.sender_ip, r.sender_port) },
      { title: 'ROLE', get: (r) => r.sender_role },
      { title: 'RECEIVER', get: (r) => hp(r.receiver_ip, r.receiver_port) },
      { title: 'TTL', get: (r) => `${r.ttl}${r.ttl_baseline !== null ? `/${r.ttl_baseline}` : ''}`, right: true },
      { title: 'IDLE s', get: (r) => (r.idle_before_s === null ? null : r.idle_before_s.toFixed(3)), right: true },
      { title: 'VERDICT', get: (r) => r.verdict },
      { title: 'POD', get: (r) => r.sender_pod },
      { title: 'REASON', get: (r) => r.reason },
    ]);
    return 0;
  });
}

function cmdCorrelate(args: string[]): number {
  return withCase(args, { ip: { type: 'string' } }, (db, v) => {
    const rows = listCorrelations(db, { ip: v.ip as string | undefined });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'KIND', get: (r) => r.kind },
      { title: 'IP', get: (r) => r.ip },
      { title: 'POD', get: (r) => (r.pod ? `${r.namespace ? r.namespace + '/' : ''}${r.pod}` : r.service) },
      { title: 'NODE', get: (r) => r.node },
      { title: 'NETNS', get: (r) => r.netns_inode },
      { title: 'VETH', get: (r) => (r.veth ? `${r.veth} (${r.ifindex})` : null) },
      { title: 'CONTAINERS', get: (r) => r.container_ids.join(',') },
      { title: 'EVIDENCE', get: (r) => `${r.evidence.length} links` },
    ]);
    return 0;
  });
}

function cmdDrops(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const rows = listDrops(db, { limit: int(v.limit as string | undefined, '--limit') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'COUNT', get: (r) => r.count, right: true },
      { title: 'SOURCE', get: (r) => r.src },
      { title: 'DESTINATION', get: (r) => (r.dst_port !== null ? `${r.dst}:${r.dst_port}` : r.dst) },
      { title: 'PROTO', get: (r) => r.proto },
      { title: 'REASON', get: (r) => r.reason },
      { title: 'WHY', get: (r) => r.category },
      { title: 'DIR', get: (r) => r.direction },
      { title: 'NODE', get: (r) => r.node },
      { title: 'EVIDENCE', get: (r) => r.evidence.map((e) => `${e.source}:${e.lines.slice(0, 3).join(',')}${e.lines.length > 3 ? ',…' : ''}`).join(' ') },
    ]);
    return 0;
  });
}

function cmdFanout(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const rows = listFanout(db, { limit: int(v.limit as string | undefined, '--limit') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'WHO', get: (r) => r.who },
      { title: 'NETNS', get: (r) => r.netns },
      { title: 'NODE', get: (r) => r.node },
      { title: 'CONNS', get: (r) => r.connections, right: true },
      { title: 'DESTS', get: (r) => r.destinations, right: true },
      { title: 'PUBLIC', get: (r) => r.public_destinations, right: true },
      { title: 'PEAK/MIN', get: (r) => r.peak_per_minute, right: true },
      { title: 'MEDIAN LIFE s', get: (r) => (r.median_lifetime_s === null ? null : r.median_lifetime_s.toFixed(3)), right: true },
      { title: '1-REQ %', get: (r) => (r.one_request_share === null ? null : (r.one_request_share * 100).toFixed(0)), right: true },
      { title: 'EVIDENCE', get: (r) => r.evidence },
      { title: 'TOP DESTINATION', get: (r) => (r.top_destinations[0] ? `${r.top_destinations[0].ip}:${r.top_destinations[0].port} (${r.top_destinations[0].connections})` : null) },
    ]);
    return 0;
  });
}

function cmdPorts(args: string[]): number {
  return withCase(args, { allocation: { type: 'string' } }, (db, v) => {
    const rows = listPorts(db, { limit: int(v.limit as string | undefined, '--limit'), allocation: int(v.allocation as string | undefined, '--allocation') });
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SNAT IP', get: (r) => r.snat_ip },
      { title: 'DESTINATION', get: (r) => hp(r.dst_ip, r.dst_port) },
      { title: 'PORTS', get: (r) => r.distinct_src_ports, right: true },
      { title: 'PEAK', get: (r) => r.peak_concurrent, right: true },
      { title: 'HELD %', get: (r) => (r.utilization * 100).toFixed(1), right: true },
      { title: 'REUSED', get: (r) => r.reused_ports, right: true },
      { title: 'MIN REUSE GAP s', get: (r) => (r.min_reuse_gap_s === null ? null : r.min_reuse_gap_s.toFixed(3)), right: true },
      { title: 'STALE ACK', get: (r) => r.stale_ack_resets, right: true },
      { title: 'PODS', get: (r) => r.pods.map((p) => `${p.pod} (${p.ports})`).join(', ') },
    ]);
    return 0;
  });
}

function printFindings(out: Out, rows: FindingOut[]): void {
  if (rows.length === 0) {
    out.line('No findings: none of the runbook rules fired on this case.');
    out.flush();
    return;
  }
  for (const f of rows) {
    out.line(`[${f.severity.toUpperCase()}] ${safeCell(f.title)}`);
    out.line(`  ${safeCell(f.detail)}`);
    for (const e of f.evidence.slice(0, 4)) {
      const what = [e.lines?.length ? `lines ${e.lines.slice(0, 8).join(', ')}${e.lines.length > 8 ? '…' : ''}` : '', e.flows?.length ? `flows ${e.flows.slice(0, 8).join(', ')}${e.flows.length > 8 ? '…' : ''}` : ''].filter(Boolean).join('; ');
      out.line(`  evidence: ${safeCell(e.source)}${what ? ` (${what})` : ''}`);
    }
    out.line(`  next: ${safeCell(f.next_step)}`);
    out.line('');
  }
  out.flush();
}

function cmdFindings(args: string[]): number {
  return withCase(args, {}, (db, v) => {
    const rows = listFindings(db);
    const out = new Out();
    if (v.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printFindings(out, rows);
    return 0;
  });
}

/** `FROM..TO`, each epoch seconds or an ISO 8601 time (UTC unless it says otherwise); either side may be empty. */
export function parseWindow(s: string): TimeWindow {
  const m = /^(.*)\.\.(.*)$/.exec(s);
  if (!m) fail(`--window takes FROM..TO, not "${s}"`);
  const t = (x: string): number | undefined => {
    if (x.trim() === '') return undefined;
    if (/^\d+(\.\d+)?$/.test(x.trim())) return Math.round(Number(x) * 1e6);
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(x) ? x : x + 'Z');
    if (Number.isNaN(ms)) fail(`cannot read the time "${x}" (use epoch seconds or ISO 8601)`);
    return ms * 1000;
  };
  return { fromUs: t(m[1]), toUs: t(m[2]) };
}

function fmtWindowEnd(us: number): string {
  return Number.isFinite(us) ? new Date(Math.floor(us / 1000)).toISOString() : '';
}

function cmdCompare(args: string[]): number {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, against: { type: 'string' }, window: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
  const a = openCase(needCase(values), { readonly: true });
  const windows = (values.window ?? []).map(parseWindow);
  let b: CaseDb | undefined;
  try {
    let rows: CompareRow[];
    if (values.against) {
      b = openCase(values.against, { readonly: true });
      rows = compareSides({ db: a, window: windows[0] ?? {} }, { db: b, window: windows[1] ?? windows[0] ?? {} });
    } else {
      if (windows.length !== 2) fail('compare needs --against CASE, or two --window FROM..TO of the same case');
      rows = compareSides({ db: a, window: windows[0] }, { db: a, window: windows[1] });
    }
    // Say so when a window was widened: the answer covers whole minutes, not the times given.
    const sides: [CaseDb, TimeWindow | undefined][] = values.against ? [[a, windows[0]], [b!, windows[1] ?? windows[0]]] : [[a, windows[0]], [a, windows[1]]];
    for (const [db, w] of sides) {
      if (!w || (w.fromUs === undefined && w.toUs === undefined)) continue;
      const p = planWindow(db, w);
      if (p.mode === 'minutes') process.stderr.write(`podcap: note: ${db.name} holds many flows; fan-out, SNAT ports and findings cover whole minutes ${fmtWindowEnd(p.fromUs)}..${fmtWindowEnd(p.toUs)}\n`);
    }
    const out = new Out();
    if (values.json) { for (const r of rows) out.json(r); out.flush(); return 0; }
    printTable(out, rows, [
      { title: 'SECTION', get: (r) => r.section },
      { title: 'KEY', get: (r) => r.key },
      { title: 'A', get: (r) => r.a, right: true },
      { title: 'B', get: (r) => r.b, right: true },
      { title: 'DELTA', get: (r) => r.delta, right: true },
      { title: 'CHANGE', get: (r) => r.change },
    ]);
    return 0;
  } finally {
    a.close();
    b?.close();
  }
}

/** The one-command answer for a bundle: ingest into a temporary case and print the findings. */
async function cmdReport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, keep: { type: 'string' } } });
  if (positionals.length === 0) fail('report needs at least one PATH');
  const dir = mkdtempSync(join(tmpdir(), 'podcap-report-'));
  const casePath = values.keep ?? join(dir, 'report.case.db');
  const db = openCase(casePath);
  const bar = progressBar();
  try {
    const results = await ingestAndAnswer(db, positionals, { onProgress: (p) => bar.update(p), workDir: join(dir, 'work') });
    bar.done();
    for (const r of results) if (r.status === 'failed' || (r.status === 'unknown' && r.direct)) process.stderr.write(`podcap: ${safeCell(r.path)}: ${safeCell(r.reason ?? r.status)}\n`);
    const findings = listFindings(db);
    const out = new Out();
    if (values.json) { for (const f of findings) out.json(f); out.flush(); return 0; }
    const sources = listSourcesForReport(db);
    const kinds = new Map<string, number>();
    for (const s of sources) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    out.line(`podcap report: ${sources.length} files (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`);
    const top = listFanout(db, { limit: 3 });
    if (top.length) out.line(`top fan-out: ${top.map((f) => `${safeCell(f.who)} ${f.connections} connections (${f.evidence})`).join('; ')}`);
    out.line('');
    printFindings(out, findings);
    if (values.keep) process.stderr.write(`case kept in ${casePath}\n`);
    return 0;
  } finally {
    db.close();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  serve: cmdServe,
  ingest: cmdIngest,
  sources: cmdSources,
  flows: cmdFlows,
  rst: cmdRst,
  pcap: cmdPcap,
  diagnostics: cmdDiagnostics,
  correlate: cmdCorrelate,
  fanout: cmdFanout,
  drops: cmdDrops,
  ports: cmdPorts,
  findings: cmdFindings,
  compare: cmdCompare,
  report: cmdReport,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`podcap: unknown command "${safeCell(cmd)}"\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`podcap ${cmd}: ${safeCell(msg)}\n`);
    return e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
