import { THRESHOLDS, type Thresholds } from '../thresholds.js';

/**
 * Who made a RST: the endpoint it names, this node (its own netfilter, between two of its
 * interfaces), something else on the path (a middlebox), or unknown.
 */
export type RstVerdict = 'endpoint' | 'node' | 'middlebox-suspect' | 'unknown';

export interface RstEvidence {
  ttl: number;
  /** The sender's TTL before this RST (same flow, else its other flows); -1 when unknown. */
  ttlBaseline: number;
  /**
   * ttlBaseline was read at the capture point where the RST was seen (the sender's other packets,
   * SYN-ACKs included, on that same interface): then any difference counts, no hop of slack.
   */
  ttlBaselineAtPoint?: boolean;
  /** Where that baseline was read (an interface name), for the words. */
  ttlBaselinePoint?: string;
  ipId: number;
  senderPrevIpId: number;
  idleBeforeUs: number;
  /** Quiet gap before the RST or before the packet it answers (RstEvent.quietBeforeUs). */
  quietBeforeUs: number;
  answersSyn: boolean;
  /** Where the sender is a node (kube-proxy/iptables) answering for a pod's flow. */
  senderIsNodeForPodFlow?: boolean;
  /** Seen at one capture point but not at another that saw the flow (direction unknown). */
  missingAtOtherCapture?: boolean;
  /**
   * Seen at `seenAt` but not at `missingAt`, a point nearer the sender that carries the sender's
   * packets (its TTL there is higher): the RST was made between the two. `sameNode` when both
   * points are interfaces of one node.
   */
  madeBetween?: { seenAt: string; missingAt: string; sameNode: boolean };
  /**
   * The RST answers a SYN that never crossed the node's uplink (`uplink`, an interface of the
   * same capture that carried the node's translated connections): the remote sender never got it.
   */
  synNeverLeft?: { seenAt: string; uplink: string };
  /** Also seen at a point nearer the sender than the receiver's: it came from beyond the node. */
  seenUpstream?: boolean;
  /** The node's REJECT --reject-with tcp-reset rule matching the packet the RST answers. */
  rejectRule?: string;
}

export interface RstJudgement {
  verdict: RstVerdict;
  /** The evidence in one sentence (the verdict's reasons joined). */
  reason: string;
  /** Each piece of evidence that led to the verdict. */
  evidence: string[];
  /** The node's rule that made it, when the verdict is `node` and a rule matched. */
  rule: string | null;
}

/**
 * Endpoint, node or middlebox? Each rule is the manual check of RUNBOOKS.md §3 (read the RST's TTL
 * and compare it with the peer's packets; look for it at the next capture point) or an Azure fact
 * from §1 (idle timeout), written down.
 */
export function rstVerdict(e: RstEvidence, t: Thresholds = THRESHOLDS): RstJudgement {
  const odd: string[] = [];
  const tolerance = e.ttlBaselineAtPoint ? t.rstTtlToleranceAtPoint : t.rstTtlTolerance;
  // A flow log (Hubble) records no TTL (-1): nothing to compare.
  const ttlOdd = e.ttl >= 0 && e.ttlBaseline >= 0 && Math.abs(e.ttl - e.ttlBaseline) > tolerance;
  if (ttlOdd) {
    odd.push(`TTL ${e.ttl} differs from the sender's ${e.ttlBaseline}${e.ttlBaselinePoint ? ` on ${e.ttlBaselinePoint}` : ''}`);
  }
  if (e.ipId >= 0 && e.senderPrevIpId >= 0 && e.ipId !== 0 && ipIdDistance(e.senderPrevIpId, e.ipId) > t.rstIpIdJump) {
    odd.push(`IP ID ${e.ipId} breaks the sender's sequence (previous ${e.senderPrevIpId})`);
  }
  if (Math.max(e.idleBeforeUs, e.quietBeforeUs) >= t.rstIdleSeconds * 1e6) {
    odd.push(`after ${(Math.max(e.idleBeforeUs, e.quietBeforeUs) / 1e6).toFixed(0)} s idle (load-balancer idle timeout is ${t.rstIdleSeconds} s)`);
  }
  if (e.senderIsNodeForPodFlow) odd.push('sent by the node for a pod\'s flow (kube-proxy / iptables REJECT)');

  const onNode: string[] = [];
  if (e.madeBetween?.sameNode) onNode.push(`seen on ${e.madeBetween.seenAt} but not on ${e.madeBetween.missingAt}, where the sender's packets pass: made by this node between the two`);
  if (e.synNeverLeft) onNode.push(`answers a SYN that never left the node (not on ${e.synNeverLeft.uplink}, which carried the node's other connections): the sender never received it`);
  const rule = e.rejectRule ? `this node's rule "${e.rejectRule}" rejects the packet with a TCP reset` : null;
  // A RST seen before it reached the node came from beyond it, whatever rules the node holds.
  const byNode = !e.seenUpstream && (onNode.length > 0 || (rule !== null && (ttlOdd || e.answersSyn)));
  if (byNode) {
    const evidence = [...onNode, ...(rule ? [rule] : []), ...odd];
    return { verdict: 'node', reason: evidence.join('; '), evidence, rule: e.rejectRule ?? null };
  }
  if (e.madeBetween) odd.push(`seen on ${e.madeBetween.seenAt} but not on ${e.madeBetween.missingAt}, where the sender's packets pass: made between the two`);
  else if (e.missingAtOtherCapture) odd.push('seen at one capture point but not at another that saw the flow');
  if (odd.length > 0) return { verdict: 'middlebox-suspect', reason: odd.join('; '), evidence: odd, rule: null };
  const ok = (s: string): RstJudgement => ({ verdict: 'endpoint', reason: s, evidence: [s], rule: null });
  if (e.answersSyn) return ok('answers a SYN: port refused by the endpoint');
  if (e.ttl >= 0 && e.ttlBaseline >= 0) return ok(`TTL ${e.ttl} matches the sender's other packets${e.ttlBaselinePoint ? ` on ${e.ttlBaselinePoint}` : ''}`);
  const none = e.ttl < 0 ? 'logged by a flow log (Hubble) without its TTL: nothing to compare' : 'no earlier packet from the sender to compare with';
  return { verdict: 'unknown', reason: none, evidence: [none], rule: null };
}

function ipIdDistance(a: number, b: number): number {
  const d = Math.abs(a - b);
  return Math.min(d, 65536 - d);
}
