/**
 * Interfaces from `ip link`, `ip -d link`, `ip addr`, their `-o` one-line and `-j` JSON forms,
 * and the one-number file `/sys/class/net/<if>/iflink` read inside a pod. The runbook joins them:
 * the pod's iflink N (or `eth0@ifN`) is the ifindex of its veth on the node (`N: vethXXXX@ifM`).
 */
export type IpLinkRecord = IpInterface | IfLinkValue;

export interface IpAddress {
  family: 'inet' | 'inet6';
  address: string;
  prefixLen?: number;
  /** Point-to-point peer (`inet A peer B/32`). */
  peer?: string;
  broadcast?: string;
  /** global, link, host, site, or a number. */
  scope?: string;
  /** IPv4 label (`eth0`, `eth0:1`). */
  label?: string;
  /** secondary, dynamic, noprefixroute, nodad, tentative, deprecated, ... */
  flags?: string[];
  line: number;
  masked?: boolean;
}

export interface IpInterface {
  type: 'interface';
  index: number;
  name: string;
  /** `name@ifN`: the ifindex of the other end (veth peer, often in another netns). */
  peerIndex?: number;
  /** `name@parent`: the lower device by name (vlan, macvlan, a veth peer in the same netns). */
  parent?: string;
  /** `link-netnsid N`: the netns holding the peer, as an id local to this netns. */
  peerNetnsId?: number;
  /** `link-netns NAME`: the same, when ip could name it (`/run/netns/NAME`). */
  peerNetns?: string;
  flags: string[];
  mtu?: number;
  /** Operational state: UP, DOWN, UNKNOWN, LOWERLAYERDOWN, ... */
  state?: string;
  /** Bridge or bond this interface is enslaved to. */
  master?: string;
  mac?: string;
  /** link/ether, link/loopback, link/ipip, ... without the `link/` prefix. */
  linkType?: string;
  /** Device kind from -d (veth, bridge, vxlan, ...). */
  kind?: string;
  /** Port kind from -d (bridge_slave, bond_slave). */
  slaveKind?: string;
  altnames?: string[];
  addresses: IpAddress[];
  /** Network namespace the listing was taken in, from a pasted `ip netns exec NAME ...` / `ip -n NAME`. */
  netns?: string;
  /** From a pasted `nsenter -t PID -n ...`: the listing shows that process's netns. */
  nsenterPid?: number;
  line: number;
  masked?: string[];
}

/** `/sys/class/net/<if>/iflink`: the ifindex of the interface's peer (for a pod's eth0, the node veth). */
export interface IfLinkValue {
  type: 'iflink';
  ifindex: number;
  line: number;
}
