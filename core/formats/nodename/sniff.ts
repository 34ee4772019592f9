import { HOST_NAME, KUBELET_LINE } from './reader.js';

/**
 * A lone word is too ambiguous to claim from content: it is a host name only in a file named for
 * it (`hostname`, `hostname.txt`, `etc/hostname`, `hostname_-f`). Kubelet journal lines are
 * claimed from content when most lines are the kubelet's.
 */
export function sniffNodeName(head: string, fileName: string): number {
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  const lines = head.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 1 && HOST_NAME.test(lines[0]!) && /^(?:\d+[-_])?hostname(?:[-_ .]|$)/.test(base)) return 0.9;
  const sample = head.split(/\r?\n/).slice(0, 50).filter((l) => l.trim() !== '');
  if (sample.length === 0) return 0;
  const kubelet = sample.filter((l) => KUBELET_LINE.test(l)).length;
  return kubelet / sample.length >= 0.6 ? 0.8 : 0;
}
