import { firstLines, isPromptLine, looksLikeMarkdown, splitLines } from '../node-text/index.js';
import { describeKind } from './describe.js';
import { kubeTableHeader } from './table.js';

const JSON_KIND = /"kind"\s*:\s*"(List|PodList|NodeList|ServiceList|EndpointsList|EndpointSliceList|Pod|Node|Service|Endpoints|EndpointSlice)"/;

export function sniffKubectl(head: string, _fileName: string): number {
  if (looksLikeMarkdown(head)) {
    return splitLines(head).lines.some((l) => kubeTableHeader(l.text) !== undefined) ? 0.3 : 0;
  }
  const t = head.trimStart();
  if (t.startsWith('{')) {
    if (!/"apiVersion"\s*:/.test(t)) return 0;
    if (JSON_KIND.test(t)) return 0.95;
    return /"kind"\s*:\s*"[A-Za-z]+"/.test(t) ? 0.4 : 0;
  }
  // -o yaml (keys sorted: `addressType:` may come before `apiVersion:`): a kind podcap reads, or a List of them
  if (/^apiVersion:[ \t]*\S/m.test(t) && !t.startsWith('{')) {
    if (/^kind:[ \t]*(Pod|Node|Service|Endpoints|EndpointSlice|PodList|NodeList|ServiceList|EndpointsList|EndpointSliceList)[ \t]*$/m.test(t)) return 0.9;
    if (/^items:[ \t]*$/m.test(t) && /^[ -]+kind:[ \t]*(Pod|Node|Service|Endpoints|EndpointSlice)[ \t]*$/m.test(t)) return 0.9;
    return 0;
  }
  if (describeKind(head)) return 0.9;
  const lines = firstLines(head, 6).filter((l) => !isPromptLine(l));
  const i = lines.findIndex((l) => kubeTableHeader(l) !== undefined);
  if (i < 0 || i > 2) return 0;
  return lines[i + 1] === undefined ? 0.85 : 0.95;
}
