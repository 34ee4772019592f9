/**
 * Line handling shared by the node-tool text formats (crictl, lsns, pstree, iplink, kubectl,
 * iptables, ipvs, ufw). Line numbers are 1-based and always refer to the whole file, also for
 * lines found inside a markdown code fence.
 */
export interface TextLine {
  /** The line without its terminator (`\n` or `\r\n`). */
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

export interface SplitText {
  lines: TextLine[];
  /** False when the file does not end with a newline: the last line may have been cut. */
  endsWithNewline: boolean;
}

export function splitLines(text: string): SplitText {
  const raw = text.split('\n');
  const endsWithNewline = text.length === 0 || text.endsWith('\n');
  if (endsWithNewline) raw.pop();
  const lines = raw.map((t, i) => ({ text: t.endsWith('\r') ? t.slice(0, -1) : t, line: i + 1 }));
  return { lines, endsWithNewline };
}

/** The first `max` non-blank lines, for sniffing. */
export function firstLines(head: string, max: number): string[] {
  const out: string[] = [];
  for (const l of head.split('\n')) {
    const t = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (t.trim() === '') continue;
    out.push(t);
    if (out.length >= max) break;
  }
  return out;
}

/** A shell prompt or comment line someone pasted above an output (`$ crictl ps`, `# ip link list`). */
export function isPromptLine(text: string): boolean {
  // `$ cmd`, `user@host:~$ cmd` (Debian), `[user@host dir]# cmd` (RHEL's default PS1)
  return /^\s*(?:[$#>]|\S+@\S+[:~][^ ]*[$#]|\[[^\s@\]]+@[^\s\]]+ [^\]]*\][$#])\s/.test(text) || /^\s*[$#]\s*$/.test(text);
}

export function shorten(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
