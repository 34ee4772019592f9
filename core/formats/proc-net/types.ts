/** One socket of /proc/net/tcp, tcp6, udp or udp6 (what ss and netstat read). */
export interface ProcSocketRecord {
  type: 'socket';
  /** `tcp` or `udp`; the file does not say, so it comes from the layout (`drops` column) or the file name. */
  proto: 'tcp' | 'udp';
  ipVersion: 4 | 6;
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  /** netstat spelling (ESTABLISHED, LISTEN, TIME_WAIT, ...; UNCONN for an unconnected UDP socket). */
  state: string;
  txQueue: number;
  rxQueue: number;
  uid: number;
  /** Socket inode (0 for sockets no process holds: TIME_WAIT, request sockets, orphans). */
  inode: number;
  /** The kernel's slot number (`sl`). */
  slot: number;
  line: number;
}

/** One protocol's counters of /proc/net/snmp or /proc/net/netstat (`Tcp: ActiveOpens ...` / values line). */
export interface ProcSnmpRecord {
  type: 'counters';
  group: string;
  counters: Record<string, number>;
  line: number;
}

export type ProcNetRecord = ProcSocketRecord | ProcSnmpRecord;
