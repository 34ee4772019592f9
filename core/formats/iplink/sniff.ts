import { firstLines, isPromptLine, looksLikeMarkdown } from '../node-text/index.js';

export const LINK_HEADER = /^(\d+):\s+([^\s:@]+)(?:@([^\s:]+))?:\s+<([^>]*)>(.*)$/;
export const ONELINE_ADDR = /^(\d+):\s+(\S+)\s+(inet6?)\s+(.*)$/;

/**
 * Content decides for `ip` listings. A lone integer is too ambiguous to claim from content: it is
 * an iflink file only when the file is named `iflink` (as copied from /sys/class/net/<if>/iflink).
 */
export function sniffIpLink(head: string, fileName: string): number {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (/^\s*\d+\s*$/.test(head) && head.length < 16) return base === 'iflink' ? 0.9 : 0;
  const t = head.trimStart();
  if (t.startsWith('[') && !isPromptLine(firstLines(t, 1)[0] ?? '')) {
    return /"ifindex"\s*:\s*\d+/.test(t) && /"ifname"\s*:/.test(t) ? 0.95 : 0;
  }
  const lines = firstLines(head, 10).filter((l) => !isPromptLine(l));
  if (lines.length === 0) return 0;
  const headers = lines.filter((l) => LINK_HEADER.test(l) || ONELINE_ADDR.test(l)).length;
  if (headers === 0) return 0;
  const linkLines = lines.filter((l) => /^\s+link\/\S+/.test(l) || /\\\s+link\/\S+/.test(l) || ONELINE_ADDR.test(l)).length;
  let score = linkLines > 0 ? 0.95 : 0.6;
  if (looksLikeMarkdown(head)) score = Math.min(score, 0.3);
  return score;
}
