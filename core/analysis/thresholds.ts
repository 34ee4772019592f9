/**
 * Every threshold the analyses use, in one place (RUNBOOKS.md gives the sources of the defaults).
 */
export const THRESHOLDS = {
  /** A RST whose TTL differs from the sender's earlier TTL by more than this is suspicious. */
  rstTtlTolerance: 1,
  /** Idle time before a RST that points at a load balancer's idle timeout (Azure LB: 4 min). */
  rstIdleSeconds: 240,
  /** IP ID distance from the sender's previous packet beyond which the ID pattern is "broken". */
  rstIpIdJump: 1024,
} as const;

export type Thresholds = typeof THRESHOLDS;
