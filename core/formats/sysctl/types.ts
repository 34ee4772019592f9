/** One kernel setting from `sysctl` output, `sysctl -a`, or a `cat /proc/sys/...` value whose name is known. */
export interface SysctlRecord {
  /** Dotted name (`net.netfilter.nf_conntrack_max`). */
  key: string;
  /** The value as printed (several numbers stay tab/space separated). '' when `error` is set. */
  value: string;
  /** The value when it is a single integer. */
  numeric?: number;
  /** sysctl could not read the key (`cannot stat ...: No such file or directory`, `permission denied`). */
  error?: string;
  line: number;
}
