import { firstLines, looksLikeMarkdown } from '../node-text/index.js';

export function sniffUfw(head: string, _fileName: string): number {
  const lines = firstLines(head, 8);
  if (!/^Status: (active|inactive)\s*$/.test(lines[0] ?? '')) return 0;
  const table = lines.some((l) => /^\s*To\s+Action\s+From\s*$/.test(l));
  let score = table || lines.length === 1 ? 0.95 : 0.8;
  if (looksLikeMarkdown(head)) score = 0.3;
  return score;
}
