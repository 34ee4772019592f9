import { classifyLine, parseLinuxNetstatRow, parseSsRow, parseWindowsNetstatRow } from './rows.js';

/**
 * Confidence that `head` is netstat/ss output. A header or banner plus rows is near-certain; a
 * grep'd dump without header (`netstat -ptn | grep ESTABLISHED`) is judged by its rows alone.
 */
export function sniffNetstat(head: string, _fileName: string): number {
  let framing = 0;
  let rows = 0;
  let other = 0;
  let unix = false;
  let ss = false;
  const lines = head.split(/\r?\n/);
  // The head may end mid-line.
  if (lines.length > 1) lines.pop();
  for (const line of lines.slice(0, 400)) {
    const c = classifyLine(line);
    if (c.kind === 'blank') continue;
    if (c.kind === 'prompt') continue;
    if (c.kind === 'banner' || c.kind === 'header') {
      framing++;
      unix = c.kind === 'banner' && c.unix;
      ss = c.kind === 'header' && c.tool === 'ss';
      continue;
    }
    if (unix) continue;
    // `ss -peaonmi` (sos): each socket's -e/-i/-m detail may continue on an indented line.
    if (ss && /^\s/.test(line)) continue;
    const r = parseLinuxNetstatRow(line) ?? parseWindowsNetstatRow(line) ?? parseSsRow(line, null);
    if (r?.ok) rows++;
    // netlink, unix and packet sockets of an `ss -a` listing are ss's own rows, just not IP ones
    else if (!(ss && r && !r.ok && r.reason === 'non-ip')) other++;
  }
  if (rows === 0) return framing > 0 && other <= 2 ? 0.7 : 0;
  const ratio = rows / (rows + other);
  if (framing > 0) return ratio >= 0.5 ? 0.95 : 0.5 * ratio + 0.2;
  return ratio >= 0.6 ? 0.85 : 0.4 * ratio;
}
