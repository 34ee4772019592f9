import { diag, type Diagnostic } from '../../diagnostics.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import type { NodeNameRecord } from './types.js';

/** RFC 1123 host name (labels of letters, digits and '-', dot-separated), as Kubernetes node names are. */
export const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** `Dec 04 12:21:00 HOST kubelet[1187]: ...` (journalctl / syslog short format). */
export const KUBELET_LINE = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? (\S+) kubelet\[\d+\]: /;

export function parseNodeName(text: string, ctx: TextParseContext): TextParseResult<NodeNameRecord> {
  const lines = text.split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  const nonEmpty = lines.map((l, i) => ({ l: l.trim(), n: i + 1 })).filter((x) => x.l !== '');
  if (nonEmpty.length === 1 && !KUBELET_LINE.test(nonEmpty[0]!.l)) {
    const { l, n } = nonEmpty[0]!;
    if (HOST_NAME.test(l)) return { records: [{ name: l.toLowerCase(), via: 'hostname', line: n }], diagnostics };
    diagnostics.push(diag('TEXT_MALFORMED_LINE', `${ctx.source}:${n}: not a host name: ${JSON.stringify(l.slice(0, 80))}`, { source: ctx.source, line: n }));
    return { records: [], diagnostics };
  }
  const hosts = new Map<string, NodeNameRecord>();
  for (let i = 0; i < lines.length; i++) {
    const m = KUBELET_LINE.exec(lines[i]!);
    if (!m || !HOST_NAME.test(m[1]!)) continue;
    const name = m[1]!.toLowerCase();
    const r = hosts.get(name);
    if (r) r.lines = (r.lines ?? 1) + 1;
    else hosts.set(name, { name, via: 'kubelet-log', line: i + 1, lines: 1 });
  }
  return { records: [...hosts.values()], diagnostics };
}
