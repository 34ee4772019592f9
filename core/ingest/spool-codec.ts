/**
 * A spooled batch as one flat array of primitives (capture-worker.ts writes it, the writer's thread
 * reads it): v8's serializer writes every key of every object, and an array of ConnRecord objects
 * cost the writer's thread more to deserialize than storing them. Sightings carry no source id:
 * the writer stamps its own.
 */
import type { ConnRecord, RstEvent, Sighting } from '../flows/types.js';

export type SpoolEvent = ConnRecord | { rst: RstEvent };

const CONN = 0;
const RST = 1;

export function encodeConn(out: unknown[], c: ConnRecord): void {
  out.push(CONN, c.proto, c.origIp, c.origPort, c.respIp, c.respPort, c.startUs, c.endUs, c.lastPktUs, c.state, c.history,
    c.origPkts, c.respPkts, c.origBytes, c.respBytes, c.origIpBytes, c.respIpBytes, c.missedBytes, c.originGuessed, c.rstBy,
    c.origIsn, c.respIsn, c.origTtl, c.respTtl, c.origRequests, c.tunnel, c.duplicatePkts, c.connId, c.icmpErrors, c.lastIcmpError);
  encodeSightings(out, c.sightings);
}

export function encodeRst(out: unknown[], e: RstEvent): void {
  out.push(RST, e.connId, e.tsUs, e.senderIp, e.senderPort, e.receiverIp, e.receiverPort, e.senderRole, e.flags, e.seq, e.ack, e.ttl, e.ipId,
    e.senderPrevTtl, e.senderPrevIpId, e.idleBeforeUs, e.quietBeforeUs, e.answersSyn, e.payloadLen);
  encodeSightings(out, e.sightings);
}

function encodeSightings(out: unknown[], s: Sighting[]): void {
  out.push(s.length);
  for (const x of s) out.push(x.iface, x.ifindex);
}

/** The batch's records in order, their sightings stamped with `sourceId`. */
export function decodeBatch(b: unknown[], sourceId: number): SpoolEvent[] {
  const events: SpoolEvent[] = [];
  let i = 0;
  const sightings = (): Sighting[] => {
    const n = b[i++] as number;
    const s: Sighting[] = new Array(n);
    for (let k = 0; k < n; k++, i += 2) s[k] = { sourceId, iface: b[i] as number, ifindex: b[i + 1] as number };
    return s;
  };
  while (i < b.length) {
    if (b[i++] === CONN) {
      const c: ConnRecord = {
        proto: b[i] as ConnRecord['proto'], origIp: b[i + 1] as string, origPort: b[i + 2] as number, respIp: b[i + 3] as string, respPort: b[i + 4] as number,
        startUs: b[i + 5] as number, endUs: b[i + 6] as number, lastPktUs: b[i + 7] as number, state: b[i + 8] as ConnRecord['state'], history: b[i + 9] as string,
        origPkts: b[i + 10] as number, respPkts: b[i + 11] as number, origBytes: b[i + 12] as number, respBytes: b[i + 13] as number,
        origIpBytes: b[i + 14] as number, respIpBytes: b[i + 15] as number, missedBytes: b[i + 16] as number, originGuessed: b[i + 17] as boolean,
        rstBy: b[i + 18] as ConnRecord['rstBy'], origIsn: b[i + 19] as number, respIsn: b[i + 20] as number, origTtl: b[i + 21] as number,
        respTtl: b[i + 22] as number, origRequests: b[i + 23] as number, tunnel: b[i + 24] as ConnRecord['tunnel'], duplicatePkts: b[i + 25] as number,
        connId: b[i + 26] as number, icmpErrors: b[i + 27] as number, lastIcmpError: b[i + 28] as ConnRecord['lastIcmpError'], sightings: [],
      };
      i += 29;
      c.sightings = sightings();
      events.push(c);
    } else {
      const e: RstEvent = {
        connId: b[i] as number, tsUs: b[i + 1] as number, senderIp: b[i + 2] as string, senderPort: b[i + 3] as number, receiverIp: b[i + 4] as string,
        receiverPort: b[i + 5] as number, senderRole: b[i + 6] as RstEvent['senderRole'], flags: b[i + 7] as number, seq: b[i + 8] as number,
        ack: b[i + 9] as number, ttl: b[i + 10] as number, ipId: b[i + 11] as number, senderPrevTtl: b[i + 12] as number,
        senderPrevIpId: b[i + 13] as number, idleBeforeUs: b[i + 14] as number, quietBeforeUs: b[i + 15] as number,
        answersSyn: b[i + 16] as boolean, payloadLen: b[i + 17] as number, sightings: [],
      };
      i += 18;
      e.sightings = sightings();
      events.push({ rst: e });
    }
  }
  return events;
}
