import { firstLines, isPromptLine, looksLikeMarkdown } from '../node-text/index.js';
import { readTreeLine } from './tree-line.js';

/**
 * A pstree -a -p dump: the first line is a root `name,pid`, the following ones carry the tree
 * connectors at 4-column steps. A single root line alone (`systemd,1`) is too little to claim.
 */
export function sniffPstree(head: string, _fileName: string): number {
  const lines = firstLines(head, 12).filter((l) => !isPromptLine(l));
  if (lines.length === 0) return 0;
  const parsed = lines.map((l) => readTreeLine(l));
  const first = parsed[0];
  if (!first || typeof first === 'string' || first.depth !== 0) return 0;
  const children = parsed.slice(1).filter((p) => typeof p !== 'string' && p.depth > 0).length;
  const bad = parsed.filter((p) => typeof p === 'string').length;
  let score = children === 0 ? 0.3 : bad === 0 ? 0.95 : children > bad ? 0.7 : 0.2;
  if (looksLikeMarkdown(head)) score = Math.min(score, 0.3);
  return score;
}
