import {
  anchorAge,
  cellLookup,
  headerColumns,
  isMaskedIpv4,
  opt,
  splitRow,
  type Column,
  type TableRowContext,
  type TextLine,
} from '../node-text/index.js';
import type { KubeEndpoint, KubeNode, KubePod, KubeService, KubectlRecord, ServicePort } from './types.js';

const POD_COLUMNS = ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES', 'LABELS'];
const NODE_COLUMNS = [
  'NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME', 'LABELS',
];
const SVC_COLUMNS = ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR', 'LABELS'];
const EP_COLUMNS = ['NAMESPACE', 'NAME', 'ENDPOINTS', 'AGE', 'LABELS'];
const SLICE_COLUMNS = ['NAMESPACE', 'NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE', 'LABELS'];

export type KubeTableKind = 'pods' | 'nodes' | 'services' | 'endpoints' | 'endpointslices';
export interface KubeTableHeader {
  kind: KubeTableKind;
  cols: Column[];
}

export function kubeTableHeader(text: string): KubeTableHeader | undefined {
  const pods = headerColumns(text, POD_COLUMNS);
  if (pods && names(pods).includes('READY') && names(pods).includes('RESTARTS') && nameFirst(pods)) return { kind: 'pods', cols: pods };
  const nodes = headerColumns(text, NODE_COLUMNS);
  if (nodes && names(nodes).includes('ROLES') && names(nodes).includes('VERSION') && nodes[0]!.name === 'NAME') return { kind: 'nodes', cols: nodes };
  const svc = headerColumns(text, SVC_COLUMNS);
  if (svc && names(svc).includes('CLUSTER-IP') && names(svc).includes('TYPE') && nameFirst(svc)) return { kind: 'services', cols: svc };
  const slices = headerColumns(text, SLICE_COLUMNS);
  if (slices && names(slices).includes('ADDRESSTYPE') && names(slices).includes('ENDPOINTS') && nameFirst(slices)) return { kind: 'endpointslices', cols: slices };
  const eps = headerColumns(text, EP_COLUMNS);
  if (eps && names(eps).includes('ENDPOINTS') && nameFirst(eps)) return { kind: 'endpoints', cols: eps };
  return undefined;
}

function names(cols: Column[]): string[] {
  return cols.map((c) => c.name);
}

function nameFirst(cols: Column[]): boolean {
  return cols[0]!.name === 'NAME' || (cols[0]!.name === 'NAMESPACE' && cols[1]?.name === 'NAME');
}

export type KubeRowContext = TableRowContext;

/** `<none>`, `<unknown>`, `<pending>` and friends are kubectl's way of printing "no value". */
function value(v: string | undefined): string | undefined {
  return v === undefined || /^<[a-z]+>$/.test(v) ? undefined : v;
}

const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function readKubeRow(h: KubeTableHeader, l: TextLine, rc: KubeRowContext): KubectlRecord | KubectlRecord[] | string {
  const cells = splitRow(l.text, h.cols);
  if (!cells) return 'row does not line up with the header';
  const cell = cellLookup(h.cols, cells);
  for (let i = 0; i < h.cols.length; i++) if (cells[i] === '') return `empty ${h.cols[i]!.name} cell`;
  const masked: string[] = [];
  const ip = (field: string, raw: string | undefined): string | undefined => {
    const v = value(raw);
    if (v !== undefined && isMaskedIpv4(v)) {
      masked.push(field);
      rc.sink.masked(l.line, field, v);
    }
    return v;
  };
  const base = { line: l.line, ...(rc.embedded ? { embedded: true } : {}) };
  const age = cell('AGE');
  const createdAtUs = anchorAge(age, rc);
  const namespace = cell('NAMESPACE');
  if (namespace !== undefined && !DNS_NAME.test(namespace)) return `NAMESPACE ${JSON.stringify(namespace)} is not a Kubernetes name`;
  const labels = cell('LABELS');

  if (h.kind === 'pods') {
    const ready = cell('READY')!;
    if (!/^\d+\/\d+$/.test(ready)) return `READY ${JSON.stringify(ready)} is not n/m`;
    const restartsText = cell('RESTARTS')!;
    const restarts = /^(\d+)(?: \(.*\))?$/.exec(restartsText);
    if (!restarts) return `RESTARTS ${JSON.stringify(restartsText)} is not a count`;
    const podIp = ip('ip', cell('IP'));
    const rec: KubePod = {
      type: 'pod',
      name: cell('NAME')!,
      podIPs: podIp ? [podIp] : [],
      ready,
      restarts: Number(restarts[1]),
      ...opt('namespace', namespace),
      ...opt('ip', podIp),
      ...opt('node', value(cell('NODE'))),
      ...opt('status', cell('STATUS')),
      ...opt('age', age),
      ...opt('createdAtUs', createdAtUs),
      ...opt('nominatedNode', value(cell('NOMINATED NODE'))),
      ...opt('readinessGates', value(cell('READINESS GATES'))),
      ...opt('labels', labels === undefined ? undefined : parseSelector(labels)),
      ...base,
    };
    if (masked.length) rec.masked = masked;
    return rec;
  }

  if (h.kind === 'nodes') {
    const rec: KubeNode = {
      type: 'node',
      name: cell('NAME')!,
      ...opt('internalIp', ip('internalIp', cell('INTERNAL-IP'))),
      ...opt('externalIp', ip('externalIp', cell('EXTERNAL-IP'))),
      ...opt('status', cell('STATUS')),
      ...opt('roles', value(cell('ROLES'))),
      ...opt('age', age),
      ...opt('version', cell('VERSION')),
      ...opt('osImage', value(cell('OS-IMAGE'))),
      ...opt('kernelVersion', value(cell('KERNEL-VERSION'))),
      ...opt('containerRuntime', value(cell('CONTAINER-RUNTIME'))),
      ...opt('labels', labels === undefined ? undefined : parseSelector(labels)),
      ...base,
    };
    if (masked.length) rec.masked = masked;
    return rec;
  }

  if (h.kind === 'endpoints' || h.kind === 'endpointslices') {
    const eps = endpointCells(cell('ENDPOINTS')!, h.kind === 'endpointslices' ? cell('PORTS') : undefined);
    if (typeof eps === 'string') return eps;
    if (eps.more) rc.sink.add('TEXT_TRUNCATED', `kubectl printed only the first endpoints of ${cell('NAME')} ("+ ${eps.more} more..."); the rest are not in this table`, l.line);
    const name = cell('NAME')!;
    return eps.list.map((e): KubeEndpoint => ({
      type: 'endpoint', source: h.kind === 'endpoints' ? 'endpoints' : 'endpointslice',
      // A slice table names the slice, not its service (that is only in the slice's labels).
      service: h.kind === 'endpoints' ? name : '', ip: e.ip, ...opt('port', e.port), ...opt('namespace', namespace),
      ...(h.kind === 'endpointslices' ? { slice: name } : {}), ...base,
    }));
  }

  const portsText = cell('PORT(S)')!;
  const ports = parsePorts(portsText);
  if (typeof ports === 'string') return ports;
  const clusterText = cell('CLUSTER-IP')!;
  const ext = cell('EXTERNAL-IP')!;
  const clusterIp = clusterText === 'None' ? undefined : ip('clusterIp', clusterText);
  const externalIps = (value(ext) ?? '')
    .split(',')
    .filter((x) => x !== '')
    .map((x) => ip('externalIp', x)!);
  const rec: KubeService = {
    type: 'service',
    name: cell('NAME')!,
    serviceType: cell('TYPE')!,
    externalIps,
    ports,
    ...opt('namespace', namespace),
    ...opt('clusterIp', clusterIp),
    ...(clusterText === 'None' ? { headless: true } : {}),
    ...(ext === '<pending>' ? { pending: true } : {}),
    ...opt('selector', cell('SELECTOR') === undefined ? undefined : value(cell('SELECTOR')) === undefined ? undefined : parseSelector(cell('SELECTOR')!)),
    ...opt('age', age),
    ...base,
  };
  if (masked.length) rec.masked = masked;
  return rec;
}

/** `80:30080/TCP,443/TCP,53/UDP` (`<none>` → no ports). */
export function parsePorts(text: string): ServicePort[] | string {
  if (value(text) === undefined) return [];
  const ports: ServicePort[] = [];
  for (const p of text.split(',')) {
    const m = /^(\d+)(?::(\d+))?\/([A-Z]+)$/.exec(p);
    if (!m) return `PORT(S) entry ${JSON.stringify(p)} is not port[:nodePort]/PROTO`;
    ports.push({ port: Number(m[1]), protocol: m[3]!, ...opt('nodePort', m[2] ? Number(m[2]) : undefined) });
  }
  return ports;
}

/** `app=web,tier=fe` → { app: 'web', tier: 'fe' }. */
export function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (value(text) === undefined) return out;
  for (const kv of text.split(',')) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

/**
 * ENDPOINTS as kubectl prints it: `10.1.0.20:53,10.1.0.21:53 + 3 more...` (endpoints: ip:port),
 * `10.244.0.2,10.244.0.3` (slices: addresses, ports in PORTS), `[fd00::5]:80`, or `<none>`/`<unset>`.
 */
function endpointCells(text: string, portsText: string | undefined): { list: { ip: string; port?: number }[]; more: number } | string {
  const more = /\s\+\s(\d+)\smore\.\.\.$/.exec(text);
  const body = more ? text.slice(0, more.index) : text;
  if (value(body) === undefined) return { list: [], more: 0 };
  const list: { ip: string; port?: number }[] = [];
  const seen = new Set<string>();
  for (const part of body.split(',')) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})|([0-9a-fA-F:]+:[0-9a-fA-F:]*))(?::(\d+))?$/.exec(part);
    if (!m) return `ENDPOINTS entry ${JSON.stringify(part)} is not an address[:port]`;
    const ip = m[1] ?? m[2] ?? m[3]!;
    const port = m[4] !== undefined ? Number(m[4]) : undefined;
    const k = `${ip}:${port ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    list.push({ ip, ...opt('port', port) });
  }
  // A slice row lists the ports once for all its addresses.
  if (portsText !== undefined && value(portsText) !== undefined && list.every((e) => e.port === undefined)) {
    const ports = [...new Set(portsText.split(',').filter((p) => /^\d+$/.test(p)).map(Number))];
    if (ports.length) return { list: list.flatMap((e) => ports.map((port) => ({ ...e, port }))), more: more ? Number(more[1]) : 0 };
  }
  return { list, more: more ? Number(more[1]) : 0 };
}
