import { firstLines, isPromptLine, looksLikeMarkdown } from '../node-text/index.js';
import { lsnsHeader } from './table.js';

export function sniffLsns(head: string, _fileName: string): number {
  const t = head.trimStart();
  if (t.startsWith('{')) {
    return /"namespaces"\s*:\s*\[/.test(t) && /"ns"\s*:/.test(t) && /"type"\s*:/.test(t) ? 0.95 : 0;
  }
  const lines = firstLines(head, 6).filter((l) => !isPromptLine(l));
  const i = lines.findIndex((l) => lsnsHeader(l) !== undefined);
  if (i < 0 || i > 2) return 0;
  if (looksLikeMarkdown(head)) return 0.3;
  const next = lines[i + 1];
  return next !== undefined && /^\s*(\d+|[\dx]+)\s+(net|mnt|pid|uts|ipc|user|cgroup|time)\s/.test(next) ? 0.97 : 0.85;
}
