/**
 * What a node's own files say its name is: the one-line output of `hostname` (or /etc/hostname),
 * or the host field of journal/syslog lines the kubelet wrote on that node.
 */
export interface NodeNameRecord {
  name: string;
  /** `runtime-log`: the host of containerd/kubelet journal lines read by the runtime-log format. */
  via: 'hostname' | 'kubelet-log' | 'runtime-log';
  line: number;
  /** kubelet lines naming this host (kubelet-log only). */
  lines?: number;
}
