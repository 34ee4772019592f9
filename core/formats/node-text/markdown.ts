import type { TextLine } from './lines.js';

/**
 * Markdown documents (project docs, runbooks) often quote tool output in code fences. They are
 * documentation, not evidence from a node, so formats sniff them low and, when asked to parse one,
 * read only the fenced blocks and mark the records as `embedded`.
 */
export function looksLikeMarkdown(head: string): boolean {
  const fences = head.match(/^\s*(```|~~~)/gm)?.length ?? 0;
  if (fences >= 2) return true;
  const headings = head.match(/^#{1,6} \S/gm)?.length ?? 0;
  const links = /\[[^\]\n]+\]\([^)\s]+\)/.test(head);
  return headings >= 2 && links;
}

export interface FencedBlock {
  /** Info string after the opening fence (`sh`, `json`, ...). */
  info: string;
  lines: TextLine[];
}

export function fencedBlocks(lines: TextLine[]): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let current: FencedBlock | undefined;
  let fence = '';
  for (const l of lines) {
    const m = /^\s*(```+|~~~+)\s*([^`\s]*)/.exec(l.text);
    if (!current) {
      if (m) {
        current = { info: m[2] ?? '', lines: [] };
        fence = m[1]!;
      }
      continue;
    }
    if (m && m[1]!.startsWith(fence) && l.text.trim().startsWith(fence) && l.text.trim().replace(/[`~]/g, '') === '') {
      blocks.push(current);
      current = undefined;
      continue;
    }
    current.lines.push(l);
  }
  if (current) blocks.push(current);
  return blocks;
}
