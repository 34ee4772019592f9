/**
 * A case of synthetic-but-valid flows for the query bench and the rollup tests: tracker records
 * written through the same CaseWriter as a real ingest (NAT halves sharing ISNs, RST events with
 * TTL evidence, Zeek states in realistic shares, a few pods opening most connections), pods from
 * a `kubectl get pods -A -o wide` dump ingested the normal way, then the correlate phase and
 * the index phase as in a real ingest. Deterministic: the same target gives the same case.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseWriter } from '../core/db/case-writer.js';
import { openCase } from '../core/db/open-case.js';
import type { ConnRecord, ConnState, RstEvent } from '../core/flows/types.js';
import { ingestPaths } from '../core/ingest/ingest.js';
import { materializeAnswers } from '../core/ingest/index-phase.js';

const NODE = 'aks-nodepool1-38164255-vmss000009';
export const NODE_IPS = ['10.240.0.4', '10.240.0.5', '10.240.0.6', '10.240.0.7'];
const PODS = 300;
export const T0_US = Date.UTC(2026, 10, 21, 14, 0, 0) * 1000;
const SPAN_US = 3600e6;

/** A small deterministic generator, so two runs build the same case. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const podIp = (p: number) => `10.244.${1 + (p >> 7)}.${(p & 127) + 2}`;
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
export async function buildSyntheticCase(path: string, target: number): Promise<void> {
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
  const { afterIngest } = await import('../core/ingest/correlate-phase.js');
  afterIngest(db, [src]);
  const t0 = performance.now();
  materializeAnswers(db);
  process.stderr.write(`whole-case answers computed in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rmSync(pods, { force: true });
}

