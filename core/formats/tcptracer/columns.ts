/**
 * tcptracer-family tables are read by their header: bcc prints a different column set for every
 * flag combination (-t, -v, -N) and Inspektor Gadget reorders, renames and adds columns between
 * releases, so column names, not positions, decide what a cell means.
 */
export type Col =
  | 'timeS' | 'timeNs' | 'timestamp' | 'type' | 'pid' | 'tid' | 'uid' | 'gid' | 'comm' | 'ip'
  | 'saddr' | 'daddr' | 'sport' | 'dport' | 'netns' | 'src' | 'dst'
  | 'node' | 'namespace' | 'pod' | 'container' | 'count' | 'other';

const NAMES: Record<string, Col> = {
  'TIME(S)': 'timeS', 'TIME(NS)': 'timeNs', TIMESTAMP: 'timestamp',
  T: 'type', TYPE: 'type',
  PID: 'pid', TID: 'tid', UID: 'uid', GID: 'gid', COMM: 'comm', IP: 'ip',
  SADDR: 'saddr', DADDR: 'daddr', SPORT: 'sport', DPORT: 'dport', NETNS: 'netns',
  SRC: 'src', DST: 'dst',
  'K8S.NODE': 'node', NODE: 'node',
  'K8S.NAMESPACE': 'namespace', NAMESPACE: 'namespace',
  'K8S.PODNAME': 'pod', 'K8S.POD': 'pod', POD: 'pod',
  'K8S.CONTAINERNAME': 'container', 'K8S.CONTAINER': 'container', CONTAINER: 'container',
  'RUNTIME.CONTAINERNAME': 'container',
  COUNT: 'count',
};

/** Columns of sibling gadgets/tools (tcpretrans, tcpdrop, top tcp, snapshot socket, tcplife...). */
const FOREIGN = new Set(['STATE', 'TCPFLAGS', 'REASON', 'SENT', 'RECV', 'RECEIVED', 'STATUS', 'PROTOCOL',
  'LADDR', 'RADDR', 'LPORT', 'RPORT', 'T>', 'OLDSTATE', 'NEWSTATE', 'TX_KB', 'RX_KB', 'MS', 'QUERY', 'BACKLOG']);

export interface Header {
  cols: Col[];
  names: string[];
  /** Start offset of each header cell, for tables with blank cells (Inspektor Gadget pads to the header). */
  starts: number[];
  ig: boolean;
}

export function columnOf(name: string): Col {
  return NAMES[name.toUpperCase()] ?? 'other';
}

/** A tcptracer/trace-tcp header, or null. Needs an event-type column and both endpoints. */
export function parseHeader(line: string): Header | null {
  const t = line.trim();
  if (!/^[A-Z]/.test(t)) return null;
  const names: string[] = [];
  const starts: number[] = [];
  const lead = line.length - line.trimStart().length;
  for (const m of t.matchAll(/\S+/g)) {
    names.push(m[0]);
    starts.push(lead + (m.index ?? 0));
  }
  if (names.some((n) => FOREIGN.has(n.toUpperCase()) || /…$/.test(n))) return null;
  const cols = names.map(columnOf);
  if (cols.includes('count')) return null;
  const has = (c: Col): boolean => cols.includes(c);
  if (!has('type') || !((has('saddr') && has('daddr')) || (has('src') && has('dst')))) return null;
  // Every mapped column once; a header is all upper-case words.
  const mapped = cols.filter((c) => c !== 'other');
  if (new Set(mapped).size !== mapped.length) return null;
  if (names.some((n) => !/^[A-Z][A-Z0-9._()]*$/i.test(n) || n !== n.toUpperCase() && !/^TIME\(/i.test(n))) return null;
  const ig = has('src') || has('node') || has('container') || has('namespace') || has('pod') || has('tid');
  return { cols, names, starts, ig };
}

/** A `Count SADDR NETNS`-style header of an awk|sort|uniq -c summary of tcptracer columns. */
export function parseCountHeader(line: string): Header | null {
  const names = line.trim().split(/\s+/);
  if (names.length < 2 || columnOf(names[0]) !== 'count') return null;
  const cols = names.map(columnOf);
  const known = cols.slice(1).filter((c) => c !== 'other' && c !== 'count');
  if (known.length === 0 || known.length < cols.length - 2) return null;
  return { cols, names, starts: [], ig: false };
}

/**
 * Splits a data row into one cell per header column. COMM is the only free-text column (process
 * names may contain spaces), so surplus tokens are folded into it; short rows (blank Inspektor
 * Gadget cells) are cut by the header's column offsets.
 */
export function splitRow(line: string, h: Header): string[] | null {
  let tok = line.trim().split(/\s+/);
  const n = h.cols.length;
  // bcc pads TIME(ns) to 14 and TIME(s) to 9 characters without a separator: long traces glue the time to TYPE.
  if (tok.length === n - 1 && (h.cols[0] === 'timeNs' || h.cols[0] === 'timeS') && h.cols[1] === 'type') {
    const g = /^([\dxX.]+?)(connect|accept|close|unknown|[CAXU])$/.exec(tok[0]);
    if (g) tok = [g[1], g[2], ...tok.slice(1)];
  }
  if (tok.length === n) return tok;
  const ci = h.cols.indexOf('comm');
  if (tok.length > n && ci >= 0) {
    const right = n - ci - 1;
    return [...tok.slice(0, ci), tok.slice(ci, tok.length - right).join(' '), ...tok.slice(tok.length - right)];
  }
  if (tok.length < n && h.ig && h.starts.length === n) {
    const cells: string[] = [];
    for (let i = 0; i < n; i++) {
      const from = i === 0 ? 0 : h.starts[i];
      const to = i + 1 < n ? h.starts[i + 1] : line.length;
      cells.push(line.slice(from, to).trim());
    }
    // Right-aligned numeric cells (PID, TID, ...) may start before their header: accept only a clean cut.
    if (cells.join(' ').split(/\s+/).filter(Boolean).length === tok.length) return cells;
  }
  return null;
}
