import { THRESHOLDS, type Thresholds } from '../thresholds.js';

export type RstVerdict = 'endpoint' | 'middlebox-suspect' | 'unknown';

export interface RstEvidence {
  ttl: number;
  /** The sender's TTL before this RST (same flow, else its other flows); -1 when unknown. */
  ttlBaseline: number;
  ipId: number;
  senderPrevIpId: number;
  idleBeforeUs: number;
  /** Quiet gap before the RST or before the packet it answers (RstEvent.quietBeforeUs). */
  quietBeforeUs: number;
  answersSyn: boolean;
  /** Where the sender is a node (kube-proxy/iptables) answering for a pod's flow. */
  senderIsNodeForPodFlow?: boolean;
  /** Seen at one capture point but not at another that saw the rest of the flow. */
  missingAtOtherCapture?: boolean;
}

/**
 * Endpoint or middlebox? Each rule is the manual check of RUNBOOKS.md §3 (read the RST's TTL and
 * compare it with the peer's packets) or an Azure fact from §1 (idle timeout), written down.
 */
export function rstVerdict(e: RstEvidence, t: Thresholds = THRESHOLDS): { verdict: RstVerdict; reason: string } {
  const reasons: string[] = [];
  if (e.ttlBaseline >= 0 && Math.abs(e.ttl - e.ttlBaseline) > t.rstTtlTolerance) {
    reasons.push(`TTL ${e.ttl} differs from the sender's ${e.ttlBaseline}`);
  }
  if (e.ipId >= 0 && e.senderPrevIpId >= 0 && e.ipId !== 0 && ipIdDistance(e.senderPrevIpId, e.ipId) > t.rstIpIdJump) {
    reasons.push(`IP ID ${e.ipId} breaks the sender's sequence (previous ${e.senderPrevIpId})`);
  }
  if (Math.max(e.idleBeforeUs, e.quietBeforeUs) >= t.rstIdleSeconds * 1e6) {
    reasons.push(`after ${(Math.max(e.idleBeforeUs, e.quietBeforeUs) / 1e6).toFixed(0)} s idle (load-balancer idle timeout is ${t.rstIdleSeconds} s)`);
  }
  if (e.senderIsNodeForPodFlow) reasons.push('sent by the node for a pod\'s flow (kube-proxy / iptables REJECT)');
  if (e.missingAtOtherCapture) reasons.push('seen at one capture point but not at another that saw the flow');
  if (reasons.length > 0) return { verdict: 'middlebox-suspect', reason: reasons.join('; ') };
  if (e.answersSyn) return { verdict: 'endpoint', reason: 'answers a SYN: port refused by the endpoint' };
  if (e.ttlBaseline >= 0) return { verdict: 'endpoint', reason: `TTL ${e.ttl} matches the sender's other packets` };
  return { verdict: 'unknown', reason: 'no earlier packet from the sender to compare with' };
}

function ipIdDistance(a: number, b: number): number {
  const d = Math.abs(a - b);
  return Math.min(d, 65536 - d);
}
