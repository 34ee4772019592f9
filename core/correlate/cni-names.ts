import { createHash } from 'node:crypto';

/**
 * Host-side veth names CNI plugins derive from the pod: Calico (`cali`), AWS VPC CNI (`eni`)
 * and Azure CNI (`azv`) take the first 11 hex digits of sha1("<namespace>.<pod>"). Only a
 * naming convention: weak evidence that any file stating the veth overrides. Cilium (`lxc`) and
 * the bridge plugin (`veth`) name veths from ids or random bytes, so their names say nothing
 * about the pod.
 */
const HASHED_PREFIXES = ['cali', 'eni', 'azv'];

export function conventionalVethNames(namespace: string, pod: string): string[] {
  const h = createHash('sha1').update(`${namespace}.${pod}`).digest('hex').slice(0, 11);
  return HASHED_PREFIXES.map((p) => p + h);
}
