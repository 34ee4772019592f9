/**
 * `npm run bench -- --queries`: every api query the CLI and the UI use, timed on a case of one
 * million flows (p50/p95 of repeated calls, printed as a table). The flows are synthetic but valid
 * tracker records written through the same CaseWriter as a real ingest (NAT halves sharing ISNs,
 * RST events with TTL evidence, Zeek states in realistic shares), and the pods come from a
 * `kubectl get pods -A -o wide` dump ingested the normal way, so correlation and post-ingest
 * passes run as they do on a real case.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createQueryHandlers, type QueryChannel } from '../core/api/handlers.js';
import type { ApiRequest } from '../core/api/contract.js';
import { CaseWriter } from '../core/db/case-writer.js';
import { openCase, type CaseDb } from '../core/db/open-case.js';
import type { ConnRecord, ConnState, RstEvent } from '../core/flows/types.js';
import { ingestPaths } from '../core/ingest/ingest.js';
import { materializeAnswers } from '../core/api/materialize.js';

const NODE = 'aks-nodepool1-38164255-vmss000009';
const NODE_IPS = ['10.240.0.4', '10.240.0.5', '10.240.0.6', '10.240.0.7'];
const PODS = 300;
const T0_US = Date.UTC(2026, 10, 21, 14, 0, 0) * 1000;
const SPAN_US = 3600e6;

/** A small deterministic generator, so two runs build the same case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const podIp = (p: number) => `10.244.${1 + (p >> 7)}.${(p & 127) + 2}`;
const podName = (p: number) => `svc-${(p % 17).toString(36)}-${(p * 2654435761 >>> 0).toString(36).slice(0, 9)}-${(p * 40503 >>> 0).toString(36).slice(0, 5)}`;

function kubectlPods(): string {
  const head = 'NAMESPACE     NAME                                 READY   STATUS    RESTARTS   AGE     IP            NODE                                NOMINATED NODE   READINESS GATES';
  const rows = Array.from({ length: PODS }, (_, p) => `team-${p % 7}        ${podName(p)}   1/1     Running   0          5h      ${podIp(p)}   ${NODE}   <none>           <none>`);
  return [head, ...rows].join('\n') + '\n';
}

interface Dest { ip: string; port: number; proto: 'tcp' | 'udp'; public: boolean }
const DESTS: Dest[] = [
  ...Array.from({ length: 40 }, (_, i): Dest => ({ ip: `203.0.113.${i + 1}`, port: 443, proto: 'tcp', public: true })),
  ...Array.from({ length: 20 }, (_, i): Dest => ({ ip: `198.51.100.${i + 1}`, port: i % 2 ? 8443 : 443, proto: 'tcp', public: true })),
  ...Array.from({ length: 30 }, (_, i): Dest => ({ ip: `10.0.${i >> 4}.${(i & 15) + 10}`, port: 8080, proto: 'tcp', public: false })),
  { ip: '10.96.0.10', port: 53, proto: 'udp', public: false },
];

const STATES: [ConnState, number, string][] = [
  ['SF', 0.8, 'ShADadFf'], ['REJ', 0.04, 'Sr'], ['RSTO', 0.03, 'ShADadR'], ['RSTR', 0.05, 'ShADadr'], ['S0', 0.05, 'S'], ['SH', 0.01, 'ShF'], ['S1', 0.02, 'ShAD'],
];

function conn(partial: Partial<ConnRecord> & Pick<ConnRecord, 'proto' | 'origIp' | 'origPort' | 'respIp' | 'respPort' | 'startUs' | 'endUs' | 'state' | 'history' | 'connId'>): ConnRecord {
  return {
    lastPktUs: partial.endUs, origPkts: 6, respPkts: 4, origBytes: 300, respBytes: 1200, origIpBytes: 620, respIpBytes: 1400, missedBytes: 0, originGuessed: false,
    rstBy: null, origIsn: -1, respIsn: -1, origTtl: 64, respTtl: 52, origRequests: 1, sightings: [], tunnel: null, duplicatePkts: 0, icmpErrors: 0, lastIcmpError: null,
    ...partial,
  };
}

/** Writes `target` flows (pod-side halves plus their SNAT halves) into a fresh case. */
async function buildCase(path: string, target: number): Promise<void> {
  for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
  const db = openCase(path);
  const pods = join(path + '.pods.txt');
  writeFileSync(pods, kubectlPods());
  await ingestPaths(db, [pods], { node: NODE });
  const w = new CaseWriter(db);
  const rand = rng(42);
  db.exec('BEGIN');
  const src = w.addSource({ path: 'synthetic-1m-flows.pcap', kind: 'pcap', node: NODE, sha256: `synthetic-${target}`, bytes: 0 });
  const sight = [{ sourceId: src, iface: 0, ifindex: -1 }];
  let id = 0;
  let i = 0;
  while (w.flowsWritten < target) {
    i++;
    // A few pods open most connections (the fan-out story): cube of a uniform.
    const p = Math.floor(PODS * rand() ** 3);
    const d = DESTS[Math.floor(rand() * DESTS.length)];
    const start = T0_US + Math.floor((i / target) * 0.8 * SPAN_US + rand() * 1e6);
    const sport = 32768 + ((i * 7 + p) % 28000);
    if (d.proto === 'udp') {
      w.addConn(src, conn({ proto: 'udp', origIp: podIp(p), origPort: sport, respIp: d.ip, respPort: d.port, startUs: start, endUs: start + 800, state: 'SF', history: 'Dd', origPkts: 1, respPkts: 1, origBytes: 40, respBytes: 120, connId: ++id, sightings: sight }));
      continue;
    }
    let r = rand();
    const [state, , history] = STATES.find(([, share]) => (r -= share) < 0) ?? STATES[0];
    const long = rand() < 0.1;
    const end = start + (state === 'REJ' ? 300 : long ? Math.floor(rand() * 600e6) : 2000 + Math.floor(rand() * 50_000));
    const isn = Math.floor(rand() * 2 ** 32);
    const rstBy = state === 'REJ' || state === 'RSTR' ? 'resp' : state === 'RSTO' ? 'orig' : null;
    const halves: [string, number][] = [[podIp(p), sport]];
    if (d.public) halves.push([NODE_IPS[p % NODE_IPS.length], 1024 + ((i * 13) % 64000)]);
    for (const [h, [origIp, origPort]] of halves.entries()) {
      const connId = ++id;
      // The SNAT half was forwarded by the node: one hop less on the pod's packets.
      const origTtl = h === 0 ? 64 : 63;
      if (rstBy) {
        const fromResp = rstBy === 'resp';
        // One middlebox answers with a TTL out of line with the server's own packets.
        const middlebox = fromResp && d.ip === '203.0.113.7' && state === 'RSTR';
        const ev: RstEvent = {
          connId, tsUs: end, senderIp: fromResp ? d.ip : origIp, senderPort: fromResp ? d.port : origPort, receiverIp: fromResp ? origIp : d.ip, receiverPort: fromResp ? origPort : d.port,
          senderRole: rstBy, flags: 0x14, seq: isn + 301, ack: 0, ttl: middlebox ? 250 : fromResp ? 52 : origTtl, ipId: middlebox ? 7 : 1000 + (i & 0xffff),
          senderPrevTtl: state === 'REJ' ? -1 : fromResp ? 52 : origTtl, senderPrevIpId: -1, idleBeforeUs: state === 'REJ' ? 300 : 2000, quietBeforeUs: state === 'REJ' ? 300 : 2000,
          answersSyn: state === 'REJ', payloadLen: 0, sightings: sight,
        };
        w.addRst(ev);
      }
      w.addConn(src, conn({
        proto: 'tcp', origIp, origPort, respIp: d.ip, respPort: d.port, startUs: start, endUs: end, state, history, rstBy, connId, sightings: sight,
        origIsn: isn, respIsn: state === 'REJ' || state === 'S0' ? -1 : (isn ^ 0x5bd1e995) >>> 0,
        origPkts: state === 'REJ' ? 1 : 6, respPkts: state === 'REJ' ? 1 : state === 'S0' ? 0 : 4, origRequests: long ? 5 : 1, origTtl,
      }));
    }
  }
  w.finishSource(src, { kind: 'pcap', firstTs: T0_US, lastTs: T0_US + SPAN_US, records: w.flowsWritten, detail: { synthetic: true } });
  db.exec('COMMIT');
  const { afterIngest } = await import('../core/db/post-ingest.js');
  afterIngest(db, [src]);
  const t0 = performance.now();
  materializeAnswers(db);
  process.stderr.write(`whole-case answers computed in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rmSync(pods, { force: true });
}

type Call = { [C in QueryChannel]: [C, ApiRequest<C>] }[QueryChannel];

function calls(db: CaseDb): [string, Call][] {
  const win = { fromUs: T0_US + 10 * 60e6, toUs: T0_US + 20 * 60e6 };
  const top = db.prepare(`SELECT resp_ip AS ip, resp_port AS port FROM flows WHERE orig_ip = ? GROUP BY resp_ip, resp_port ORDER BY count(*) DESC LIMIT 1`).get(NODE_IPS[0]) as { ip: string; port: number };
  return [
    ['case.info', ['case.info', {}]],
    ['sources.list', ['sources.list', {}]],
    ['flows.list (first page, by start)', ['flows.list', { limit: 200 }]],
    ['flows.list (page 2,000, by start)', ['flows.list', { offset: 400_000, limit: 200 }]],
    ['flows.list sorted by resp_bytes desc', ['flows.list', { sort: { column: 'resp_bytes', desc: true }, limit: 200 }]],
    ['flows.list filter state == REJ', ['flows.list', { filter: 'state == REJ', limit: 200 }]],
    ['flows.list filter ip.addr && rst', ['flows.list', { filter: `ip.addr == ${podIp(0)} && tcp.flags.reset == 1`, limit: 200 }]],
    ['flows.list 10-min window', ['flows.list', { ...win, limit: 200 }]],
    ['rst.list (first 1,000)', ['rst.list', { limit: 1000 }]],
    ['rst.summary', ['rst.summary', {}]],
    ['rst.summary 10-min window', ['rst.summary', { ...win, bucketSeconds: 10 }]],
    ['fanout.list', ['fanout.list', {}]],
    ['fanout.list 10-min window', ['fanout.list', win]],
    ['ports.list', ['ports.list', {}]],
    ['ports.list 10-min window', ['ports.list', win]],
    ['ports.heatmap (busiest destination)', ['ports.heatmap', { dstIp: top.ip, dstPort: top.port }]],
    ['conntrack.timeline', ['conntrack.timeline', {}]],
    ['correlate.list', ['correlate.list', {}]],
    ['findings.list', ['findings.list', {}]],
    ['findings.list 10-min window', ['findings.list', win]],
    ['compare.run (two windows)', ['compare.run', { windows: { a: win, b: { fromUs: T0_US + 30 * 60e6, toUs: T0_US + 40 * 60e6 } } }]],
  ];
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

export async function benchQueries(dir: string, flows: number, runs: number, match?: RegExp): Promise<string> {
  const path = join(dir, `queries-${flows}.case.db`);
  let built = 0;
  if (!existsSync(path)) {
    const t0 = performance.now();
    process.stderr.write(`writing ${flows.toLocaleString('en-US')} synthetic flows into ${path}…\n`);
    await buildCase(path, flows);
    built = (performance.now() - t0) / 1000;
  }
  const db = openCase(path, { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n;
  const rsts = (db.prepare('SELECT count(*) AS n FROM rst_events').get() as { n: number }).n;
  const h = createQueryHandlers(db, path);
  const rows: string[][] = [];
  for (const [label, [channel, req]] of calls(db).filter(([l]) => !match || match.test(l))) {
    const fn = h[channel] as (r: unknown) => unknown;
    let size = 0;
    const times: number[] = [];
    process.stderr.write(`  ${label}…\n`);
    for (let r = 0; r < runs + 1; r++) {
      const t0 = performance.now();
      const out = await fn(req);
      const dt = performance.now() - t0;
      if (r > 0) times.push(dt); // the first call warms SQLite's page cache and prepares statements
      size = Array.isArray(out) ? out.length : (out as { rows?: unknown[] }).rows?.length ?? 1;
    }
    const p95 = pct(times, 95);
    rows.push([label, pct(times, 50).toFixed(1), p95.toFixed(1), String(size), p95 < 100 ? 'ok' : 'OVER 100 ms']);
    process.stderr.write(`  ${label}: p95 ${p95.toFixed(1)} ms\n`);
  }
  db.close();
  const header = ['query', 'p50 ms', 'p95 ms', 'rows', '< 100 ms p95'];
  const widths = header.map((x, i) => Math.max(x.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return `\nqueries on ${n.toLocaleString('en-US')} flows, ${rsts.toLocaleString('en-US')} RST events (${runs} runs each${built ? `; case written in ${built.toFixed(1)} s` : ''})\n`
    + fmt(header) + '\n' + widths.map((x) => '-'.repeat(x)).join('  ') + '\n' + rows.map(fmt).join('\n') + '\n';
}
