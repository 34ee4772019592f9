import { firstLines, isPromptLine, looksLikeMarkdown } from '../node-text/index.js';

/** `Total: N` then `TCP:   N (estab …` opens every `ss -s`; nothing else prints that pair. */
export function sniffSsSummary(head: string, _fileName: string): number {
  const lines = firstLines(head, 6).filter((l) => l.trim() !== '' && !isPromptLine(l));
  const total = lines.findIndex((l) => /^Total:\s+\d+/.test(l));
  if (total < 0 || !/^TCP:\s+\d+\s+\(estab \d+/.test(lines[total + 1] ?? '')) return 0;
  return looksLikeMarkdown(head) ? 0.3 : 0.95;
}
