/**
 * What a node's own files say its name is: the one-line output of `hostname` (or /etc/hostname),
 * or the host field of journal/syslog lines the kubelet wrote on that node.
 */
export interface NodeNameRecord {
  name: string;
  via: 'hostname' | 'kubelet-log';
  line: number;
  /** kubelet lines naming this host (kubelet-log only). */
  lines?: number;
}
