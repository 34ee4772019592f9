import { opt, type DiagnosticSink, type TextLine } from '../node-text/index.js';
import type { KubePod, KubeService, KubectlRecord, ServicePort } from './types.js';

/**
 * `kubectl describe pod|service` text (several objects one after another, each from a `Name:`
 * line at the left margin; AKS Periscope's kubeobjects files hold one each). Only the fields
 * that tie an object to addresses, containers and nodes are read.
 */
export type DescribeKind = 'pod' | 'service';

const TOP = /^([A-Z][A-Za-z ]*?):(?:\s+(.*))?$/;

/** Which object a describe text shows, from its head; undefined when it is not `kubectl describe` of a pod or service. */
export function describeKind(head: string): DescribeKind | undefined {
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 80);
  if (!lines[0] || !/^Name:\s+\S+$/.test(lines[0])) return undefined;
  const keys = new Set(lines.map((l) => TOP.exec(l)?.[1]).filter((k): k is string => !!k));
  if (!keys.has('Namespace')) return undefined;
  if (keys.has('Containers') || (keys.has('Node') && keys.has('Start Time'))) return 'pod';
  if (keys.has('Type') && (keys.has('IP') || keys.has('Endpoints') || keys.has('Selector'))) return 'service';
  return undefined;
}

interface Obj {
  line: number;
  fields: Map<string, string>;
  /** Continuation lines per top-level key (Labels, IPs, Containers, Port…). */
  blocks: Map<string, TextLine[]>;
  ports: { name?: string; text: string; line: number }[];
}

export function readDescribe(lines: TextLine[], kind: DescribeKind, sink: DiagnosticSink, out: KubectlRecord[]): void {
  let cur: Obj | undefined;
  let key: string | undefined;
  const done = () => {
    if (!cur) return;
    const r = kind === 'pod' ? pod(cur, sink) : service(cur);
    if (r) out.push(r);
  };
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    const top = /^\S/.test(l.text) ? TOP.exec(l.text) : null;
    if (top) {
      key = top[1]!;
      if (key === 'Name') {
        done();
        cur = { line: l.line, fields: new Map(), blocks: new Map(), ports: [] };
      }
      if (!cur) {
        sink.malformed(l.line, l.text, 'describe field before the first Name:');
        continue;
      }
      // A service prints one Port:/TargetPort:/Endpoints: group per port.
      if (key === 'Port') {
        const m = /^(?:(\S+)\s+)?(\S+)$/.exec((top[2] ?? '').trim());
        cur.ports.push({ ...opt('name', m?.[1]), text: m?.[2] ?? '', line: l.line });
      } else if (!cur.fields.has(key)) cur.fields.set(key, (top[2] ?? '').trim());
      else if (key === 'Endpoints') cur.fields.set(key, `${cur.fields.get(key)},${(top[2] ?? '').trim()}`);
      continue;
    }
    if (!cur || !key) {
      if (!/^\s/.test(l.text)) sink.malformed(l.line, l.text, 'not a kubectl describe line');
      continue;
    }
    const b = cur.blocks.get(key) ?? [];
    b.push(l);
    cur.blocks.set(key, b);
  }
  done();
}

/** `<none>`, `<unknown>`, `<unset>`, empty: describe's ways of printing no value. */
function value(v: string | undefined): string | undefined {
  return v === undefined || v === '' || /^<[a-z]+>$/.test(v) ? undefined : v;
}

function pod(o: Obj, sink: DiagnosticSink): KubePod | undefined {
  const name = value(o.fields.get('Name'));
  if (!name) return undefined;
  const nodeText = value(o.fields.get('Node'));
  const [node, hostIP] = nodeText ? nodeText.split('/') : [];
  const ip = value(o.fields.get('IP'));
  const podIPs = (o.blocks.get('IPs') ?? []).map((l) => /^\s+IP:\s+(\S+)/.exec(l.text)?.[1]).filter((x): x is string => !!x);
  if (ip && !podIPs.includes(ip)) podIPs.unshift(ip);
  const containers = [...containerBlock(o.blocks.get('Init Containers'), sink), ...containerBlock(o.blocks.get('Containers'), sink)];
  const ids = containers.map((c) => c.id).filter((x): x is string => !!x);
  const start = value(o.fields.get('Start Time'));
  const startMs = start ? Date.parse(start) : Number.NaN;
  const labels = labelBlock(o.fields.get('Labels'), o.blocks.get('Labels'));
  return {
    type: 'pod', name, podIPs, line: o.line,
    ...opt('namespace', value(o.fields.get('Namespace'))),
    ...opt('ip', ip ?? podIPs[0]),
    ...opt('hostIP', value(hostIP)),
    ...opt('node', value(node)),
    ...opt('status', value(o.fields.get('Status'))),
    ...opt('startTime', start),
    ...opt('startTimeUs', Number.isFinite(startMs) ? startMs * 1000 : undefined),
    ...(ids.length ? { containerIds: ids } : {}),
    ...(containers.length ? { containers } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
  };
}

/** `  name:` at two spaces opens a container; its fields sit at four. */
function containerBlock(lines: TextLine[] | undefined, sink: DiagnosticSink): NonNullable<KubePod['containers']> {
  const out: NonNullable<KubePod['containers']> = [];
  for (const l of lines ?? []) {
    const open = /^ {2}(\S[^:]*):\s*$/.exec(l.text);
    if (open) {
      out.push({ name: open[1]! });
      continue;
    }
    const c = out[out.length - 1];
    const f = /^ {4}(Container ID|Ready|Restart Count):\s*(.*)$/.exec(l.text);
    if (!c || !f) continue;
    const v = f[2]!.trim();
    if (f[1] === 'Container ID' && v) {
      const m = /^([a-z0-9-]+):\/\/([0-9a-f]{12,64})$/.exec(v);
      if (!m) sink.malformed(l.line, l.text, 'Container ID is not runtime://id');
      else Object.assign(c, { id: m[2], runtime: m[1] });
    } else if (f[1] === 'Ready' && (v === 'True' || v === 'False')) c.ready = v === 'True';
    else if (f[1] === 'Restart Count' && /^\d+$/.test(v)) c.restartCount = Number(v);
  }
  return out;
}

function labelBlock(first: string | undefined, more: TextLine[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of [first ?? '', ...(more ?? []).map((l) => l.text.trim())]) {
    const eq = t.indexOf('=');
    if (eq > 0 && !/\s/.test(t)) out[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return out;
}

function service(o: Obj): KubeService | undefined {
  const name = value(o.fields.get('Name'));
  if (!name) return undefined;
  const ip = value(o.fields.get('IP'));
  const ips = (value(o.fields.get('IPs')) ?? '').split(',').map((x) => x.trim()).filter((x) => x && x !== 'None');
  const ports: ServicePort[] = o.ports.flatMap((p) => {
    const m = /^(\d+)\/([A-Z]+)$/.exec(p.text);
    return m ? [{ port: Number(m[1]), protocol: m[2]!, ...opt('name', p.name === '<unset>' ? undefined : p.name) }] : [];
  });
  const ext = [value(o.fields.get('LoadBalancer Ingress')), value(o.fields.get('External IPs'))].filter((x): x is string => !!x);
  const sel = value(o.fields.get('Selector'));
  return {
    type: 'service', name, serviceType: value(o.fields.get('Type')) ?? 'ClusterIP', externalIps: ext.flatMap((x) => x.split(',').map((y) => y.trim())), ports, line: o.line,
    ...opt('namespace', value(o.fields.get('Namespace'))),
    ...opt('clusterIp', ip && ip !== 'None' ? ip : undefined),
    ...(ips.length > 1 ? { clusterIps: ips } : {}),
    ...(ip === 'None' ? { headless: true } : {}),
    ...(sel ? { selector: Object.fromEntries(sel.split(',').map((kv) => kv.split('=') as [string, string])) } : {}),
  };
}
