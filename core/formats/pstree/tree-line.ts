/**
 * One pstree -a -p line: an indentation of 4 columns per level made of `|`/`│` rails and spaces,
 * a connector (`|-`, `` `- ``, `├─`, `└─`) before every non-root entry, then the entry:
 * `name,pid[,ns...] args`, `{thread},tid` or `(name,pid)`.
 */
export interface TreeLine {
  depth: number;
  name: string;
  pid: number;
  args?: string;
  isThread: boolean;
  noCommandLine: boolean;
  namespaces?: string[];
}

const CONNECTORS = new Set(['|-', '`-', '├─', '└─']);
const RAILS = new Set([' ', '|', '│']);

export function readTreeLine(text: string): TreeLine | string {
  let depth = 0;
  let rest = text;
  if (text.startsWith('  ')) {
    // Level d has its connector at column 4d-2; columns before it hold rails or spaces.
    let pos = 2;
    for (;;) {
      const two = text.slice(pos, pos + 2);
      if (CONNECTORS.has(two)) {
        depth = (pos + 2) / 4;
        rest = text.slice(pos + 2);
        break;
      }
      if (RAILS.has(text[pos] ?? '') && text.slice(pos + 1, pos + 4) === '   ') {
        pos += 4;
        continue;
      }
      return 'indentation is not a pstree tree';
    }
  } else if (/^\s/.test(text)) {
    return 'indentation is not a pstree tree';
  }
  const entry = readEntry(rest);
  if (typeof entry === 'string') return entry;
  return { depth, ...entry };
}

function readEntry(s: string): Omit<TreeLine, 'depth'> | string {
  const zombie = /^\((.+),(\d+)\)$/.exec(s);
  if (zombie) return { name: zombie[1]!, pid: Number(zombie[2]), isThread: false, noCommandLine: true };
  const thread = /^\{(.*)\},(\d+)(?:,([A-Za-z0-9_,-]+))?$/.exec(s);
  if (thread) {
    const rec: Omit<TreeLine, 'depth'> = { name: thread[1]!, pid: Number(thread[2]), isThread: true, noCommandLine: false };
    return withNs(rec, thread[3]);
  }
  // The first ",<digits>" followed by end, space or ",<ns>" ends the name (names may hold spaces).
  const m = /^(.+?),(\d+)((?:,[a-z]+)*)(?: (.*))?$/.exec(s);
  if (!m) return 'no ",PID" after the process name (was pstree run with -p?)';
  const rec: Omit<TreeLine, 'depth'> = { name: m[1]!, pid: Number(m[2]), isThread: false, noCommandLine: false };
  if (m[4] !== undefined && m[4] !== '') rec.args = m[4];
  return withNs(rec, m[3] ? m[3].slice(1) : undefined);
}

function withNs<T extends { namespaces?: string[] }>(rec: T, list: string | undefined): T {
  if (list) rec.namespaces = list.split(',').filter((x) => x !== '');
  return rec;
}
