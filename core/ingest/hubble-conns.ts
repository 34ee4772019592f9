/**
 * Hubble flow events as connections: one ConnRecord per TCP/UDP connection Hubble printed, with
 * Zeek's state and history letters from the TCP flags it logged, so the answers that read the
 * flows table (fan-out, RST, findings) see connections on a Cilium node without a capture.
 *
 * Hubble logs a packet at each observation point (to-stack, to-endpoint, policy-verdict + drop),
 * so the same packet is counted once. Its events carry no sequence numbers, TTLs or payload
 * sizes: ISNs and TTLs are -1 and bytes 0, and RST verdicts stay unknown unless a rule explains them.
 */
import { CaseWriter } from '../db/case-writer.js';
import { createHash } from 'node:crypto';
import { capturesAmong, deleteHubbleFlows, foldHubbleFlows, hubbleSources, loadHubbleRecords, markHubbleFlowsMade, noteHubbleWithoutAddress, podAddresses } from '../db/hubble-flows.js';
import type { CaseDb } from '../db/open-case.js';
import type { HubbleEndpoint, HubbleFlow } from '../formats/hubble/types.js';
import type { ConnRecord, ConnState, RstEvent } from '../flows/types.js';

/** One packet as Hubble logged it, with its true sender (a compact reply is printed originator first). */
interface Pkt {
  tsUs: number;
  from: string;
  to: string;
  flags: Set<string>;
  key: string;
  isReply?: boolean;
}

/** Observations of one packet at several points are this close together (µs). */
const SAME_PACKET_US = 2_000;
/** A new SYN this long after the last packet of a tuple starts a new connection (port reuse). */
const REUSE_GAP_US = 300_000_000;

export interface HubbleConns {
  conns: ConnRecord[];
  rsts: RstEvent[];
  /** L4 events that named pods without their addresses (compact/table): no tuple to store. */
  withoutAddress: number;
  /** Events that were the same packet seen again at another observation point. */
  duplicates: number;
}

const ep = (ip: string, port: number) => `${ip}|${port}`;

/** A pod's address by `namespace/pod`, for endpoints printed by name (compact and table output). */
export type PodAddress = (pod: string) => string | undefined;

function addressOf(e: HubbleEndpoint, pods: PodAddress): string | null {
  if (e.ip !== null) return e.ip;
  return e.pod ? pods(`${e.namespace ?? ''}/${e.pod}`) ?? null : null;
}

function packetOf(f: HubbleFlow, pods: PodAddress): { proto: 'tcp' | 'udp'; pkt: Pkt } | 'skip' | 'no-address' {
  if (f.proto !== 'tcp' && f.proto !== 'udp') return 'skip';
  // L7 records and policy decisions describe a packet logged by its own trace/drop event too.
  if (/^(http|dns|kafka)-|^L7$|^policy-verdict/.test(f.event)) return 'skip';
  if (f.tsUs === undefined || f.src.port === null || f.dst.port === null) return 'skip';
  const srcIp = addressOf(f.src, pods);
  const dstIp = addressOf(f.dst, pods);
  if (srcIp === null || dstIp === null) return 'no-address';
  const a = ep(srcIp, f.src.port);
  const b = ep(dstIp, f.dst.port);
  const [from, to] = f.arrow === '<-' ? [b, a] : [a, b];
  const flags = new Set(f.tcpFlags ?? []);
  return { proto: f.proto, pkt: { tsUs: f.tsUs, from, to, flags, key: `${from}>${[...flags].sort().join(',')}`, isReply: f.isReply } };
}

export function hubbleConns(flows: readonly HubbleFlow[], sourceId: number, pods: PodAddress = () => undefined): HubbleConns {
  const groups = new Map<string, { proto: 'tcp' | 'udp'; pkts: Pkt[] }>();
  let withoutAddress = 0;
  for (const f of flows) {
    const p = packetOf(f, pods);
    if (p === 'skip') continue;
    if (p === 'no-address') { withoutAddress++; continue; }
    const k = `${p.proto}|${[p.pkt.from, p.pkt.to].sort().join('|')}`;
    const g = groups.get(k);
    if (g) g.pkts.push(p.pkt);
    else groups.set(k, { proto: p.proto, pkts: [p.pkt] });
  }
  const out: HubbleConns = { conns: [], rsts: [], withoutAddress, duplicates: 0 };
  let connId = 0;
  for (const { proto, pkts } of groups.values()) {
    pkts.sort((x, y) => x.tsUs - y.tsUs);
    const unique: Pkt[] = [];
    for (const p of pkts) {
      // Only the last few milliseconds can hold the same packet (a long connection has many events).
      let dup = false;
      for (let j = unique.length - 1; j >= 0 && p.tsUs - unique[j].tsUs <= SAME_PACKET_US; j--) {
        if (unique[j].key === p.key) { dup = true; break; }
      }
      if (dup) { out.duplicates++; continue; }
      unique.push(p);
    }
    for (const run of splitReuse(unique, proto)) {
      const c = connOf(proto, run, ++connId, sourceId, out.rsts);
      out.conns.push(c);
    }
  }
  out.conns.sort((a, b) => a.startUs - b.startUs);
  return out;
}

const isSyn = (p: Pkt) => p.flags.has('SYN') && !p.flags.has('ACK');

/**
 * A tuple reused later is another connection: a SYN after a close or after the handshake was
 * answered (a retried SYN comes only before its SYN-ACK), or after a long silence.
 */
function splitReuse(pkts: Pkt[], proto: string): Pkt[][] {
  const runs: Pkt[][] = [];
  let cur: Pkt[] = [];
  let rst = false;
  let answered = false;
  const fins = new Set<string>();
  for (const p of pkts) {
    const last = cur[cur.length - 1];
    const over = rst || answered || fins.size >= 2;
    if (last && (p.tsUs - last.tsUs > REUSE_GAP_US || (proto === 'tcp' && isSyn(p) && over))) {
      runs.push(cur);
      cur = [];
      rst = false;
      answered = false;
      fins.clear();
    }
    cur.push(p);
    if (p.flags.has('RST')) rst = true;
    if (p.flags.has('SYN') && p.flags.has('ACK')) answered = true;
    if (p.flags.has('FIN')) fins.add(p.from);
  }
  if (cur.length) runs.push(cur);
  return runs;
}

/** Who opened it: a SYN's sender, a SYN-ACK's receiver, Hubble's own reply bit, else the first sender (a guess). */
function originator(pkts: Pkt[]): { orig: string; guessed: boolean } {
  const syn = pkts.find(isSyn);
  if (syn) return { orig: syn.from, guessed: false };
  const synAck = pkts.find((p) => p.flags.has('SYN') && p.flags.has('ACK'));
  if (synAck) return { orig: synAck.to, guessed: false };
  const known = pkts.find((p) => p.isReply !== undefined);
  if (known) return { orig: known.isReply ? known.to : known.from, guessed: false };
  return { orig: pkts[0].from, guessed: true };
}

function split(e: string): [string, number] {
  const i = e.lastIndexOf('|');
  return [e.slice(0, i), Number(e.slice(i + 1))];
}

function connOf(proto: 'tcp' | 'udp', pkts: Pkt[], connId: number, sourceId: number, rsts: RstEvent[]): ConnRecord {
  const { orig, guessed } = originator(pkts);
  const first = pkts[0];
  const resp = first.from === orig ? first.to : first.from;
  const [origIp, origPort] = split(orig);
  const [respIp, respPort] = split(resp);
  const seen = { o: new Set<string>(), r: new Set<string>() };
  let history = '';
  let requests = 0;
  let lastDataFromOrig = false;
  let origPkts = 0;
  let respPkts = 0;
  let prevUs = -1;
  for (const p of pkts) {
    const fromOrig = p.from === orig;
    if (fromOrig) origPkts++;
    else respPkts++;
    const side = fromOrig ? seen.o : seen.r;
    const letters: string[] = [];
    if (proto === 'tcp') {
      if (p.flags.has('SYN')) letters.push(p.flags.has('ACK') ? 'H' : 'S');
      else if (p.flags.has('PSH')) letters.push('D');
      else if (p.flags.has('ACK') && !p.flags.has('FIN') && !p.flags.has('RST')) letters.push('A');
      if (p.flags.has('FIN')) letters.push('F');
      if (p.flags.has('RST')) letters.push('R');
    } else letters.push('D');
    for (const l of letters) {
      if (side.has(l)) continue;
      side.add(l);
      history += fromOrig ? l : l.toLowerCase();
    }
    const data = proto === 'tcp' ? p.flags.has('PSH') : true;
    if (data && fromOrig && !lastDataFromOrig) requests++;
    if (data) lastDataFromOrig = fromOrig;
    if (proto === 'tcp' && p.flags.has('RST')) {
      const answersSyn = !fromOrig && !seen.r.has('H') && !seen.r.has('A') && !seen.r.has('D') && seen.o.has('S') && !seen.o.has('D');
      const [sIp, sPort] = split(p.from);
      const [rIp, rPort] = split(p.to);
      const idle = prevUs < 0 ? -1 : p.tsUs - prevUs;
      rsts.push({
        connId, tsUs: p.tsUs, senderIp: sIp, senderPort: sPort, receiverIp: rIp, receiverPort: rPort, senderRole: guessed ? 'unknown' : fromOrig ? 'orig' : 'resp',
        flags: 0x04 | (p.flags.has('ACK') ? 0x10 : 0), seq: -1, ack: -1, ttl: -1, ipId: -1, senderPrevTtl: -1, senderPrevIpId: -1,
        idleBeforeUs: idle, quietBeforeUs: idle, answersSyn, payloadLen: 0, sightings: [{ sourceId, iface: -1, ifindex: -1 }],
      });
    }
    prevUs = p.tsUs;
  }
  const rstO = seen.o.has('R');
  const rstR = seen.r.has('R');
  const last = pkts[pkts.length - 1].tsUs;
  return {
    proto, origIp, origPort, respIp, respPort, startUs: first.tsUs, endUs: last, lastPktUs: last,
    state: proto === 'tcp' ? tcpState(seen.o, seen.r, guessed) : respPkts > 0 ? 'SF' : 'S0',
    history, origPkts, respPkts, origBytes: 0, respBytes: 0, origIpBytes: 0, respIpBytes: 0, missedBytes: 0, originGuessed: guessed,
    rstBy: rstO && rstR ? 'both' : rstO ? 'orig' : rstR ? 'resp' : null,
    origIsn: -1, respIsn: -1, origTtl: -1, respTtl: -1, origRequests: requests, sightings: [{ sourceId, iface: -1, ifindex: -1 }],
    tunnel: null, duplicatePkts: 0, connId, icmpErrors: 0, lastIcmpError: null,
  };
}

/** Zeek's conn_state (base/protocols/conn/main.zeek) from which flags each side sent. */
export function tcpState(o: Set<string>, r: Set<string>, guessed: boolean): ConnState {
  const answered = r.has('H') || r.has('A') || r.has('D') || r.has('F');
  if (o.has('S') && !r.has('H')) {
    if (r.has('R') && !answered) return 'REJ';
    if (o.has('R') && !answered) return 'RSTOS0';
    if (!answered && !o.has('D') && !o.has('A') && !o.has('F')) return 'S0';
  }
  if (!o.has('S') && r.has('H') && !o.has('A') && !o.has('D')) return r.has('R') ? 'RSTRH' : r.has('F') ? 'SHR' : 'OTH';
  const established = (o.has('S') && r.has('H')) || (guessed ? false : answered) || (!o.has('S') && answered);
  if (o.has('R')) return established || !o.has('S') ? 'RSTO' : 'RSTOS0';
  if (r.has('R')) return 'RSTR';
  if (!established) return o.has('S') ? (o.has('F') ? 'SH' : 'S0') : 'OTH';
  if (o.has('F') && r.has('F')) return 'SF';
  if (o.has('F')) return 'S2';
  if (r.has('F')) return 'S3';
  return o.has('S') ? 'S1' : 'OTH';
}

/**
 * The correlate phase's step for Hubble: each Hubble dump's connections as flow rows (pod names
 * resolved with the identity graph just rebuilt), folded into their capture twins. A dump is made
 * again only when the pod addresses changed since it was made; rows are folded again when they
 * were made anew or a capture arrived.
 */
export function rebuildHubbleFlows(db: CaseDb, newSourceIds: readonly number[] = []): { written: number; folded: number } {
  const sources = hubbleSources(db);
  if (sources.length === 0) return { written: 0, folded: 0 };
  const addresses = podAddresses(db);
  const podsKey = createHash('sha256').update(JSON.stringify([...addresses])).digest('hex').slice(0, 16);
  const newCapture = newSourceIds.length > 0 && capturesAmong(db, newSourceIds);
  const writer = new CaseWriter(db);
  const toFold: { sourceId: number; firstId: number; lastId: number }[] = [];
  let written = 0;
  for (const s of sources) {
    let made = s.made;
    if (!made || made.pods !== podsKey) {
      deleteHubbleFlows(db, s.id, made);
      const h = hubbleConns(loadHubbleRecords(db, s.id), s.id, (pod) => addresses.get(pod));
      for (const e of h.rsts) writer.addRst(e);
      let firstId: number | null = null;
      let lastId: number | null = null;
      for (const c of h.conns) {
        const id = writer.addConn(s.id, c, false);
        firstId ??= id;
        lastId = id;
      }
      written += h.conns.length;
      made = { pods: podsKey, firstId, lastId };
      markHubbleFlowsMade(db, s.id, made);
      if (h.withoutAddress > 0) {
        noteHubbleWithoutAddress(db, s.id, s.path, `${h.withoutAddress} TCP/UDP events name a pod whose address no file of the case gives `
          + '(compact/table output prints names): they make no flow rows; add `kubectl get pods -o wide` or use `hubble observe -o json`');
      }
      if (firstId !== null && lastId !== null) toFold.push({ sourceId: s.id, firstId, lastId });
    } else if (newCapture && made.firstId !== null && made.lastId !== null) {
      toFold.push({ sourceId: s.id, firstId: made.firstId, lastId: made.lastId });
    }
  }
  return { written, folded: toFold.length ? foldHubbleFlows(db, toFold) : 0 };
}
