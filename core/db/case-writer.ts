import { boundedMessage, type Diagnostic } from '../diagnostics.js';
import type { ConnRecord, RstEvent, Sighting } from '../flows/types.js';
import type { CaseDb } from './open-case.js';

export interface NewSource {
  path: string;
  kind: string;
  node: string | null;
  /** Bundle folder grouping one node's files ("" at the top); null when the node was given. */
  folder?: string | null;
  sha256: string;
  bytes: number;
}

/** Window within which the same connection seen by two capture files is taken as one. */
const MERGE_SLACK_US = 5_000_000;
/** Without ISNs to compare, two sightings must start this close together to be one connection. */
const NO_ISN_SLACK_US = 1_000_000;

/**
 * The same connection already stored by another source, looked up by the full tuple (flows_tuple):
 * left to itself the planner picks flows_resp for the time range and walks every earlier flow to
 * the same service, which made adding a capture to a non-empty case quadratic (issue 10).
 */
export const FIND_TWIN_SQL = `SELECT id, source_id FROM flows INDEXED BY flows_tuple WHERE orig_ip = ? AND orig_port = ? AND resp_ip = ? AND resp_port = ? AND proto = ?
  AND orig_isn = ? AND resp_isn = ? AND source_id <> ? AND start_us <= ? AND end_us >= ? LIMIT 1`;
/** Without ISNs (UDP, ICMP, TCP picked up mid-stream) the same tuple starting at nearly the same time is the twin. */
export const FIND_TWIN_NO_ISN_SQL = `SELECT id, source_id FROM flows INDEXED BY flows_tuple WHERE orig_ip = ? AND orig_port = ? AND resp_ip = ? AND resp_port = ? AND proto = ?
  AND source_id <> ? AND start_us BETWEEN ? AND ? LIMIT 1`;

/**
 * All writes of one source's ingest, as prepared statements inside one transaction that the
 * caller opens and commits or rolls back (so a failed source leaves the case as it was).
 */
/** True when the case already holds a source with these bytes (its sha256, or `sha#n` for a file's n-th section). */
export function hasSourceSha(db: CaseDb, sha256: string): boolean {
  return db.prepare('SELECT 1 FROM sources WHERE sha256 = ?').get(sha256) !== undefined;
}

export class CaseWriter {
  private readonly insSource;
  private readonly finSource;
  private readonly insIface;
  private readonly insDiag;
  private readonly insFlow;
  private readonly findTwin;
  private readonly findTwinNoIsn;
  private readonly mergeFlow;
  private readonly insFlowSighting;
  private readonly insFlowSighting2;
  private readonly insRst;
  private readonly findRstTwin;
  private readonly insRstSighting;
  /** Skip the cross-source merge lookups while the case had no flows before this source. */
  private readonly caseHadFlows: boolean;
  private readonly pendingRsts = new Map<number, RstEvent[]>();
  /** This source's TCP flows by originator ISN, to pair NAT halves as they are written. */
  private readonly byIsn = new Map<number, NatCandidate[]>();
  private latestEndUs = 0;
  /** Halves in byIsn (the sum of its lists). */
  private natWaiting = 0;
  private readonly setPeer;
  flowsWritten = 0;
  natLinked = 0;
  flowsMerged = 0;
  rstsWritten = 0;

  constructor(private readonly db: CaseDb) {
    this.insSource = db.prepare(`INSERT INTO sources (path, kind, node, folder, sha256, bytes, records, ingested_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`);
    this.finSource = db.prepare(`UPDATE sources SET kind = ?, first_ts = ?, last_ts = ?, records = ?, detail = ? WHERE id = ?`);
    this.insIface = db.prepare(`INSERT INTO capture_interfaces (source_id, iface, name, description, link_type, snaplen, packets) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.insDiag = db.prepare(`INSERT INTO diagnostics (source_id, path, code, severity, message, offset, line) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.insFlow = db.prepare(`INSERT INTO flows (source_id, proto, orig_ip, orig_port, resp_ip, resp_port, start_us, end_us, state, history,
      orig_pkts, resp_pkts, orig_bytes, resp_bytes, orig_ip_bytes, resp_ip_bytes, missed_bytes, origin_guessed, rst_by, orig_isn, resp_isn,
      orig_ttl, resp_ttl, dup_pkts, icmp_errors, tunnel, requests, nat_peer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.findTwin = db.prepare(FIND_TWIN_SQL);
    this.findTwinNoIsn = db.prepare(FIND_TWIN_NO_ISN_SQL);
    this.mergeFlow = db.prepare(`UPDATE flows SET start_us = min(start_us, ?), end_us = max(end_us, ?), orig_pkts = max(orig_pkts, ?), resp_pkts = max(resp_pkts, ?),
      orig_bytes = max(orig_bytes, ?), resp_bytes = max(resp_bytes, ?), dup_pkts = dup_pkts + ? WHERE id = ?`);
    this.insFlowSighting = db.prepare(`INSERT OR IGNORE INTO flow_sightings (flow_id, source_id, iface, ifindex) VALUES (?, ?, ?, ?)`);
    this.insFlowSighting2 = db.prepare(`INSERT OR IGNORE INTO flow_sightings (flow_id, source_id, iface, ifindex) VALUES (?, ?, ?, ?), (?, ?, ?, ?)`);
    this.insRst = db.prepare(`INSERT INTO rst_events (flow_id, source_id, ts_us, sender_ip, sender_port, receiver_ip, receiver_port, sender_role, flags, seq, ack, ttl, ip_id,
      sender_prev_ttl, sender_prev_ip_id, idle_before_us, answers_syn, payload_len, quiet_before_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.findRstTwin = db.prepare(`SELECT id FROM rst_events WHERE flow_id = ? AND sender_ip = ? AND seq = ? AND flags = ? AND ts_us BETWEEN ? AND ? LIMIT 1`);
    this.insRstSighting = db.prepare(`INSERT OR IGNORE INTO rst_sightings (rst_id, source_id, iface, ifindex) VALUES (?, ?, ?, ?)`);
    this.caseHadFlows = db.prepare('SELECT 1 FROM flows LIMIT 1').get() !== undefined;
    this.setPeer = db.prepare('UPDATE flows SET nat_peer = ? WHERE id = ?');
  }

  addSource(s: NewSource): number {
    return Number(this.insSource.run(s.path, s.kind, s.node, s.folder ?? null, s.sha256, s.bytes, Date.now() * 1000).lastInsertRowid);
  }

  finishSource(id: number, f: { kind: string; firstTs: number | null; lastTs: number | null; records: number; detail: unknown }): void {
    this.finSource.run(f.kind, f.firstTs, f.lastTs, f.records, JSON.stringify(f.detail ?? null), id);
  }

  addInterface(sourceId: number, i: { iface: number; name?: string; description?: string; linkType: number; snaplen: number; packets: number }): void {
    this.insIface.run(sourceId, i.iface, i.name ?? null, i.description ?? null, i.linkType, i.snaplen, i.packets);
  }

  addDiagnostic(sourceId: number | null, path: string, d: Diagnostic): void {
    // Bounded here too: not every diagnostic is made by diag().
    this.insDiag.run(sourceId, boundedText(d.source ?? path), d.code, d.severity, boundedMessage(d.message), d.offset ?? null, d.line ?? null);
  }

  /** RSTs arrive before their connection is complete; they are written with it. */
  addRst(e: RstEvent): void {
    const list = this.pendingRsts.get(e.connId);
    if (list) list.push(e);
    else this.pendingRsts.set(e.connId, [e]);
  }

  /**
   * `mergeTwins` false: written as its own row even when another source holds the connection
   * (Hubble flows, which the correlate phase folds into their twins whichever file came first).
   */
  addConn(sourceId: number, c: ConnRecord, mergeTwins = true): number {
    let flowId = -1;
    let merged = false;
    if (this.caseHadFlows && mergeTwins) {
      const twin = (c.proto === 'tcp' && c.origIsn >= 0
        ? this.findTwin.get(c.origIp, c.origPort, c.respIp, c.respPort, c.proto, c.origIsn, c.respIsn, sourceId, c.endUs + MERGE_SLACK_US, c.startUs - MERGE_SLACK_US)
        : this.findTwinNoIsn.get(c.origIp, c.origPort, c.respIp, c.respPort, c.proto, sourceId, c.startUs - NO_ISN_SLACK_US, c.startUs + NO_ISN_SLACK_US)) as { id: number } | undefined;
      if (twin) {
        flowId = twin.id;
        merged = true;
        this.mergeFlow.run(c.startUs, c.endUs, c.origPkts, c.respPkts, c.origBytes, c.respBytes, c.duplicatePkts, flowId);
        this.flowsMerged++;
      }
    }
    if (!merged) {
      // The NAT half this one completes, if it is waiting: the new row is written with its peer.
      const natPair = c.proto === 'tcp' && c.origIsn >= 0;
      const peer = natPair ? this.takeNatPeer(c) : undefined;
      flowId = Number(this.insFlow.run(sourceId, c.proto, c.origIp, c.origPort, c.respIp, c.respPort, c.startUs, c.endUs, c.state, c.history,
        c.origPkts, c.respPkts, c.origBytes, c.respBytes, c.origIpBytes, c.respIpBytes, c.missedBytes, c.originGuessed ? 1 : 0, c.rstBy,
        c.origIsn, c.respIsn, c.origTtl, c.respTtl, c.duplicatePkts, c.icmpErrors, c.tunnel ? JSON.stringify(c.tunnel) : null, c.proto === 'tcp' ? c.origRequests : null,
        peer?.id ?? null).lastInsertRowid);
      this.flowsWritten++;
      if (peer) {
        this.setPeer.run(flowId, peer.id);
        this.natLinked += 2;
      } else if (natPair) this.waitForNatPeer(flowId, c);
      if (natPair) this.trimNatWaiting(c.endUs);
    }
    this.addSightings(flowId, c.sightings);
    const rsts = this.pendingRsts.get(c.connId);
    if (rsts) {
      this.pendingRsts.delete(c.connId);
      for (const e of rsts) this.writeRst(sourceId, flowId, e, merged);
    }
    return flowId;
  }

  /**
   * The two NAT halves of a connection end within moments of each other, so they meet here while
   * both are recent. Only unpaired halves wait in the map; it is trimmed from its oldest ISNs
   * (a Map iterates in insertion order) when they fall NAT_WINDOW_US behind the newest flow or the
   * map holds more than NAT_MAP_MAX halves, so each flow costs O(1) however long the capture.
   * (A full scan whenever the map was over its cap made a 2 GB capture take minutes.)
   * The waiting half found is taken out of the map; the new half is then written already linked
   * to it, and only the waiting row is updated (one UPDATE per pair instead of two).
   */
  private takeNatPeer(c: ConnRecord): NatCandidate | undefined {
    const list = this.byIsn.get(c.origIsn);
    if (!list) return undefined;
    const me = natCandidate(-1, c);
    const i = list.findIndex((x) => isNatPeer(me, x));
    if (i < 0) return undefined;
    const peer = list[i];
    list.splice(i, 1);
    this.natWaiting--;
    if (list.length === 0) this.byIsn.delete(c.origIsn);
    return peer;
  }

  private waitForNatPeer(flowId: number, c: ConnRecord): void {
    const me = natCandidate(flowId, c);
    const list = this.byIsn.get(c.origIsn);
    if (list) list.push(me);
    else this.byIsn.set(c.origIsn, [me]);
    this.natWaiting++;
  }

  private trimNatWaiting(endUs: number): void {
    if (endUs > this.latestEndUs) this.latestEndUs = endUs;
    const horizon = this.latestEndUs - NAT_WINDOW_US;
    for (const [isn, l] of this.byIsn) {
      if (this.natWaiting <= NAT_MAP_MAX && l.some((x) => x.endUs >= horizon)) break;
      this.byIsn.delete(isn);
      this.natWaiting -= l.length;
    }
  }

  /** NAT halves still waiting for their partner (bounded by NAT_MAP_MAX). */
  get natCandidatesWaiting(): number {
    return this.natWaiting;
  }

  private writeRst(sourceId: number, flowId: number, e: RstEvent, mayExist: boolean): void {
    let id = -1;
    if (mayExist) {
      const twin = this.findRstTwin.get(flowId, e.senderIp, e.seq, e.flags, e.tsUs - MERGE_SLACK_US, e.tsUs + MERGE_SLACK_US) as { id: number } | undefined;
      if (twin) id = twin.id;
    }
    if (id < 0) {
      id = Number(this.insRst.run(flowId, sourceId, e.tsUs, e.senderIp, e.senderPort, e.receiverIp, e.receiverPort, e.senderRole, e.flags, e.seq, e.ack,
        e.ttl, e.ipId, e.senderPrevTtl, e.senderPrevIpId, e.idleBeforeUs, e.answersSyn ? 1 : 0, e.payloadLen, e.quietBeforeUs).lastInsertRowid);
      this.rstsWritten++;
    }
    for (const s of e.sightings) this.insRstSighting.run(id, s.sourceId, s.iface, s.ifindex);
  }

  /** A flow's capture points; the usual two of an `-i any` capture (pod veth and uplink) in one statement. */
  private addSightings(id: number, sightings: Sighting[]): void {
    if (sightings.length === 2) {
      const [a, b] = sightings;
      this.insFlowSighting2.run(id, a.sourceId, a.iface, a.ifindex, id, b.sourceId, b.iface, b.ifindex);
    } else for (const s of sightings) this.insFlowSighting.run(id, s.sourceId, s.iface, s.ifindex);
  }

  /**
   * Links NAT halves that were written by different sources (a veth capture and an uplink
   * capture): only flows of `sourceIds` still without a peer are looked at, grouped by ISN.
   */
  linkNatPeersAcross(sourceIds: number[]): number {
    if (sourceIds.length === 0) return 0;
    const marks = sourceIds.map(() => '?').join(', ');
    // Only ISNs some other flow shares: a lone flow has no half to meet, and fetching each one's
    // group was the larger part of adding a capture to a case that already held one.
    const isns = this.db.prepare(`SELECT DISTINCT f.orig_isn FROM flows f WHERE f.source_id IN (${marks}) AND f.proto = 'tcp' AND f.orig_isn >= 0 AND f.nat_peer IS NULL
      AND EXISTS (SELECT 1 FROM flows g WHERE g.orig_isn = f.orig_isn AND g.id <> f.id)`)
      .all(...sourceIds) as { orig_isn: number }[];
    const members = this.db.prepare(`SELECT id, orig_ip AS origIp, orig_port AS origPort, resp_ip AS respIp, resp_port AS respPort, resp_isn AS respIsn,
      start_us AS startUs, end_us AS endUs, nat_peer FROM flows WHERE orig_isn = ? AND proto = 'tcp' ORDER BY id`);
    let linked = 0;
    for (const g of isns) {
      const ms = (members.all(g.orig_isn) as (NatCandidate & { nat_peer: number | null })[]).map((m) => ({ ...m, paired: m.nat_peer !== null }));
      for (const a of ms) {
        if (a.paired) continue;
        const b = ms.find((x) => !x.paired && isNatPeer(a, x));
        if (!b) continue;
        this.setPeer.run(b.id, a.id);
        this.setPeer.run(a.id, b.id);
        a.paired = b.paired = true;
        linked += 2;
      }
    }
    return linked;
  }
}

interface NatCandidate {
  id: number;
  origIp: string;
  origPort: number;
  respIp: string;
  respPort: number;
  respIsn: number;
  startUs: number;
  endUs: number;
  paired: boolean;
}

export const NAT_MAP_MAX = 100_000;
const NAT_WINDOW_US = 600_000_000;

function natCandidate(id: number, c: ConnRecord): NatCandidate {
  return { id, origIp: c.origIp, origPort: c.origPort, respIp: c.respIp, respPort: c.respPort, respIsn: c.respIsn, startUs: c.startUs, endUs: c.endUs, paired: false };
}

/** Same originator ISN (the caller's grouping), a translated tuple, and times that agree. */
function isNatPeer(a: NatCandidate, b: NatCandidate): boolean {
  if (a.id === b.id || a.respIsn !== b.respIsn) return false;
  if (a.origIp === b.origIp && a.origPort === b.origPort && a.respIp === b.respIp && a.respPort === b.respPort) return false;
  // With both ISNs the pair is certain; with only the originator's (REJ, S0) the starts must agree closely.
  return a.respIsn >= 0
    ? b.startUs <= a.endUs + MERGE_SLACK_US && a.startUs <= b.endUs + MERGE_SLACK_US
    : Math.abs(a.startUs - b.startUs) <= NO_ISN_SLACK_US;
}

/** Paths come from archives and can be made very long; a stored one keeps its head. */
function boundedText(s: string): string {
  return s.length <= 4096 ? s : `${s.slice(0, 4096)}…`;
}
