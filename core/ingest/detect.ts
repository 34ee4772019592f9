import { sniffPcap } from '../formats/pcap/sniff.js';
import { sniffPcapng } from '../formats/pcapng/sniff.js';
import { isGzip } from './chunks.js';

export type CaptureKind = 'pcap' | 'pcapng';

/** Capture kinds are recognised by magic numbers only, never by name. */
export function detectCapture(content: Uint8Array): CaptureKind | undefined {
  if (sniffPcapng(content)) return 'pcapng';
  if (sniffPcap(content)) return 'pcap';
  return undefined;
}

/** True when the bytes look like text (so text-format sniffers are worth asking). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let bad = 0;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) return false;
    if (c < 9 || (c > 13 && c < 32)) bad++;
  }
  return bad / n < 0.01;
}

export { isGzip };
