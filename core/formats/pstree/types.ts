/**
 * One process or thread from `pstree -ap`, `pstree -aps PID` (also -U line drawing, -S namespace
 * transitions, -l). Without -l pstree cuts lines at 132 columns and glues the cut text to the
 * previous argument, so `args` may be incomplete (see ShimInfo.idTruncated).
 */
export interface PstreeRecord {
  pid: number;
  /** comm as pstree prints it (at most 15 characters, so containerd-shim-runc-v2 → containerd-shim). */
  name: string;
  /** Command-line arguments after argv[0], space-joined as printed; absent when none. */
  args?: string;
  parentPid?: number;
  /** 0 for a tree's root; children are one deeper. */
  depth: number;
  /** `{name},tid`: a thread of the parent process. */
  isThread: boolean;
  /** `(name,pid)`: no command line (a zombie or a kernel thread). */
  noCommandLine?: boolean;
  /** Namespace transitions printed by -S (`,net`, `,ipc,net,uts`): this process entered them. */
  namespaces?: string[];
  line: number;
  /** `shimId` when a shim's -id was masked in the dump (TEXT_MASKED_VALUE was emitted). */
  masked?: string[];
}

/** The container shim a process runs under, with the id the shim was started for. */
export interface ShimInfo {
  pid: number;
  name: string;
  /**
   * `-id` of containerd-shim-runc-v2: one shim serves a whole pod, so this is the pod sandbox id
   * (match crictl pods POD ID / crictl ps POD ID), not the app container's id. For the v1 shim
   * (`-workdir .../<id>`) and CRI-O's conmon (`-c <id>`) it is the container id.
   */
  id?: string;
  /** The id is shorter than 64 hex digits (cut by pstree or by hand): match it as a prefix. */
  idIsPrefix: boolean;
  /** pstree cut the line inside or right after the id and glued other text to it. */
  idTruncated: boolean;
  /** The id was masked by hand (`2xxxf...`): `id` holds it verbatim; match it only through the masks, and only when unique. */
  idMasked?: boolean;
  /** `-namespace` (k8s.io for Kubernetes, moby for Docker). */
  namespace?: string;
  address?: string;
  /** CRI-O conmon `-n k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`: the pod itself. */
  podName?: string;
  podNamespace?: string;
  line: number;
}
