/** A finding: what a runbook would conclude, with its evidence and the next step. */
export interface FindingOut {
  id: string;
  rule: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  detail: string;
  evidence: { source: string; lines?: number[]; packets?: number; flows?: number[] }[];
  next_step: string;
  /** The subjects of one cause (destinations, pods, endpoints), worst first; empty when there is one. */
  affected: { id: string; severity: FindingOut['severity']; title: string; detail: string }[];
}
