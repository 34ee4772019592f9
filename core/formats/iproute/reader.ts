import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, arr, isPromptLine, num, obj, readJsonDocuments, splitLines, str } from '../node-text/index.js';
import type { IpNeighbour, IpRoute, IpRouteRecord, IpRule } from './types.js';

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'anycast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat']);
/** Route types that need no `dev`/`via` to be a whole route. */
const BARE_TYPES = new Set(['blackhole', 'unreachable', 'prohibit', 'throw']);
/** Route attributes printed as `key value`. */
const ROUTE_KEYS = new Set([
  'via', 'dev', 'proto', 'scope', 'src', 'table', 'metric', 'pref', 'mtu', 'advmss', 'expires', 'error', 'realm', 'realms', 'rtt', 'rttvar',
  'hoplimit', 'initcwnd', 'initrwnd', 'congctl', 'quickack', 'features', 'tos', 'dsfield', 'nhid', 'weight', 'window', 'reordering', 'ssthresh',
  'cwnd', 'rto_min', 'fastopen_no_cookie', 'ttl-propagate', 'from', 'iif', 'oif', 'mark', 'uid', 'cache',
]);
const NUD = /^(REACHABLE|STALE|DELAY|PROBE|FAILED|INCOMPLETE|NOARP|PERMANENT|NONE)$/;
const ADDR = /^(default|[0-9a-fA-F:.]+(\/\d+)?)$/;
const RULE = /^(\d+):\s+(.*)$/;

/** `cni-1770aa7f-… (id: 2)`: an `ip netns` line. Only lines with their nsid are this for sure. */
const NETNS = /^([A-Za-z0-9][\w.:-]{0,254}) \(id: (\d+)\)$/;
/** A netns without an nsid is printed as its bare name: taken only in a file named for `ip netns`. */
export const BARE_NETNS = /^[A-Za-z0-9][\w.:-]{0,254}$/;

/** The file's name says it holds `ip netns` (sos `ip_netns`, `ip-netns.txt`, `03_ip_netns_list`). */
export function namedIpNetns(path: string): boolean {
  const base = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  return /^(?:\d+[-_])?ip[-_ ]netns(?:[-_ ](?:list|show))?(?:\.\w+)?$/.test(base);
}

/** What a text line is, for the sniffer and the reader alike. */
export function classifyLine(line: string): 'route' | 'rule' | 'neigh' | 'nexthop' | 'netns' | undefined {
  const t = line.trim();
  if (NETNS.test(t)) return 'netns';
  if (/^nexthop\s/.test(t) && /^\s/.test(line)) return 'nexthop';
  const rm = RULE.exec(t);
  if (rm) return /^(not\s+)?(from|to|fwmark|iif|oif|tos|dsfield|uidrange|ipproto|sport|dport|l3mdev|all)\b/.test(rm[2]!) ? 'rule' : undefined;
  const w = t.split(/\s+/);
  const typed = ROUTE_TYPES.has(w[0]!);
  const dst = typed ? w[1] : w[0];
  if (dst === undefined || !ADDR.test(dst) || !/[.:]|default/.test(dst)) return undefined;
  const last = w[w.length - 1]!;
  if (!typed && dst !== 'default' && !dst.includes('/') && NUD.test(last)) return 'neigh';
  // A neighbour cut before its state is not a route: routes have no link-layer address.
  if (w.includes('lladdr')) return undefined;
  if (typed && BARE_TYPES.has(w[0]!)) return 'route';
  const rest = w.slice(typed ? 2 : 1);
  return rest.length >= 2 && ROUTE_KEYS.has(rest[0]!) ? 'route' : undefined;
}

export function parseIpRoute(text: string, ctx: TextParseContext): TextParseResult<IpRouteRecord> {
  const sink = new DiagnosticSink(ctx.source);
  if (text.trimStart().startsWith('[')) return { records: readJson(text, sink), diagnostics: sink.finish() };
  const records: IpRouteRecord[] = [];
  const netnsFile = namedIpNetns(ctx.source);
  const { lines, endsWithNewline } = splitLines(text);
  lines.forEach((l, i) => {
    if (l.text.trim() === '' || isPromptLine(l.text)) return;
    const why = readLine(l.text, l.line);
    if (why) sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
  });
  return { records, diagnostics: sink.finish() };

  function readLine(text: string, line: number): string | undefined {
    const kind = classifyLine(text);
    const w = text.trim().split(/\s+/);
    if (kind === 'nexthop') {
      const prev = records[records.length - 1];
      if (prev?.type !== 'route') return 'nexthop line before any route';
      const hop: { via?: string; dev?: string; weight?: number } = {};
      for (let k = 1; k < w.length; k++) {
        const v = w[k + 1];
        if (w[k] === 'via' && v !== undefined) hop.via = v === 'inet' || v === 'inet6' ? (w[++k + 1] ?? '') : v;
        else if (w[k] === 'dev' && v !== undefined) hop.dev = v;
        else if (w[k] === 'weight' && v !== undefined) hop.weight = Number(v);
        else continue;
        k++;
      }
      (prev.nexthops ??= []).push(hop);
      return undefined;
    }
    if (kind === 'rule') {
      records.push(readRule(text.trim(), line));
      return undefined;
    }
    if (kind === 'neigh') {
      records.push(readNeigh(w, line));
      return undefined;
    }
    if (kind === 'route') {
      records.push(readRoute(w, line));
      return undefined;
    }
    if (kind === 'netns') {
      const m = NETNS.exec(text.trim())!;
      records.push({ type: 'netns', name: m[1]!, id: Number(m[2]), line });
      return undefined;
    }
    if (netnsFile && BARE_NETNS.test(text.trim())) {
      records.push({ type: 'netns', name: text.trim(), line });
      return undefined;
    }
    return 'not a route, rule, neighbour or netns line';
  }
}

function readRoute(w: string[], line: number): IpRoute {
  const typed = ROUTE_TYPES.has(w[0]!);
  const r: IpRoute = { type: 'route', dst: typed ? w[1]! : w[0]!, routeType: typed ? w[0]! : 'unicast', table: 'main', flags: [], line };
  for (let k = typed ? 2 : 1; k < w.length; k++) {
    const key = w[k]!;
    let v = w[k + 1];
    if (!ROUTE_KEYS.has(key) || v === undefined) {
      r.flags.push(key);
      continue;
    }
    k++;
    // `via inet6 fe80::1` (IPv4 route over an IPv6 next hop)
    if (key === 'via' && (v === 'inet' || v === 'inet6') && w[k + 1] !== undefined) v = w[++k]!;
    if (key === 'via') r.via = v;
    else if (key === 'dev') r.dev = v;
    else if (key === 'proto') r.proto = v;
    else if (key === 'scope') r.scope = v;
    else if (key === 'src') r.src = v;
    else if (key === 'table') r.table = v;
    else if (key === 'metric' && /^\d+$/.test(v)) r.metric = Number(v);
  }
  // The kernel prints `table local` for local/broadcast routes; a plain listing is table main.
  return r;
}

function readRule(t: string, line: number): IpRule {
  const m = RULE.exec(t)!;
  const w = m[2]!.split(/\s+/);
  const r: IpRule = { type: 'rule', priority: Number(m[1]), selector: '', action: 'lookup', line };
  let k = 0;
  if (w[0] === 'not') {
    r.not = true;
    k++;
  }
  const sel: string[] = [];
  for (; k < w.length; k++) {
    const key = w[k]!;
    if (/^(lookup|goto|blackhole|unreachable|prohibit|nop)$/.test(key)) {
      r.action = key;
      if ((key === 'lookup' || key === 'goto') && w[k + 1] !== undefined) r.table = w[k + 1];
      break;
    }
    const v = w[k + 1];
    sel.push(key);
    if (v === undefined) continue;
    if (key === 'from' || key === 'to' || key === 'fwmark' || key === 'iif' || key === 'oif') {
      r[key] = v;
      sel.push(v);
      k++;
    } else if (!/^(all)$/.test(key)) {
      sel.push(v);
      k++;
    }
  }
  r.selector = sel.join(' ');
  return r;
}

function readNeigh(w: string[], line: number): IpNeighbour {
  const n: IpNeighbour = { type: 'neigh', dst: w[0]!, state: [], line };
  for (let k = 1; k < w.length; k++) {
    const key = w[k]!;
    if (key === 'dev' && w[k + 1]) n.dev = w[++k];
    else if (key === 'lladdr' && w[k + 1]) n.lladdr = w[++k];
    else if (key === 'router') n.router = true;
    else if (NUD.test(key)) n.state.push(key);
  }
  return n;
}

function readJson(text: string, sink: DiagnosticSink): IpRouteRecord[] {
  const out: IpRouteRecord[] = [];
  const res = readJsonDocuments(text);
  for (const doc of res.documents) {
    if (!Array.isArray(doc.value)) {
      sink.malformed(doc.line, '{…}', 'ip -j prints an array');
      continue;
    }
    doc.value.forEach((raw, i) => {
      const line = doc.elementLines.get('')?.[i] ?? doc.line;
      const o = obj(raw);
      const rec = jsonRecord(o, line);
      if (rec) out.push(rec);
      else sink.malformed(line, JSON.stringify(raw).slice(0, 200), 'not a route (dst), rule (priority) or neighbour (dst + state/lladdr)');
    });
  }
  if (res.truncated) sink.truncated(splitLines(text).lines.length, 'the JSON ends mid-array; complete entries before the cut were kept');
  if (res.error) sink.add('TEXT_BAD_JSON', res.error.message, res.error.line);
  return out;
}

function jsonRecord(o: Record<string, unknown>, line: number): IpRouteRecord | undefined {
  const dst = str(o.dst);
  const priority = num(o.priority);
  if (dst !== undefined && ('state' in o || 'lladdr' in o)) {
    const n: IpNeighbour = { type: 'neigh', dst, state: arr(o.state).filter((s): s is string => typeof s === 'string'), line };
    const dev = str(o.dev);
    const ll = str(o.lladdr);
    if (dev !== undefined) n.dev = dev;
    if (ll !== undefined) n.lladdr = ll;
    if ('router' in o) n.router = true;
    return n;
  }
  if (dst !== undefined) {
    const r: IpRoute = { type: 'route', dst, routeType: str(o.type) ?? 'unicast', table: str(o.table) ?? 'main', flags: arr(o.flags).filter((s): s is string => typeof s === 'string'), line };
    const set = (k: 'via' | 'dev' | 'proto' | 'scope' | 'src', v: unknown): void => {
      const s = str(v);
      if (s !== undefined) r[k] = s;
    };
    set('via', o.gateway);
    set('dev', o.dev);
    set('proto', o.protocol);
    set('scope', o.scope);
    set('src', o.prefsrc);
    const metric = num(o.metric);
    if (metric !== undefined) r.metric = metric;
    const hops = arr(o.nexthops);
    if (hops.length > 0) {
      r.nexthops = hops.map((h) => {
        const x = obj(h);
        const hop: { via?: string; dev?: string; weight?: number } = {};
        const via = str(x.gateway);
        const dev = str(x.dev);
        const weight = num(x.weight);
        if (via !== undefined) hop.via = via;
        if (dev !== undefined) hop.dev = dev;
        if (weight !== undefined) hop.weight = weight;
        return hop;
      });
    }
    return r;
  }
  if (priority !== undefined) {
    const src = str(o.src);
    const r: IpRule = { type: 'rule', priority, selector: '', action: str(o.action) ?? 'lookup', line };
    const sel: string[] = [];
    if (src !== undefined) {
      r.from = src === 'all' ? 'all' : `${src}${num(o.srclen) !== undefined ? `/${num(o.srclen)}` : ''}`;
      sel.push('from', r.from);
    }
    const dstR = str(o.dst);
    if (dstR !== undefined) r.to = dstR;
    const fw = str(o.fwmark);
    if (fw !== undefined) {
      r.fwmark = str(o.fwmask) !== undefined ? `${fw}/${str(o.fwmask)}` : fw;
      sel.push('fwmark', r.fwmark);
    }
    const table = str(o.table);
    if (table !== undefined) r.table = table;
    if ('not' in o) r.not = true;
    r.selector = sel.join(' ');
    return r;
  }
  return undefined;
}
