/**
 * Files that hold several commands' outputs, one after the other. Detection reads a file's start,
 * so such a file would be taken for its first command only (or for nothing): it is cut into
 * sections here, and each section is detected and read on its own.
 *
 * Retina's capture metadata (microsoft/retina pkg/capture/provider/network_capture_unix.go,
 * processMetadataFile) writes `Summary:`, one `<command>(<description>)` line per command,
 * `Execute:`, then per command its command line, a blank line and its stdout+stderr. A command
 * that fails appends `Failed to run "<command>", error: <err>)` without a newline, so the next
 * command line may follow it on the same line.
 */

export interface CommandSection {
  /** The command line as the collector printed it (`/usr/sbin/ss -tapionume`). */
  command: string;
  description?: string;
  /** 1-based line of the section's first output line in the whole file. */
  firstLine: number;
  text: string;
  /** The collector's own note that the command failed. */
  failure?: string;
}

export interface SplitFile {
  style: 'retina';
  sections: CommandSection[];
}

/** True when `head` (a file's start) is laid out as a Retina-style multi-command file. */
export function looksSectioned(head: string): boolean {
  return /^Summary:\r?\n\r?\n\S[^\n]*\([^\n]*\)\r?\n/.test(head) && /\nExecute:\r?\n/.test(head);
}

export function splitSections(text: string): SplitFile | null {
  if (!looksSectioned(text)) return null;
  const lines = text.split(/\r?\n/);
  const commands: { command: string; description: string }[] = [];
  let i = 2;
  for (; i < lines.length && lines[i] !== 'Execute:'; i++) {
    const l = lines[i];
    if (l === '') continue;
    const open = l.lastIndexOf('(');
    if (open <= 0 || !l.endsWith(')')) return null;
    commands.push({ command: l.slice(0, open), description: l.slice(open + 1, -1) });
  }
  if (i >= lines.length || commands.length === 0) return null;
  const sections: CommandSection[] = [];
  let next = 0;
  let cur: { command: string; description: string; start: number; body: string[]; failure?: string } | null = null;
  const close = (): void => {
    if (!cur) return;
    while (cur.body.length > 0 && cur.body[cur.body.length - 1] === '') cur.body.pop();
    const s: CommandSection = { command: cur.command, description: cur.description, firstLine: cur.start + 1, text: cur.body.length ? `${cur.body.join('\n')}\n` : '' };
    if (cur.failure) s.failure = cur.failure;
    sections.push(s);
  };
  for (i = i + 1; i < lines.length; i++) {
    const l = lines[i];
    const want = commands[next];
    // A section starts at the next command's line, alone or glued after a failure note.
    const glued = want && l !== want.command && l.endsWith(want.command) && /^Failed to run /.test(l) ? l.slice(0, l.length - want.command.length) : undefined;
    if (want && (l === want.command || glued !== undefined)) {
      if (cur && glued !== undefined) cur.failure = glued;
      close();
      next++;
      // The command line is followed by one blank line before its output.
      const skip = lines[i + 1] === '' ? 1 : 0;
      cur = { ...want, start: i + 1 + skip, body: [] };
      i += skip;
      continue;
    }
    if (!cur) continue; // blank lines between `Execute:` and the first command
    const fail = /^(Failed to run ".*", error: .*\))$/.exec(l);
    if (fail && i === lines.length - 1) cur.failure = fail[1];
    else cur.body.push(l);
  }
  close();
  return sections.length > 0 ? { style: 'retina', sections } : null;
}
