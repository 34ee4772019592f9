import { firstLines, isPromptLine, looksLikeMarkdown } from '../node-text/index.js';
import { BARE_NETNS, classifyLine, namedIpNetns } from './reader.js';

/**
 * Content decides: most lines must read as routes, rules or neighbours. `ip -j` JSON is claimed by
 * its keys (route: dst + gateway/dev/protocol/prefsrc/type; neighbour: dst + state/lladdr; rule:
 * priority + table/src); `ip -j addr`/`link` (ifindex/ifname) belongs to iplink.
 */
export function sniffIpRoute(head: string, fileName: string): number {
  const t = head.trimStart();
  if (t.startsWith('[')) {
    const first = t.slice(0, 2000);
    if (/"ifindex"\s*:/.test(first) && /"ifname"\s*:/.test(first)) return 0;
    if (/^\[\s*\]\s*$/.test(t)) return 0;
    if (/^\[\s*\{\s*"(type|dst)"\s*:/.test(t) && /"(gateway|dev|protocol|prefsrc|lladdr|state)"\s*:/.test(first)) return 0.93;
    if (/^\[\s*\{\s*"priority"\s*:\s*\d+/.test(t) && /"(table|src)"\s*:/.test(first)) return 0.93;
    return 0;
  }
  const lines = firstLines(head, 12).filter((l) => l.trim() !== '' && !isPromptLine(l));
  if (lines.length === 0) return 0;
  // A list of bare names is claimed only when the file is named for `ip netns` (sos names files by command).
  if (namedIpNetns(fileName) && lines.every((l) => BARE_NETNS.test(l.trim()) || classifyLine(l) === 'netns')) return 0.9;
  const known = lines.filter((l) => classifyLine(l) !== undefined).length;
  const ratio = known / lines.length;
  let score = ratio >= 0.8 ? 0.9 : ratio >= 0.5 ? 0.55 : 0;
  if (score > 0 && looksLikeMarkdown(head)) score = 0.3;
  return score;
}
