import {
  arr,
  isObject,
  num,
  obj,
  opt,
  parseIsoTimeUs,
  str,
  stringMap,
  type DiagnosticSink,
  type JsonDocument,
} from '../node-text/index.js';
import { isFullId, parseK8sDockerName } from './k8s-names.js';
import type { CniInterface, ContainerRecord, CrictlRecord, InspectRecord, SandboxRecord } from './types.js';

/** What a JSON document (or array element) looks like, without reading it fully. */
export type JsonShape = 'crictl-inspect' | 'docker-inspect' | 'crictl-ps-json' | 'crictl-pods-json';

export function jsonShape(v: unknown): JsonShape | undefined {
  if (Array.isArray(v)) {
    const first = v.find(isObject);
    if (!first) return undefined;
    if (isDockerInspect(first)) return 'docker-inspect';
    if (isCrictlInspect(first)) return 'crictl-inspect';
    return undefined;
  }
  if (!isObject(v)) return undefined;
  if (isCrictlInspect(v)) return 'crictl-inspect';
  if (Array.isArray(v.containers) && arr(v.containers).some((c) => isObject(c) && 'podSandboxId' in c)) return 'crictl-ps-json';
  if (Array.isArray(v.items) && !('kind' in v) && arr(v.items).some((c) => isObject(c) && /^SANDBOX_/.test(str(c.state) ?? ''))) {
    return 'crictl-pods-json';
  }
  return undefined;
}

function isCrictlInspect(v: Record<string, unknown>): boolean {
  const status = v.status;
  return isObject(status) && typeof status.id === 'string' && (isObject(status.metadata) || isObject(v.info));
}

function isDockerInspect(v: Record<string, unknown>): boolean {
  return typeof v.Id === 'string' && (isObject(v.State) || isObject(v.Config) || isObject(v.NetworkSettings));
}

export interface JsonContext {
  sink: DiagnosticSink;
  embedded: boolean;
}

/** Turns one JSON document into records; the document's shape was checked by `jsonShape`. */
export function readJsonDocument(doc: JsonDocument, shape: JsonShape, jc: JsonContext): CrictlRecord[] {
  const out: CrictlRecord[] = [];
  const lineOf = (key: string, i: number) => doc.elementLines.get(key)?.[i] ?? doc.line;
  const mark = <R extends CrictlRecord>(r: R): R => (jc.embedded ? { ...r, embedded: true } : r);
  switch (shape) {
    case 'crictl-inspect':
      if (Array.isArray(doc.value)) {
        doc.value.forEach((el, i) => {
          if (isObject(el) && isCrictlInspect(el)) out.push(mark(crictlInspect(el, lineOf('', i))));
        });
      } else out.push(mark(crictlInspect(obj(doc.value), doc.line)));
      break;
    case 'docker-inspect':
      arr(doc.value).forEach((el, i) => {
        if (isObject(el) && isDockerInspect(el)) out.push(mark(dockerInspect(el, lineOf('', i))));
      });
      break;
    case 'crictl-ps-json':
      arr(obj(doc.value).containers).forEach((el, i) => {
        if (isObject(el)) out.push(mark(psJson(el, lineOf('containers', i))));
      });
      break;
    case 'crictl-pods-json':
      arr(obj(doc.value).items).forEach((el, i) => {
        if (isObject(el)) out.push(mark(podsJson(el, lineOf('items', i))));
      });
      break;
  }
  return out;
}

/** The pod identity a runtime stores in labels (kubelet) or spec annotations (containerd, CRI-O). */
function podIdentity(labels: Record<string, string>, annotations: Record<string, string>) {
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = labels[k] ?? annotations[k];
      if (v) return v;
    }
    return undefined;
  };
  return {
    podName: pick('io.kubernetes.pod.name', 'io.kubernetes.cri.sandbox-name'),
    podNamespace: pick('io.kubernetes.pod.namespace', 'io.kubernetes.cri.sandbox-namespace'),
    podUid: pick('io.kubernetes.pod.uid', 'io.kubernetes.cri.sandbox-uid'),
    containerName: pick('io.kubernetes.container.name', 'io.kubernetes.cri.container-name'),
    sandboxId: pick('io.kubernetes.cri.sandbox-id', 'io.kubernetes.sandbox.id', 'io.kubernetes.cri-o.SandboxID'),
  };
}

function networkNamespacePath(spec: Record<string, unknown>): string | undefined {
  for (const ns of arr(obj(spec.linux).namespaces)) {
    const n = obj(ns);
    if (n.type === 'network' && typeof n.path === 'string' && n.path !== '') return n.path;
  }
  return undefined;
}

function namespaceCount(spec: Record<string, unknown>): number {
  return arr(obj(spec.linux).namespaces).length;
}

function hasNetworkNamespace(spec: Record<string, unknown>): boolean {
  return arr(obj(spec.linux).namespaces).some((ns) => obj(ns).type === 'network');
}

function crictlInspect(v: Record<string, unknown>, line: number): InspectRecord {
  const status = obj(v.status);
  const info = obj(v.info);
  const spec = obj(info.runtimeSpec);
  const metadata = obj(status.metadata);
  const labels = stringMap(status.labels);
  const annotations = { ...stringMap(spec.annotations), ...stringMap(status.annotations) };
  const who = podIdentity(labels, annotations);
  const state = str(status.state);
  const isSandbox =
    /^SANDBOX_/.test(state ?? '') || isObject(status.network) || annotations['io.kubernetes.cri.container-type'] === 'sandbox';
  const id = str(status.id) ?? '';
  const pid = num(info.pid);
  const netnsPath = networkNamespacePath(spec) ?? str(info.netNamespace);
  const network = obj(status.network);
  const ips = [str(network.ip), ...arr(network.additionalIps).map((a) => str(obj(a).ip))].filter(
    (ip): ip is string => typeof ip === 'string' && ip !== '',
  );
  const nsOptions = obj(obj(obj(status.linux).namespaces).options);
  const hostNetwork =
    nsOptions.network === 'NODE' || nsOptions.hostNetwork === true || (namespaceCount(spec) > 0 && !hasNetworkNamespace(spec))
      ? true
      : undefined;
  const rec: InspectRecord = {
    type: 'inspect',
    tool: 'crictl',
    object: isSandbox ? 'sandbox' : 'container',
    id,
    ips,
    labels,
    line,
    ...opt('name', str(metadata.name)),
    ...opt('state', state),
    ...opt('createdAtUs', parseIsoTimeUs(str(status.createdAt))),
    ...opt('image', str(obj(status.image).image) ?? str(info.image)),
    ...opt('pid', pid && pid > 0 ? pid : undefined),
    ...opt('netnsPath', netnsPath),
    ...opt('hostNetwork', hostNetwork),
  };
  if (isSandbox) {
    rec.sandboxId = id;
    rec.podName = str(metadata.name) ?? who.podName;
    rec.podNamespace = str(metadata.namespace) ?? who.podNamespace;
    rec.podUid = str(metadata.uid) ?? who.podUid;
    const cni = cniInterfaces(info.cniResult);
    if (cni.length) rec.cniInterfaces = cni;
  } else {
    Object.assign(
      rec,
      opt('sandboxId', str(info.sandboxID) ?? who.sandboxId),
      opt('podName', who.podName),
      opt('podNamespace', who.podNamespace),
      opt('podUid', who.podUid),
      opt('containerName', str(metadata.name) ?? who.containerName),
    );
  }
  return dropUndefined(rec);
}

function cniInterfaces(result: unknown): CniInterface[] {
  const out: CniInterface[] = [];
  for (const [name, raw] of Object.entries(obj(obj(result).Interfaces))) {
    const i = obj(raw);
    out.push({
      name,
      ips: arr(i.IPConfigs)
        .map((c) => str(obj(c).IP))
        .filter((s): s is string => !!s),
      ...opt('mac', str(i.Mac)),
      ...opt('sandbox', str(i.Sandbox)),
    });
  }
  return out;
}

function dockerInspect(v: Record<string, unknown>, line: number): InspectRecord {
  const state = obj(v.State);
  const config = obj(v.Config);
  const host = obj(v.HostConfig);
  const net = obj(v.NetworkSettings);
  const labels = stringMap(config.Labels);
  const rawName = str(v.Name) ?? '';
  const k8s = parseK8sDockerName(rawName);
  const ips = new Set<string>();
  for (const ip of [str(net.IPAddress), str(net.GlobalIPv6Address)]) if (ip) ips.add(ip);
  for (const n of Object.values(obj(net.Networks))) {
    for (const ip of [str(obj(n).IPAddress), str(obj(n).GlobalIPv6Address)]) if (ip) ips.add(ip);
  }
  const networkMode = str(host.NetworkMode) ?? '';
  // Kubernetes app containers join their pause container's netns: NetworkMode "container:<id>".
  const joined = /^container:([0-9a-f]+)$/i.exec(networkMode)?.[1];
  const isSandbox = k8s?.isSandbox === true || labels['io.kubernetes.docker.type'] === 'podsandbox';
  const pid = num(state.Pid);
  const sandboxKey = str(net.SandboxKey);
  const rec: InspectRecord = {
    type: 'inspect',
    tool: 'docker',
    object: isSandbox ? 'sandbox' : 'container',
    id: str(v.Id) ?? '',
    ips: [...ips],
    labels,
    line,
    ...opt('name', k8s ? (isSandbox ? k8s.podName : k8s.containerName) : rawName.replace(/^\//, '') || undefined),
    ...opt('state', str(state.Status)),
    ...opt('createdAtUs', parseIsoTimeUs(str(v.Created))),
    ...opt('image', str(config.Image)),
    ...opt('pid', pid && pid > 0 ? pid : undefined),
    ...opt('netnsPath', sandboxKey ? sandboxKey : undefined),
    ...opt('hostNetwork', networkMode === 'host' ? true : undefined),
    ...opt('podName', labels['io.kubernetes.pod.name'] ?? k8s?.podName),
    ...opt('podNamespace', labels['io.kubernetes.pod.namespace'] ?? k8s?.namespace),
    ...opt('podUid', labels['io.kubernetes.pod.uid'] ?? k8s?.podUid),
  };
  if (isSandbox) rec.sandboxId = rec.id;
  else {
    const sandboxId = labels['io.kubernetes.sandbox.id'] ?? joined;
    if (sandboxId) rec.sandboxId = sandboxId;
    const cname = labels['io.kubernetes.container.name'] ?? k8s?.containerName;
    if (cname) rec.containerName = cname;
  }
  return rec;
}

function psJson(v: Record<string, unknown>, line: number): ContainerRecord {
  const labels = stringMap(v.labels);
  const metadata = obj(v.metadata);
  const id = str(v.id) ?? '';
  const podId = str(v.podSandboxId);
  const rec: ContainerRecord = {
    type: 'container',
    tool: 'crictl',
    containerId: id,
    idIsPrefix: !isFullId(id),
    name: str(metadata.name) ?? '',
    labels,
    line,
    ...opt('image', str(obj(v.image).image) ?? str(v.imageRef)),
    ...opt('createdAtUs', parseIsoTimeUs(str(v.createdAt))),
    ...opt('state', str(v.state)),
    ...opt('attempt', num(metadata.attempt)),
    ...(podId ? { podId, podIdIsPrefix: !isFullId(podId) } : {}),
    ...opt('podName', labels['io.kubernetes.pod.name']),
    ...opt('namespace', labels['io.kubernetes.pod.namespace']),
    ...opt('podUid', labels['io.kubernetes.pod.uid']),
  };
  return rec;
}

function podsJson(v: Record<string, unknown>, line: number): SandboxRecord {
  const metadata = obj(v.metadata);
  const id = str(v.id) ?? '';
  return {
    type: 'sandbox',
    tool: 'crictl',
    podId: id,
    idIsPrefix: !isFullId(id),
    name: str(metadata.name) ?? '',
    labels: stringMap(v.labels),
    line,
    ...opt('namespace', str(metadata.namespace)),
    ...opt('podUid', str(metadata.uid)),
    ...opt('attempt', num(metadata.attempt)),
    ...opt('state', str(v.state)),
    ...opt('createdAtUs', parseIsoTimeUs(str(v.createdAt))),
    ...opt('runtime', str(v.runtimeHandler) || undefined),
  };
}

function dropUndefined<T extends object>(r: T): T {
  for (const k of Object.keys(r) as (keyof T)[]) if (r[k] === undefined) delete r[k];
  return r;
}
