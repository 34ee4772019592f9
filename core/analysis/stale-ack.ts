/**
 * RUNBOOKS.md §1: "a reused port whose old mapping is still held shows up as SYN, then an ACK
 * with a stale sequence number, then a RST". In Zeek's terms: the originator's SYN (S) was
 * answered by a pure ACK (a: the old connection's numbers, no SYN-ACK), and the originator's
 * stack reset it (R): state RSTOS0 with history starting "Sa". The SYN retried after it is a new
 * connection (a RST closes the attempt).
 */
export function isStaleAckReset(state: string, history: string): boolean {
  return state === 'RSTOS0' && history.startsWith('Sa');
}

/** The same test in SQL over the flows row named `t` (substr compares case-sensitively, as history needs; LIKE would not). */
export const staleAckResetSql = (t: string): string => `(${t}.state = 'RSTOS0' AND substr(${t}.history, 1, 2) = 'Sa')`;
