/**
 * One namespace from `lsns` (any -t, default or -o columns) or `lsns -J`. For network
 * namespaces, `inode` is the number tcptracer prints as NETNS and `/proc/<pid>/ns/net` links to.
 */
export interface LsnsRecord {
  /** Namespace inode (NS column). */
  inode: number;
  /** net, mnt, pid, uts, ipc, user, cgroup, time. */
  type: string;
  nprocs?: number;
  /** Lowest PID in the namespace (lsns prints one representative process). */
  pid?: number;
  user?: string;
  /** NETNSID as seen from the netns lsns ran in; absent when "unassigned" or not printed. */
  netnsid?: number;
  /** Path where the namespace is bind-mounted (`/run/netns/cni-...`), if any. */
  nsfs?: string;
  command?: string;
  line: number;
  masked?: string[];
}
