/**
 * tcptracer output reaches podcap as raw dumps, as terminal transcripts (prompt lines, other tools'
 * output in between) and inside documentation (bcc *_example.txt, man pages, Inspektor Gadget
 * markdown). These helpers tell the three apart and say which lines belong to which command.
 */

export interface Prompt {
  command: string;
  /** The command is tcptracer / Inspektor Gadget trace tcp. */
  ours: boolean;
  /** `-N NETNS` / `--netns NETNS`: the table then has no NETNS column. */
  netns?: number;
}

const TOOLS = /^(tcptracer|tcpconnect|tcpaccept|tcplife|tcpstates|tcpretrans|tcpdrop|solisten|tcptop|ig|kubectl|kubectl-gadget|docker|crictl|cat|awk|grep|sort|uniq|head|tail|netstat|ss|conntrack|dmesg|ip|nsenter|lsns|pstree|curl|wget|nc|sudo)([-.]\S*)?$/;

/** `# ./tcptracer -v`, `$ sudo ig trace tcp`, `-> # ./solisten`, `root@node:~# tcptracer -t4v`. */
export function parsePrompt(line: string): Prompt | null {
  const m = /^\s*(?:->\s*)?(?:[\w.@~:/-]*[#$])\s*(\S.*)$/.exec(line);
  if (!m) return null;
  const command = m[1].trim();
  const words = command.split(/\s+/).filter((w) => w !== 'sudo' && !/^\w+=/.test(w));
  const first = words[0] ?? '';
  const base = first.replace(/^.*\//, '');
  // A '#' line whose first word is not a program is a comment, not a prompt.
  if (!first.includes('/') && !TOOLS.test(base)) return null;
  const pipeHead = command.split('|')[0];
  const ours =
    /^tcptracer([-.]\S*)?$/.test(base) ||
    /\b(?:kubectl[\s-]gadget|ig)\s+(?:trace\s+tcp\b|tcptracer\b|run\s+\S*trace_tcp\b)/.test(pipeHead);
  const p: Prompt = { command, ours };
  const n = /(?:^|\s)(?:-N|--netns)[\s=]?(\d+)/.exec(pipeHead) ?? /(?:^|\s)-\w*N\s*(\d+)/.exec(pipeHead);
  if (p.ours && n) p.netns = Number(n[1]);
  return p;
}

/** Output lines bcc/Inspektor Gadget print around the table; never data, never an error. */
export function isToolNoise(t: string): boolean {
  return (
    /^Tracing TCP established connections\b/.test(t) ||
    /^\^C$/.test(t) ||
    /^\[\.\.\.\]$/.test(t) ||
    /^(INFO|WARN|ERRO|DEBU)\[\d+\]/.test(t) ||
    /^In file included from /.test(t) ||
    /^\S+:\d+:\d+: (warning|note): /.test(t) ||
    /^\d+ warnings? generated\.$/.test(t) ||
    /^[\s^~]+$/.test(t)
  );
}

/** bcc's perf buffer overflow notice: events were lost by the tracer itself. */
export function lostSamples(t: string): number | null {
  const m = /^Possibly lost (\d+) samples?$/.exec(t);
  return m ? Number(m[1]) : null;
}

/**
 * Documentation rather than a dump: fenced code blocks, roff macros, front matter, or several
 * lines of prose. Prose is judged loosely; tables and prompts never count as prose.
 */
export function looksLikeDocument(lines: string[]): boolean {
  let prose = 0;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (/^(```|~~~)/.test(t)) return true;
    if (i < 10 && /^\.(TH|SH|TP|B)\b/.test(t)) return true;
    if (i === 0 && t === '---') return true;
    const words = t.split(/\s+/);
    if (words.length >= 7 && /^[A-Za-z"'(]/.test(t) && words.filter((w) => /^[A-Za-z][a-z'’,.():;-]*$/.test(w)).length >= words.length * 0.6) {
      prose++;
      if (prose >= 3) return true;
    }
  }
  return false;
}
