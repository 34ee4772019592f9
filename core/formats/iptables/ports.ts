/**
 * Service names iptables prints for ports when listing without -n (from /etc/services). Only the
 * ones that matter on Kubernetes nodes; anything else stays a string.
 */
const SERVICES: Record<string, number> = {
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  http: 80,
  www: 80,
  kerberos: 88,
  ntp: 123,
  snmp: 161,
  ldap: 389,
  https: 443,
  microsoft_ds: 445,
  ldaps: 636,
  openvpn: 1194,
  mysql: 3306,
  postgresql: 5432,
  'http-alt': 8080,
  webcache: 8080,
  'etcd-client': 2379,
  'etcd-server': 2380,
  'sun-sr-https': 6443,
  vxlan: 4789,
  'kube-proxy': 10256,
};

export function portNumber(p: string): number | undefined {
  if (/^\d+$/.test(p)) return Number(p);
  return SERVICES[p];
}
