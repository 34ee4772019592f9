/**
 * `ipvsadm -Ln` (kube-proxy IPVS mode): virtual services (service IP:port, or a firewall mark)
 * each followed by its real servers (pod IP:port). Without -n, addresses and ports may be names.
 * `--stats` and `--rate` print counters instead of scheduler/forward/weight/connections.
 */
export type IpvsRecord = IpvsVirtualService | IpvsRealServer;

export interface IpvsServiceKey {
  /** TCP, UDP, SCTP, or FWM for a firewall-mark service. */
  protocol: string;
  address?: string;
  port?: number;
  /** Port as printed when it is a service name (ipvsadm -L without -n). */
  portName?: string;
  fwmark?: number;
}

/** `--stats`: totals since the service was made. Without --exact, ipvsadm rounds big values (K, M, G, T = powers of 1000). */
export interface IpvsStats {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
  /** Fields printed rounded (`830843K`): their value is a lower bound to within the unit. */
  rounded?: string[];
}

/** `--rate`: per-second rates (kernel's estimator, averaged over a few seconds). */
export interface IpvsRate {
  cps: number;
  inPps: number;
  outPps: number;
  inBps: number;
  outBps: number;
  rounded?: string[];
}

export interface IpvsVirtualService extends IpvsServiceKey {
  type: 'virtual';
  /** Absent in --stats/--rate listings, which do not print it. */
  scheduler?: string;
  /** Everything after the scheduler (`persistent 10800`, `ops`, scheduler flags). */
  flags: string[];
  persistentTimeout?: number;
  stats?: IpvsStats;
  rate?: IpvsRate;
  line: number;
}

export interface IpvsRealServer {
  type: 'real';
  /** The virtual service this real server belongs to. */
  virtual: IpvsServiceKey;
  address: string;
  port?: number;
  portName?: string;
  /** Masq (NAT), Route (DR), Tunnel, Local. Absent (like weight and connections) in --stats/--rate listings. */
  forward?: string;
  weight?: number;
  activeConn?: number;
  inactConn?: number;
  stats?: IpvsStats;
  rate?: IpvsRate;
  line: number;
}
