/**
 * Every threshold the analyses use, in one place (RUNBOOKS.md gives the sources of the defaults).
 */
import { SNAT } from './cells/snat.js';

export const THRESHOLDS = {
  /** A RST whose TTL differs from the sender's earlier TTL by more than this is suspicious. */
  rstTtlTolerance: 1,
  /**
   * The same, against the sender's packets at the same capture point (same interface): they
   * crossed the same hops, so any difference means another maker (a node's REJECT is one hop short).
   */
  rstTtlToleranceAtPoint: 0,
  /** Idle time before a RST that points at a load balancer's idle timeout (Azure LB: 4 min). */
  rstIdleSeconds: 240,
  /** IP ID distance from the sender's previous packet beyond which the ID pattern is "broken". */
  rstIpIdJump: 1024,
  /** A middlebox RST after at least this much quiet is reported as an idle-timeout reset (any idle timer, not only Azure's). */
  idleResetMinSeconds: 2,
  /** SNAT ports a node may use per destination (Azure's default preallocation, runbook §1). */
  snatAllocation: SNAT.defaultAllocation as number,
  /** Held-port utilization of one SNAT IP x destination that is reported (1 = the whole allocation). */
  snatUtilizationWarn: 0.5,
  /** A pod opening at least this many connections, nearly all used once, is "not reusing connections". */
  noReuseMinConnections: 20,
  noReuseShare: 0.8,
  /** Refused connections (REJ) to one destination at or beyond which a refused-port storm is reported. */
  refusedStormMin: 3,
  /** Established connections one server aborted (endpoint RSTs after the handshake) at or beyond which it is reported. */
  peerAbortMin: 3,
  /** Conntrack entries at or above this share of nf_conntrack_max is pressure. */
  conntrackPressureShare: 0.9,
  /** The kubelet port (runbook §2). */
  kubeletPort: 10250,
} as const;

export type Thresholds = typeof THRESHOLDS;
