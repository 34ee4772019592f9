/**
 * dockershim / cri-dockerd name containers `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`;
 * the pod's pause container uses the container name `POD`. Kubernetes names cannot contain `_`,
 * so splitting on it is unambiguous.
 */
export interface K8sDockerName {
  containerName: string;
  podName: string;
  namespace: string;
  podUid: string;
  attempt: number;
  isSandbox: boolean;
}

export function parseK8sDockerName(raw: string): K8sDockerName | undefined {
  const name = raw.startsWith('/') ? raw.slice(1) : raw;
  if (!name.startsWith('k8s_')) return undefined;
  const parts = name.slice(4).split('_');
  if (parts.length !== 5 || parts.some((p) => p === '')) return undefined;
  const [containerName, podName, namespace, podUid, attempt] = parts as [string, string, string, string, string];
  if (!/^\d+$/.test(attempt)) return undefined;
  return { containerName, podName, namespace, podUid, attempt: Number(attempt), isSandbox: containerName === 'POD' };
}

/** Full runtime ids are 64 hex digits; anything shorter that is still hex is a prefix. */
export function isFullId(id: string): boolean {
  return /^[0-9a-f]{64}$/i.test(id);
}
