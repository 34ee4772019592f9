import { arr, isObject, num, obj, opt, parseIsoTimeUs, str, stringMap } from '../node-text/index.js';
import type { KubeEndpoint, KubeNode, KubePod, KubeService, KubectlRecord } from './types.js';

/** Object kinds podcap reads; a List's items carry their own kind (kubectl) or inherit it (`PodList`). */
export const KINDS = new Set(['Pod', 'Node', 'Service', 'Endpoints', 'EndpointSlice']);

export function itemKind(item: Record<string, unknown>, listKind: string | undefined): string | undefined {
  const k = str(item.kind);
  if (k) return k;
  if (listKind && listKind.endsWith('List')) return listKind.slice(0, -4);
  return undefined;
}

/** Records for one API object; [] for kinds podcap does not use. */
export function readObject(o: Record<string, unknown>, kind: string, line: number): KubectlRecord[] {
  switch (kind) {
    case 'Pod':
      return [pod(o, line)];
    case 'Node':
      return [node(o, line)];
    case 'Service':
      return [service(o, line)];
    case 'Endpoints':
      return endpoints(o, line);
    case 'EndpointSlice':
      return endpointSlice(o, line);
    default:
      return [];
  }
}

function pod(o: Record<string, unknown>, line: number): KubePod {
  const md = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const podIPs = arr(status.podIPs)
    .map((p) => str(obj(p).ip))
    .filter((ip): ip is string => !!ip);
  const primary = str(status.podIP);
  if (primary && !podIPs.includes(primary)) podIPs.unshift(primary);
  const containers = [...arr(status.initContainerStatuses), ...arr(status.containerStatuses), ...arr(status.ephemeralContainerStatuses)]
    .filter(isObject)
    .map((c) => {
      const full = str(c.containerID);
      const m = full ? /^([a-z0-9-]+):\/\/(.+)$/.exec(full) : null;
      return {
        name: str(c.name) ?? '',
        ...opt('id', m ? m[2] : full),
        ...opt('runtime', m ? m[1] : undefined),
        ...opt('ready', typeof c.ready === 'boolean' ? c.ready : undefined),
        ...opt('restartCount', num(c.restartCount)),
      };
    });
  const ids = containers.map((c) => c.id).filter((id): id is string => !!id);
  const startTime = str(status.startTime);
  const phase = md.deletionTimestamp ? 'Terminating' : str(status.phase);
  const labels = stringMap(md.labels);
  return {
    type: 'pod',
    name: str(md.name) ?? '',
    podIPs,
    line,
    ...opt('namespace', str(md.namespace)),
    ...opt('ip', primary ?? podIPs[0]),
    ...opt('hostIP', str(status.hostIP)),
    ...opt('node', str(spec.nodeName)),
    ...opt('status', phase),
    ...opt('startTime', startTime),
    ...opt('startTimeUs', parseIsoTimeUs(startTime)),
    ...(ids.length ? { containerIds: ids } : {}),
    ...(containers.length ? { containers } : {}),
    ...opt('uid', str(md.uid)),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...opt('nominatedNode', str(status.nominatedNodeName)),
    ...(spec.hostNetwork === true ? { hostNetwork: true } : {}),
  };
}

function node(o: Record<string, unknown>, line: number): KubeNode {
  const md = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const info = obj(status.nodeInfo);
  const addrs = arr(status.addresses).map(obj);
  const of = (t: string) => addrs.filter((a) => a.type === t).map((a) => str(a.address)).filter((a): a is string => !!a);
  const internal = of('InternalIP');
  const podCIDRs = arr(spec.podCIDRs).filter((c): c is string => typeof c === 'string');
  const ready = arr(status.conditions)
    .map(obj)
    .find((c) => c.type === 'Ready');
  const labels = stringMap(md.labels);
  return {
    type: 'node',
    name: str(md.name) ?? '',
    line,
    ...opt('internalIp', internal[0]),
    ...(internal.length > 1 ? { internalIps: internal } : {}),
    ...opt('externalIp', of('ExternalIP')[0]),
    ...opt('hostname', of('Hostname')[0]),
    ...opt('podCIDR', str(spec.podCIDR)),
    ...(podCIDRs.length ? { podCIDRs } : {}),
    ...opt('status', ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : undefined),
    ...opt('version', str(info.kubeletVersion)),
    ...opt('osImage', str(info.osImage)),
    ...opt('kernelVersion', str(info.kernelVersion)),
    ...opt('containerRuntime', str(info.containerRuntimeVersion)),
    ...(Object.keys(labels).length ? { labels } : {}),
  };
}

function service(o: Record<string, unknown>, line: number): KubeService {
  const md = obj(o.metadata);
  const spec = obj(o.spec);
  const lb = arr(obj(obj(o.status).loadBalancer).ingress).map(obj);
  const clusterIp = str(spec.clusterIP);
  const clusterIps = arr(spec.clusterIPs).filter((c): c is string => typeof c === 'string' && c !== 'None');
  const externalIps = [
    ...arr(spec.externalIPs).filter((c): c is string => typeof c === 'string'),
    ...lb.map((i) => str(i.ip) ?? str(i.hostname)).filter((i): i is string => !!i),
  ];
  const selector = isObject(spec.selector) ? stringMap(spec.selector) : undefined;
  return {
    type: 'service',
    name: str(md.name) ?? '',
    serviceType: str(spec.type) ?? 'ClusterIP',
    externalIps,
    ports: arr(spec.ports)
      .map(obj)
      .map((p) => {
        const target = p.targetPort;
        return {
          port: num(p.port) ?? 0,
          protocol: str(p.protocol) ?? 'TCP',
          ...opt('nodePort', num(p.nodePort)),
          ...opt('name', str(p.name)),
          ...opt('targetPort', typeof target === 'number' || typeof target === 'string' ? target : undefined),
        };
      }),
    line,
    ...opt('namespace', str(md.namespace)),
    ...opt('clusterIp', clusterIp && clusterIp !== 'None' ? clusterIp : undefined),
    ...(clusterIps.length ? { clusterIps } : {}),
    ...(clusterIp === 'None' ? { headless: true } : {}),
    ...opt('selector', selector),
    ...opt('uid', str(md.uid)),
  };
}

function endpoints(o: Record<string, unknown>, line: number): KubeEndpoint[] {
  const md = obj(o.metadata);
  const service = str(md.name) ?? '';
  const namespace = str(md.namespace);
  const out: KubeEndpoint[] = [];
  for (const subset of arr(o.subsets).map(obj)) {
    const ports = arr(subset.ports).map(obj);
    const groups: [unknown[], boolean][] = [
      [arr(subset.addresses), true],
      [arr(subset.notReadyAddresses), false],
    ];
    for (const [addresses, ready] of groups) {
      for (const a of addresses.map(obj)) {
        const ip = str(a.ip);
        if (!ip) continue;
        const ref = obj(a.targetRef);
        const common = {
          type: 'endpoint' as const,
          source: 'endpoints' as const,
          service,
          ip,
          ready,
          line,
          ...opt('namespace', namespace),
          ...opt('targetPod', ref.kind === 'Pod' ? str(ref.name) : undefined),
          ...opt('targetPodUid', ref.kind === 'Pod' ? str(ref.uid) : undefined),
          ...opt('node', str(a.nodeName)),
        };
        out.push(...perPort(common, ports));
      }
    }
  }
  return out;
}

function endpointSlice(o: Record<string, unknown>, line: number): KubeEndpoint[] {
  const md = obj(o.metadata);
  const service = stringMap(md.labels)['kubernetes.io/service-name'] ?? '';
  const ports = arr(o.ports).map(obj);
  const out: KubeEndpoint[] = [];
  for (const e of arr(o.endpoints).map(obj)) {
    const ref = obj(e.targetRef);
    const cond = obj(e.conditions);
    for (const ip of arr(e.addresses).filter((a): a is string => typeof a === 'string')) {
      const common = {
        type: 'endpoint' as const,
        source: 'endpointslice' as const,
        service,
        ip,
        line,
        ...opt('namespace', str(md.namespace)),
        ...opt('slice', str(md.name)),
        // A nil "ready" means ready (EndpointConditions docs).
        ready: cond.ready !== false,
        ...opt('targetPod', ref.kind === 'Pod' ? str(ref.name) : undefined),
        ...opt('targetPodUid', ref.kind === 'Pod' ? str(ref.uid) : undefined),
        ...opt('node', str(e.nodeName)),
      };
      out.push(...perPort(common, ports));
    }
  }
  return out;
}

/** One endpoint record per port of the subset/slice (one without a port when it lists none). */
function perPort(common: KubeEndpoint, ports: Record<string, unknown>[]): KubeEndpoint[] {
  if (ports.length === 0) return [common];
  return ports.map((p) => ({ ...common, ...opt('port', num(p.port)), ...opt('portName', str(p.name)), ...opt('protocol', str(p.protocol)) }));
}
