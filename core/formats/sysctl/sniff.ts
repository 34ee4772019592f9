import { scanSysctl } from './reader.js';

/**
 * Confidence that `head` is sysctl output. A bare number is claimed (0.6) only when the file name
 * says which setting it is (`.../proc/sys/net/netfilter/nf_conntrack_max`, `nf_conntrack_count.txt`).
 */
export function sniffSysctl(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 && !head.endsWith('\n') ? lines.slice(0, -1).join('\n') + '\n' : head;
  const s = scanSysctl(text, { source: fileName });
  if (s.settings === 0) return 0;
  if (s.fromFileName) return 0.6;
  const ratio = s.settings / (s.settings + s.unknown);
  return ratio >= 0.8 ? 0.9 : 0.3 * ratio;
}
