import { firstLines, isPromptLine, looksLikeMarkdown, splitLines } from '../node-text/index.js';
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
  const lines = firstLines(head, 6).filter((l) => !isPromptLine(l));
  const i = lines.findIndex((l) => kubeTableHeader(l) !== undefined);
  if (i < 0 || i > 2) return 0;
  return lines[i + 1] === undefined ? 0.85 : 0.95;
}
