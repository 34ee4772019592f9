/**
 * `ipvsadm -Ln` (kube-proxy IPVS mode): virtual services (service IP:port, or a firewall mark)
 * each followed by its real servers (pod IP:port). Without -n, addresses and ports may be names.
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

export interface IpvsVirtualService extends IpvsServiceKey {
  type: 'virtual';
  scheduler: string;
  /** Everything after the scheduler (`persistent 10800`, `ops`, scheduler flags). */
  flags: string[];
  persistentTimeout?: number;
  line: number;
}

export interface IpvsRealServer {
  type: 'real';
  /** The virtual service this real server belongs to. */
  virtual: IpvsServiceKey;
  address: string;
  port?: number;
  portName?: string;
  /** Masq (NAT), Route (DR), Tunnel, Local. */
  forward: string;
  weight: number;
  activeConn: number;
  inactConn: number;
  line: number;
}
