import { DiagnosticSink, opt, parseIsoTimeUs, splitLines } from '../node-text/index.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import { AZURE_CNI, CALICO, HEX_ID, JOURNAL, goStruct, klogMessage, logfmtField, quotedAfter, quotedField } from './line.js';
import type { RuntimeCni, RuntimeHost, RuntimeLogRecord } from './types.js';

const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Pod facts from runtime logs: containerd CRI lines, kubelet pod events and CNI plugin lines.
 * Logs are mostly noise, so a line that is none of these is skipped silently; a line that starts
 * like one of them but cannot be read is reported.
 */
export function parseRuntimeLog(text: string, ctx: TextParseContext): TextParseResult<RuntimeLogRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: RuntimeLogRecord[] = [];
  const hosts = new Map<string, RuntimeHost>();
  const { lines } = splitLines(text);
  for (const l of lines) {
    const j = JOURNAL.exec(l.text);
    if (j) {
      const host = HOST_NAME.test(j[1]!) ? j[1]!.toLowerCase() : undefined;
      if (host) {
        const h = hosts.get(host);
        if (h) h.lines++;
        else hosts.set(host, { type: 'host', name: host, line: l.line, lines: 1 });
      }
      const calico = CALICO.exec(j[3]!);
      const rec = calico ? calicoCni(calico[1]!, l.line) : j[2] === 'kubelet' || j[2] === 'kubenswrapper' ? kubeletLine(j[3]!, l.line, sink) : runtimeLine(j[3]!, l.line, sink);
      for (const r of Array.isArray(rec) ? rec : rec ? [rec] : []) records.push({ ...r, ...opt('host', host) });
      continue;
    }
    const a = AZURE_CNI.exec(l.text);
    if (a) {
      const rec = azureCni(a[1]!, l.line);
      if (rec) records.push(rec);
      continue;
    }
    // `journalctl -o cat` keeps containerd's logfmt without the journal prefix.
    if (/^time="[^"]+" level=\w+ msg=/.test(l.text)) {
      const rec = runtimeLine(l.text, l.line, sink);
      if (rec) records.push(rec);
    }
  }
  return { records: [...records, ...hosts.values()], diagnostics: sink.finish() };
}

/** containerd (CRI) lines: sandbox and container ids with the pod's name. */
function runtimeLine(text: string, line: number, sink: DiagnosticSink): RuntimeLogRecord | undefined {
  const msg = logfmtField(text, 'msg');
  if (msg === undefined) return undefined;
  const tsUs = parseIsoTimeUs(logfmtField(text, 'time'));
  const at = opt('tsUs', tsUs);
  if (msg.startsWith('RunPodSandbox for ') && msg.includes(' returns sandbox id ')) {
    const md = goStruct(msg, 'PodSandboxMetadata');
    const id = quotedAfter(msg, 'returns sandbox id');
    if (!md?.Name || !md.Namespace || !id || !HEX_ID.test(id)) {
      sink.malformed(line, text, 'RunPodSandbox line without pod name, namespace and sandbox id');
      return undefined;
    }
    return { type: 'sandbox', pod: md.Name, namespace: md.Namespace, sandboxId: id, line, ...opt('uid', md.Uid || undefined), ...at };
  }
  if (msg.startsWith('CreateContainer within sandbox ') && msg.includes(' returns container id ')) {
    const sandboxId = quotedAfter(msg, 'within sandbox');
    const md = goStruct(msg, 'ContainerMetadata');
    const id = quotedAfter(msg, 'returns container id');
    if (!sandboxId || !HEX_ID.test(sandboxId) || !md?.Name || !id || !HEX_ID.test(id)) {
      sink.malformed(line, text, 'CreateContainer line without sandbox id, container name and container id');
      return undefined;
    }
    return { type: 'container', sandboxId, name: md.Name, containerId: id, line, ...at };
  }
  return crioLine(text, msg, line, at, sink);
}

/** CRI-O's own words for the same facts: `Ran pod sandbox ID with infra container: ns/pod/POD`, `Started container` with its sandboxID. */
function crioLine(text: string, msg: string, line: number, at: { tsUs?: number }, sink: DiagnosticSink): RuntimeLogRecord | undefined {
  const ran = /^Ran pod sandbox ([0-9a-f]{64}) with infra container: ([^/\s]+)\/([^/\s]+)\/POD$/.exec(msg);
  if (ran) return { type: 'sandbox', pod: ran[3]!, namespace: ran[2]!, sandboxId: ran[1]!, line, ...at };
  if (msg === 'Started container') {
    const id = /(?:^|\s)containerID=([0-9a-f]{64})(?:\s|$)/.exec(text)?.[1];
    const sandboxId = /(?:^|\s)sandboxID=([0-9a-f]{64})(?:\s|$)/.exec(text)?.[1];
    const desc = /(?:^|\s)description=([^/\s]+)\/([^/\s]+)\/(\S+)/.exec(text);
    if (!id || !sandboxId || !desc) {
      sink.malformed(line, text, 'CRI-O "Started container" line without containerID, sandboxID and description');
      return undefined;
    }
    return { type: 'container', sandboxId, name: desc[3]!, containerId: id, line, ...at };
  }
  // The pod's CNI ADD on this node; namespaces and pod names hold no '_', so the first one splits them.
  const add = /^Adding pod ([a-z0-9][-a-z0-9.]*)_(\S+) to CNI network "([^"]*)"(?: \(type=([^)]+)\))?/.exec(msg);
  if (add) return { type: 'cni', op: 'ADD', plugin: add[4] ?? add[3]!, namespace: add[1]!, pod: add[2]!, ips: [], line, ...at };
  return undefined;
}

/** kubelet lines naming a pod of this node (structured klog: `"Event" pod="ns/name" …`). */
function kubeletLine(text: string, line: number, sink: DiagnosticSink): RuntimeLogRecord | RuntimeLogRecord[] | undefined {
  const msg = klogMessage(text);
  if (!msg) return undefined;
  const ev = /^"([^"]+)"/.exec(msg)?.[1];
  if (!ev) return undefined;
  if (ev === 'SyncLoop ADD') {
    // One ADD may list several pods: pods=["ns/a","ns/b"].
    const list = /pods=\[([^\]]*)\]/.exec(msg)?.[1] ?? '';
    return [...list.matchAll(/"([^"/]+)\/([^"]+)"/g)].map((m) => ({ type: 'kubelet' as const, event: ev, namespace: m[1]!, pod: m[2]!, line }));
  }
  if (ev !== 'SyncLoop (PLEG): event for pod' && ev !== 'Observed pod startup duration') return undefined;
  const pod = /\bpod="([^"/]+)\/([^"]+)"/.exec(msg);
  if (!pod) {
    sink.malformed(line, text, `kubelet "${ev}" line without pod="namespace/name"`);
    return undefined;
  }
  const uid = /"ID":"([0-9a-f-]{36})"|ID:([0-9a-f-]{36})/.exec(msg);
  const data = /"Data":"([0-9a-f]{64})"|Data:([0-9a-f]{64})/.exec(msg);
  const type = /"Type":"(\w+)"|Type:(\w+)/.exec(msg);
  // Only a started container or sandbox ties its id to the pod; ContainerDied ids may be long gone.
  const started = type && (type[1] ?? type[2]) === 'ContainerStarted';
  return {
    type: 'kubelet', event: type ? `PLEG ${type[1] ?? type[2]}` : ev, namespace: pod[1]!, pod: pod[2]!, line,
    ...opt('uid', uid ? (uid[1] ?? uid[2]) : undefined), ...opt('id', started && data ? (data[1] ?? data[2]) : undefined),
  };
}

/**
 * Calico CNI lines (projectcalico/calico cni-plugin k8s.go, dataplane_linux.go): the endpoint it
 * populated (pod, namespace, sandbox), the addresses it gave, the host veth it named, and the
 * address it released on DEL. Other Calico lines say nothing about a pod's identity.
 */
function calicoCni(body: string, line: number): RuntimeCni | undefined {
  const f = { sandboxId: quotedField(body, 'ContainerID'), namespace: quotedField(body, 'Namespace'), pod: quotedField(body, 'Pod') };
  if (body.startsWith('Populated endpoint ')) return cni('ADD', 'calico', line, f);
  const using = /^Calico CNI using IPs: \[([^\]]*)\]/.exec(body);
  if (using) {
    const ips = using[1]!.split(/[\s,]+/).map((x) => x.replace(/\/\d+$/, '')).filter((x) => new RegExp(`^${IPV4}$`).test(x) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(x));
    return cni('ADD', 'calico', line, { ...f, ips });
  }
  const veth = /^Setting the host side veth name to (\S+)/.exec(body);
  if (veth) return cni('ADD', 'calico', line, { ...f, hostVeth: veth[1] });
  if (/^Releasing address using (?:handleID|workloadID)/.test(body)) return cni('DEL', 'calico', line, f);
  return undefined;
}

/** Azure CNI (azure-vnet) lines: the ADD/DEL args, the endpoint it created, the addresses it gave. */
function azureCni(text: string, line: number): RuntimeCni | undefined {
  const tag = /^\[([\w-]+)\] (.*)$/.exec(text);
  if (!tag) return undefined;
  const plugin = tag[1] === 'cni-ipam' ? 'azure-vnet-ipam' : 'azure-vnet';
  const body = tag[2]!;
  const args = /^Processing (ADD|DEL) command with args \{ContainerID:(\S+) Netns:(\S*) IfName:\S+ Args:(\S+)/.exec(body);
  if (args) {
    const kv = Object.fromEntries(args[4]!.split(';').map((p) => p.split('=') as [string, string]));
    return cni(args[1] as 'ADD' | 'DEL', plugin, line, { sandboxId: args[2], netns: args[3] || undefined, pod: kv.K8S_POD_NAME, namespace: kv.K8S_POD_NAMESPACE });
  }
  const created = /^(Created|Deleting) endpoint &?\{(.*)\}\.?$/.exec(body);
  if (created) {
    const f = (k: string) => new RegExp(`(?:^|\\s)${k}:(\\S*)`).exec(created[2]!)?.[1] || undefined;
    const ips = [...(/IPAddresses:\[(.*?)\]/.exec(created[2]!)?.[1] ?? '').matchAll(new RegExp(`IP:(${IPV4})`, 'g'))].map((m) => m[1]!);
    return cni(created[1] === 'Created' ? 'ADD' : 'DEL', plugin, line, {
      pod: f('PODName'), namespace: f('PODNameSpace'), sandboxId: f('ContainerID'), netns: f('NetworkNameSpace'), hostVeth: f('HostIfName'), ips,
    });
  }
  const done = /^(ADD|DEL) command completed for pod (\S+) with IPs:\[(.*)\] err:/.exec(body);
  if (done) {
    const ips = [...done[3]!.matchAll(new RegExp(`Address:\\{IP:(${IPV4})`, 'g'))].map((m) => m[1]!);
    return cni(done[1] as 'ADD' | 'DEL', plugin, line, { pod: done[2], ips });
  }
  return undefined;
}

function cni(op: 'ADD' | 'DEL', plugin: string, line: number, f: Partial<Omit<RuntimeCni, 'type' | 'op' | 'plugin' | 'line'>>): RuntimeCni {
  const sandboxId = f.sandboxId && HEX_ID.test(f.sandboxId) ? f.sandboxId : undefined;
  return {
    type: 'cni', op, plugin, line, ips: f.ips ?? [],
    ...opt('pod', f.pod || undefined), ...opt('namespace', f.namespace || undefined), ...opt('sandboxId', sandboxId),
    ...opt('netns', f.netns || undefined), ...opt('hostVeth', f.hostVeth || undefined),
  };
}
