/**
 * Zeek's conn_state values (base/protocols/conn/main.zeek), the vocabulary the tracker writes, the
 * display filter reads and the CLI validates.
 */
export const CONN_STATES = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'] as const;
export type ConnState = (typeof CONN_STATES)[number];
