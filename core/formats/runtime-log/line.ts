/**
 * The shapes of the lines this format reads, and how to take their fields apart. Kept apart
 * from the reader so the sniffer asks the same questions as the parser.
 */

/** `Nov 29 18:13:10 HOST containerd[2506]: …` (journalctl / syslog short format; OpenShift runs the kubelet as kubenswrapper). */
export const JOURNAL = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? (\S+) (kubelet|kubenswrapper|containerd|crio|dockerd|cri-dockerd)\[\d+\]: (.*)$/;
/** Azure CNI's own logs (`/var/log/azure-vnet.log`): `2024/08/28 09:46:32 [11185] [cni-net] …`. */
export const AZURE_CNI = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\d+\] (.*)$/;

/** containerd's logfmt `msg="…"` (quotes inside escaped as \"), unescaped. */
export function logfmtField(text: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${key}="((?:[^"\\\\]|\\\\.)*)"`).exec(text);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/** `&PodSandboxMetadata{Name:nginx,Uid:…,Namespace:default,Attempt:0,}` → its fields (Go %+v of a struct). */
export function goStruct(text: string, name: string): Record<string, string> | undefined {
  const i = text.indexOf(`&${name}{`);
  if (i < 0) return undefined;
  const end = text.indexOf('}', i);
  if (end < 0) return undefined;
  const out: Record<string, string> = {};
  for (const part of text.slice(i + name.length + 2, end).split(',')) {
    const c = part.indexOf(':');
    if (c > 0) out[part.slice(0, c)] = part.slice(c + 1);
  }
  return out;
}

/** The first "…"-quoted string after `marker`. */
export function quotedAfter(text: string, marker: string): string | undefined {
  const i = text.indexOf(marker);
  if (i < 0) return undefined;
  const m = /^\s*"([^"]*)"/.exec(text.slice(i + marker.length));
  return m ? m[1] : undefined;
}

/** klog's text after its header: `I1129 18:13:10.923963    2775 kubelet.go:2465] "SyncLoop ADD" …`. */
export function klogMessage(text: string): string | undefined {
  const m = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\] (.*)$/.exec(text);
  return m ? m[1] : undefined;
}

export const HEX_ID = /^[0-9a-f]{12,64}$/;

/** Calico's CNI plugin log line (written to the kubelet's or containerd's journal): `2022-04-29 07:43:59.999 [INFO][30672] k8s.go 383: …`. */
export const CALICO = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[[A-Z]+\]\[\d+\] [\w./-]+ \d+: (.*)$/;

/** `Key="value"` fields of a Calico line (complete values only: a cut line loses its last one). */
export function quotedField(text: string, key: string): string | undefined {
  return new RegExp(`(?:^|\\s)${key}="([^"]*)"`).exec(text)?.[1];
}
