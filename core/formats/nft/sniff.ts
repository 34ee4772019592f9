import { firstLines, looksLikeMarkdown } from '../node-text/index.js';

/** `nft list ruleset` starts with `table <family> <name> {` (a prompt or comment line may come first). */
export function sniffNft(head: string, _fileName: string): number {
  const lines = firstLines(head, 6).filter((l) => l.trim() !== '' && !/^\s*#/.test(l) && !/^\S*[$#]\s/.test(l));
  if (!/^table (ip|ip6|inet|arp|bridge|netdev) \S+ \{(\s*# handle \d+)?\s*$/.test(lines[0] ?? '')) return 0;
  return looksLikeMarkdown(head) ? 0.3 : 0.95;
}
