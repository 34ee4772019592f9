import { DiagnosticSink, firstLines, isPromptLine, looksLikeMarkdown, splitLines } from '../node-text/index.js';
import { readRow, tableHeader } from './table.js';

/**
 * Content first: a crictl/docker listing header, or JSON with the keys crictl/docker inspect
 * print. Markdown documents that merely quote such output score 0.3 (see reader.ts).
 */
export function sniffCrictl(head: string, _fileName: string): number {
  if (looksLikeMarkdown(head)) return quotesCrictl(head) ? 0.3 : 0;
  const t = head.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return sniffJson(t);
  const lines = firstLines(head, 8).filter((l) => !isPromptLine(l));
  for (let i = 0; i < Math.min(lines.length, 4); i++) {
    const header = tableHeader(lines[i]!);
    if (!header) continue;
    const next = lines[i + 1];
    if (next === undefined) return 0.85;
    const row = readRow(header, { text: next, line: 2 }, { ctx: { source: '' }, sink: new DiagnosticSink(''), embedded: false, anchored: () => {} });
    return typeof row === 'string' ? 0.8 : 0.97;
  }
  return 0;
}

function sniffJson(t: string): number {
  if (/"status"\s*:\s*\{/.test(t) && /"(SANDBOX|CONTAINER)_[A-Z]+"/.test(t) && /"(info|metadata)"\s*:/.test(t)) return 0.95;
  if (/"Id"\s*:\s*"[0-9a-f]{12,}"/.test(t) && /"(NetworkSettings|HostConfig|GraphDriver)"\s*:/.test(t)) return 0.95;
  if (/"containers"\s*:\s*\[/.test(t) && /"podSandboxId"\s*:/.test(t)) return 0.95;
  if (/"items"\s*:\s*\[/.test(t) && /"state"\s*:\s*"SANDBOX_/.test(t) && !/"kind"\s*:/.test(t)) return 0.95;
  return 0;
}

function quotesCrictl(head: string): boolean {
  return splitLines(head).lines.some((l) => tableHeader(l.text) !== undefined) || /"state"\s*:\s*"(SANDBOX|CONTAINER)_/.test(head);
}
