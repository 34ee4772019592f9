import { scanConntrack } from './reader.js';

/**
 * Confidence that `head` is Linux conntrack output (-L, -E, -S, expectations, /proc files).
 * A NuttX look-alike scores 0. A file of conntrack sysctls alone is left to the sysctl format.
 */
export function sniffConntrack(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const s = scanConntrack(text, { source: fileName });
  if (s.linux === 0) return s.settings > 0 && s.unknown === 0 && s.foreign === 0 ? 0.4 : 0;
  if (s.foreign > s.linux) return 0;
  const ratio = s.linux / (s.linux + s.unknown + s.foreign);
  return ratio >= 0.5 ? 0.95 : 0.3 * ratio;
}
