/** One socket row of `netstat -tanp`/`-ptn`/`-ant`, `ss -tanp`, or Windows `netstat -aon`. */
export interface SocketRecord {
  tool: 'netstat' | 'ss';
  platform: 'linux' | 'windows';
  /** Transport: `tcp` or `udp` (`raw`, `udplite`, ... as the tool names them). */
  proto: string;
  /** From the address family (tcp6/udp6 rows may still carry IPv4-mapped or IPv4 addresses). */
  ipVersion: 4 | 6 | null;
  /** ss without a Netid column does not print the protocol; it is guessed from the state. */
  protoGuessed?: true;
  /** Canonical IP text, `*` for a wildcard, or the masked text verbatim when listed in `masked`. */
  localIp: string;
  /** null for `*` or a masked port. */
  localPort: number | null;
  remoteIp: string;
  remotePort: number | null;
  /**
   * Linux netstat spelling: ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT,
   * CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING, UNCONN (UDP, no state), or the tool's own word.
   */
  state: string;
  /** The state exactly as printed (`ESTAB`, `LISTENING`, `TIME-WAIT`, ...); '' when the column was empty. */
  rawState: string;
  recvQ?: number;
  sendQ?: number;
  pid?: number;
  program?: string;
  /** Every process ss lists in `users:((...))`; the first one is also in `pid`/`program`. */
  processes?: { program: string; pid: number; fd?: number }[];
  /** ss -e: owner uid, socket inode (joins /proc/net and lsof), kernel socket cookie (`sk:`). */
  uid?: number;
  inode?: number;
  cookie?: string;
  /** ss -i/-m continuation line: tcp_info the kernel keeps for the socket (times in ms). */
  tcpInfo?: {
    rttMs?: number; rttVarMs?: number; rtoMs?: number; cwnd?: number;
    retransNow?: number; retransTotal?: number; bytesSent?: number; bytesAcked?: number; bytesReceived?: number; bytesRetrans?: number;
    lastSendMs?: number; lastRecvMs?: number; lastAckMs?: number; unacked?: number; lost?: number;
    /** skmem:(r…,rb…,t…,tb…,f…,w…,o…,bl…,d…) verbatim; d is the socket's drop counter. */
    skmem?: string;
  };
  localZone?: string;
  remoteZone?: string;
  /** Fields whose value was masked in the dump (`localIp`, `localPort`, `remoteIp`, `remotePort`, `pid`). */
  masked?: string[];
  /** 1-based line number. */
  line: number;
}
