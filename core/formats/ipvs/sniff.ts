import { firstLines, looksLikeMarkdown } from '../node-text/index.js';

export function sniffIpvs(head: string, _fileName: string): number {
  const lines = firstLines(head, 6);
  let score = 0;
  if (lines.some((l) => /^IP Virtual Server version \d/.test(l))) score = 0.97;
  else if (lines.some((l) => /^Prot LocalAddress:Port\s+(Scheduler Flags|Conns\s+InPkts|CPS\s+InPPS)/.test(l))) score = 0.95;
  if (score > 0 && looksLikeMarkdown(head)) score = 0.3;
  return score;
}
