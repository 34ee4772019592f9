import { scanTcpTracer } from './reader.js';

/**
 * Confidence that `head` holds tcptracer / trace tcp output. Raw dumps and transcripts with a
 * header score high; header-less rows (a grep'd dump) a bit less; documentation that merely
 * embeds example tables scores low (0.3) so any real dump of another kind wins, while a lone
 * example file is still read for its tables.
 */
export function sniffTcpTracer(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  // The head is a prefix of the file: its last line may be cut.
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const { result, stats } = scanTcpTracer(text, { source: fileName });
  const rows = result.records.length;
  const bad = result.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE').length;
  // Inspektor Gadget tables are their own kind (inspektor-gadget); tcptracer's reader still parses them when asked.
  if (stats.headers > 0 && stats.igHeaders === stats.headers) return 0;
  if (stats.doc) return rows > 0 ? 0.3 : stats.headers > 0 ? 0.15 : 0;
  if (rows === 0) return stats.headers > 0 && bad <= 2 ? 0.6 : 0;
  const ratio = rows / (rows + bad);
  if (stats.headers > 0) return ratio >= 0.5 ? 0.95 : 0.3 + 0.5 * ratio;
  return ratio >= 0.8 ? 0.75 : 0.5 * ratio;
}
