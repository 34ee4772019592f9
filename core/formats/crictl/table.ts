import {
  anchorAge,
  cellLookup,
  headerColumns,
  isMaskedHexId,
  opt,
  splitRow,
  type Column,
  type TableRowContext,
  type TextLine,
} from '../node-text/index.js';
import { parseK8sDockerName } from './k8s-names.js';
import type { ContainerRecord, CrictlRecord, SandboxRecord } from './types.js';

const PS_COLUMNS = ['CONTAINER ID', 'CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE'];
const PODS_COLUMNS = ['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'];
const DOCKER_COLUMNS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES', 'SIZE'];

export type TableKind = 'crictl-ps' | 'crictl-pods' | 'docker-ps';

export interface TableHeader {
  kind: TableKind;
  cols: Column[];
}

/** Recognises the header line of one of the three listings, or undefined. */
export function tableHeader(text: string): TableHeader | undefined {
  const ps = headerColumns(text, PS_COLUMNS);
  if (ps && (ps[0]!.name === 'CONTAINER' || ps[0]!.name === 'CONTAINER ID') && has(ps, 'STATE') && has(ps, 'NAME')) {
    return { kind: 'crictl-ps', cols: ps };
  }
  const pods = headerColumns(text, PODS_COLUMNS);
  if (pods && pods[0]!.name === 'POD ID' && has(pods, 'STATE') && has(pods, 'NAME')) return { kind: 'crictl-pods', cols: pods };
  const docker = headerColumns(text, DOCKER_COLUMNS);
  if (docker && docker[0]!.name === 'CONTAINER ID' && has(docker, 'NAMES')) return { kind: 'docker-ps', cols: docker };
  return undefined;
}

function has(cols: Column[], name: string): boolean {
  return cols.some((c) => c.name === name);
}

export type RowContext = TableRowContext;

/**
 * Reads one data row. Returns the record, or a reason string when the row does not fit (the
 * caller decides between TEXT_MALFORMED_LINE and TEXT_TRUNCATED).
 */
export function readRow(header: TableHeader, l: TextLine, rc: RowContext): CrictlRecord | string {
  const cells = splitRow(l.text, header.cols);
  if (!cells) return 'row does not line up with the header';
  const cell = cellLookup(header.cols, cells);
  const optionalEmpty = header.kind === 'docker-ps' ? ['PORTS', 'SIZE'] : [];
  for (let i = 0; i < header.cols.length; i++) {
    if (cells[i] === '' && !optionalEmpty.includes(header.cols[i]!.name)) return `empty ${header.cols[i]!.name} cell`;
  }
  const masked: string[] = [];
  const checkId = (field: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    if (isMaskedHexId(value)) {
      masked.push(field);
      rc.sink.masked(l.line, field, value);
      return undefined;
    }
    return /^[0-9a-f]+$/i.test(value) ? undefined : `${field} ${JSON.stringify(value)} is not a hex id`;
  };
  const created = cell('CREATED');
  const createdAtUs = anchorAge(created, rc);
  const base = { line: l.line, ...(rc.embedded ? { embedded: true } : {}) };

  if (header.kind === 'crictl-pods') {
    const podId = cell('POD ID')!;
    const bad = checkId('podId', podId);
    if (bad) return bad;
    const attempt = intCell(cell('ATTEMPT'));
    if (attempt === null) return 'ATTEMPT is not a number';
    const rec: SandboxRecord = {
      type: 'sandbox',
      tool: 'crictl',
      podId,
      idIsPrefix: podId.length < 64,
      name: cell('NAME')!,
      ...opt('created', created),
      ...opt('createdAtUs', createdAtUs),
      ...opt('state', cell('STATE')),
      ...opt('namespace', cell('NAMESPACE')),
      ...opt('attempt', attempt),
      ...opt('runtime', cell('RUNTIME')),
      ...base,
    };
    if (masked.length) rec.masked = masked;
    return rec;
  }

  if (header.kind === 'crictl-ps') {
    const containerId = (cell('CONTAINER') ?? cell('CONTAINER ID'))!;
    const bad = checkId('containerId', containerId) ?? checkId('podId', cell('POD ID'));
    if (bad) return bad;
    const image = cell('IMAGE');
    if (image && isMaskedHexId(image)) {
      masked.push('image');
      rc.sink.masked(l.line, 'image', image);
    }
    const attempt = intCell(cell('ATTEMPT'));
    if (attempt === null) return 'ATTEMPT is not a number';
    const podId = cell('POD ID');
    const rec: ContainerRecord = {
      type: 'container',
      tool: 'crictl',
      containerId,
      idIsPrefix: containerId.length < 64,
      name: cell('NAME')!,
      ...opt('image', image),
      ...opt('created', created),
      ...opt('createdAtUs', createdAtUs),
      ...opt('state', cell('STATE')),
      ...opt('attempt', attempt),
      ...(podId !== undefined ? { podId, podIdIsPrefix: podId.length < 64 } : {}),
      ...opt('podName', cell('POD')),
      ...opt('namespace', cell('NAMESPACE')),
      ...base,
    };
    if (masked.length) rec.masked = masked;
    return rec;
  }

  // docker ps
  const containerId = cell('CONTAINER ID')!;
  const bad = checkId('containerId', containerId);
  if (bad) return bad;
  const dockerName = cell('NAMES')!.split(',')[0]!;
  const k8s = parseK8sDockerName(dockerName);
  const rec: ContainerRecord = {
    type: 'container',
    tool: 'docker',
    containerId,
    idIsPrefix: containerId.length < 64,
    name: k8s ? k8s.containerName : dockerName,
    dockerName,
    ...opt('image', cell('IMAGE')),
    ...opt('command', cell('COMMAND')),
    ...opt('created', created),
    ...opt('createdAtUs', createdAtUs),
    ...opt('state', cell('STATUS')),
    ...(cell('PORTS') ? { ports: cell('PORTS') } : {}),
    ...(k8s
      ? { podName: k8s.podName, namespace: k8s.namespace, podUid: k8s.podUid, attempt: k8s.attempt, isSandbox: k8s.isSandbox }
      : {}),
    ...base,
  };
  if (masked.length) rec.masked = masked;
  return rec;
}

/** undefined: no such column; null: present but not a number. */
function intCell(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : null;
}
