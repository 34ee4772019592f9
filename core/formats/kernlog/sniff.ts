import { scanKernLog } from './reader.js';

/**
 * Confidence that `head` is a kernel log. Kernel lines in any time format score high; a log of
 * klog lines is claimed only when it speaks about conntrack (kube-proxy's `Setting
 * nf_conntrack_max`), and a syslog without kernel lines only weakly.
 */
export function sniffKernLog(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const s = scanKernLog(text, { source: fileName, baseTimeUs: 0 });
  const n = s.result.records.length;
  if (n === 0) return 0;
  const ratio = n / (n + s.unknown);
  if (ratio < 0.5) return 0.3 * ratio;
  if (s.shapes.klog === n) return s.conntrackLines > 0 ? 0.8 : 0.3;
  if (s.kernelLines === 0) return 0.3;
  return 0.9;
}
