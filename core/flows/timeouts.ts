/**
 * Zeek's connection timers (scripts/base/init-bare.zeek defaults), in microseconds of packet time.
 * Only the ones that decide when a connection ends and so what the same 5-tuple means next.
 */
export interface FlowTimeouts {
  /** tcp_inactivity_timeout: once past the handshake. */
  tcpInactivityUs: number;
  /** udp_inactivity_timeout; Zeek also uses it for a TCP connection still in its handshake. */
  udpInactivityUs: number;
  /** icmp_inactivity_timeout. */
  icmpInactivityUs: number;
  /** tcp_SYN_timeout: when the first ExpireTimer looks at a new TCP connection. */
  tcpSynTimeoutUs: number;
  /** tcp_session_timer: period of the ExpireTimer after that. */
  tcpSessionTimerUs: number;
  /** tcp_connection_linger: a closed connection is idle after this long. */
  tcpConnectionLingerUs: number;
  /** tcp_attempt_delay: an unanswered SYN ends the connection after this long (S0). */
  tcpAttemptDelayUs: number;
  /** tcp_close_delay: state is flushed this long after a complete close (FINs or RST). */
  tcpCloseDelayUs: number;
  /** tcp_reset_delay: after a RST that follows our own FIN. */
  tcpResetDelayUs: number;
}

export const ZEEK_TIMEOUTS: Readonly<FlowTimeouts> = Object.freeze({
  tcpInactivityUs: 300_000_000,
  udpInactivityUs: 60_000_000,
  icmpInactivityUs: 60_000_000,
  tcpSynTimeoutUs: 5_000_000,
  tcpSessionTimerUs: 6_000_000,
  tcpConnectionLingerUs: 5_000_000,
  tcpAttemptDelayUs: 5_000_000,
  tcpCloseDelayUs: 5_000_000,
  tcpResetDelayUs: 5_000_000,
});
