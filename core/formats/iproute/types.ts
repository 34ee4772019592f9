/**
 * `ip route` / `ip -6 route` / `ip route show table all`, `ip rule`, `ip neigh`, as text or as
 * `ip -j` JSON (iproute2). Retina's ip-resources.txt holds `ip -d -j neighbor show`,
 * `ip rule list` and `ip route show table all` as sections.
 */
export type IpRouteRecord = IpRoute | IpRule | IpNeighbour | IpNetnsName;

/** `ip netns` (list): a named network namespace and, when the kernel assigned one, its nsid (`(id: 2)`). */
export interface IpNetnsName {
  type: 'netns';
  name: string;
  id?: number;
  line: number;
}

export interface IpRoute {
  type: 'route';
  /** `default` or a prefix/address as printed (`10.96.0.0/12`, `fd13::/64`, `10.213.0.1`). */
  dst: string;
  /** unicast unless printed (`local`, `broadcast`, `blackhole`, `unreachable`, `multicast`…). */
  routeType: string;
  via?: string;
  dev?: string;
  /** `kernel`, `static`, `boot`, `bird`, a number… */
  proto?: string;
  scope?: string;
  /** Preferred source address (`src`, JSON `prefsrc`). */
  src?: string;
  /** `main` unless printed. */
  table: string;
  metric?: number;
  /** Flags without a value (`onlink`, `linkdown`). */
  flags: string[];
  /** Multipath routes: one entry per `nexthop` line. */
  nexthops?: { via?: string; dev?: string; weight?: number }[];
  line: number;
}

export interface IpRule {
  type: 'rule';
  priority: number;
  /** Selector as printed (`from 10.213.0.0/24`, `from all fwmark 0x4000/0x4000`). */
  selector: string;
  from?: string;
  to?: string;
  fwmark?: string;
  iif?: string;
  oif?: string;
  /** `lookup`, `goto`, `blackhole`, `unreachable`, `prohibit`, `nop`. */
  action: string;
  table?: string;
  not?: true;
  line: number;
}

export interface IpNeighbour {
  type: 'neigh';
  dst: string;
  dev?: string;
  lladdr?: string;
  /** NUD states (`REACHABLE`, `STALE`, `PERMANENT`, `FAILED`, `INCOMPLETE`, `NOARP`…). */
  state: string[];
  router?: true;
  line: number;
}
