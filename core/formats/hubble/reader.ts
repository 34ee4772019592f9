import { diag, type Diagnostic } from '../../diagnostics.js';
import { parseEndpoint, parseIpText } from '../netstat/address.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import type { HubbleEndpoint, HubbleFlow, HubbleVerdict } from './types.js';

const VERDICTS = new Set(['FORWARDED', 'DROPPED', 'DENIED', 'ALLOWED', 'AUDIT', 'ERROR', 'REDIRECTED', 'TRACED', 'TRANSLATED']);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Compact drop texts (hubble's monitor/api drop reason strings) to the enum names JSON carries. */
const DROP_TEXT: Record<string, string> = {
  'Policy denied': 'POLICY_DENIED', 'Policy denied by denylist': 'POLICY_DENY', 'Invalid source ip': 'INVALID_SOURCE_IP',
  'CT: Map insertion failed': 'CT_MAP_INSERTION_FAILED', 'No mapping for NAT masquerade': 'NAT_NO_MAPPING', 'Service backend not found': 'SERVICE_BACKEND_NOT_FOUND',
  'Unknown L3 target address': 'UNKNOWN_L3_TARGET_ADDRESS', 'Stale or unroutable IP': 'STALE_OR_UNROUTABLE_IP', 'No tunnel/encapsulation endpoint (datapath BUG!)': 'NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT',
  'FIB lookup failed': 'FIB_LOOKUP_FAILED', 'Authentication required': 'AUTH_REQUIRED', 'Unsupported L3 protocol': 'UNSUPPORTED_L3_PROTOCOL',
};
/** Numeric drop reasons (cilium pkg/monitor/api, flow.proto DropReason) seen without a description. */
const DROP_CODE: Record<number, string> = { 133: 'POLICY_DENIED', 132: 'INVALID_SOURCE_IP', 155: 'CT_MAP_INSERTION_FAILED', 158: 'SERVICE_BACKEND_NOT_FOUND', 181: 'POLICY_DENY', 189: 'AUTH_REQUIRED' };

/** `default/xwing:45706`, `10.20.0.33:53156`, `kube-system/coredns-…:53`, `default/pod`, `10.0.0.1`. */
function endpointOf(text: string, note: string | undefined): HubbleEndpoint | null {
  const e: HubbleEndpoint = { ip: null, port: null };
  const k = /^([a-z0-9][a-z0-9-]*)\/([^\s:/]+)(?::(\d+))?$/.exec(text);
  if (k) {
    e.namespace = k[1];
    e.pod = k[2];
    e.port = k[3] ? Number(k[3]) : null;
  } else {
    const ep = text.includes(':') && !parseIpText(text) ? parseEndpoint(text) : null;
    if (ep && ep.ip !== '*' && !ep.ipMasked) { e.ip = ep.ip; e.port = ep.port; } else {
      const ip = parseIpText(text);
      if (!ip) return null;
      e.ip = ip.ip;
    }
  }
  if (note) {
    const id = /^ID:(\d+)$/.exec(note);
    if (id) e.identity = Number(id[1]);
    else e.reserved = note;
  }
  return e;
}

/** A compact/table time as printed (`Mon dd hh:mm:ss.frac`), from its match groups 1-6. */
const timeText = (m: string[]): string => `${m[1]} ${m[2].padStart(2)} ${m[3]}:${m[4]}:${m[5]}${m[6] ? `.${m[6]}` : ''}`;

/** Hubble Relay names a node `cluster/node`: the node is the last part. */
const nodeName = (text: string): string => text.slice(text.lastIndexOf('/') + 1);

/** Epoch µs of a compact/table time (no year printed): the bundle's year, or the year before when that lands after the bundle. */
function stamp(f: HubbleFlow, mon: number, m: string[], clock: Clock): void {
  if (clock.year === undefined) return;
  const at = (y: number) => Date.UTC(y, mon, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) * 1000 + Number((m[6] ?? '').slice(0, 6).padEnd(6, '0'));
  // The anchor (bundle time) comes after the flows: a date later than it is last year's.
  let us = at(clock.year);
  if (clock.anchorUs !== undefined && us > clock.anchorUs + 86_400_000_000) us = at(clock.year - 1);
  f.tsUs = us;
}

/** What compact and table rows share: the drop reason from the event text, direction and protocol from the summary. */
function interpret(f: HubbleFlow, summary: string | undefined): void {
  if (summary !== undefined) f.summary = summary;
  if (f.verdict === 'DROPPED' && f.event && !/^(http|dns|kafka)-/.test(f.event)) {
    // The table form of old releases adds the layer: `Policy denied (L3)`.
    const text = f.event.replace(/ \(L[347]\)$/, '');
    f.dropReason = DROP_TEXT[text] ?? text.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  }
  if (f.verdict === 'DROPPED' && /^http-/.test(f.event)) f.dropReason = 'L7_POLICY_DENIED';
  const pv = /^policy-verdict:\S+ (INGRESS|EGRESS)$/.exec(f.event);
  if (pv) f.direction = pv[1] === 'INGRESS' ? 'ingress' : 'egress';
  if (summary) {
    const tf = /^TCP Flags: (.+)$/.exec(summary);
    if (tf) { f.proto = 'tcp'; f.tcpFlags = tf[1].split(/,\s*/); } else if (/^UDP\b/.test(summary)) f.proto = 'udp';
    else if (/^ICMPv4\b/.test(summary)) f.proto = 'icmp';
    else if (/^ICMPv6\b/.test(summary)) f.proto = 'icmpv6';
    else if (/^HTTP\//.test(summary)) f.proto = 'tcp';
  }
}

const COMPACT = /^(\w{3})\s+(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?: (\S+)(?: \(([^)]*)\))? (->|<-|<>|<->|\?\?|<-\?|->\?) (\S+)(?: \(([^)]*)\))? (.*?) ?\b(FORWARDED|DROPPED|DENIED|ALLOWED|AUDIT|ERROR|REDIRECTED|TRACED|TRANSLATED)(?: \((.*)\))?$/;

interface Clock { year?: number; anchorUs?: number }

function compactFlow(line: string, lineNo: number, clock: Clock): HubbleFlow | string {
  const m = COMPACT.exec(line);
  if (!m) return 'not a hubble observe line';
  const mon = MONTHS.indexOf(m[1]);
  if (mon < 0) return `"${m[1]}" is not a month`;
  const src = endpointOf(m[7], m[8]);
  const dst = endpointOf(m[10], m[11]);
  if (!src || !dst) return `"${!src ? m[7] : m[10]}" is not an endpoint`;
  const f: HubbleFlow = { time: timeText(m), verdict: m[13] as HubbleVerdict, event: m[12].trim(), arrow: m[9], src, dst, line: lineNo };
  // Hubble swaps a reply's ends so the connection's originator stays on the left (`<-`).
  if (m[9] === '->') f.isReply = false;
  else if (m[9] === '<-') f.isReply = true;
  stamp(f, mon, m, clock);
  interpret(f, m[14]);
  return f;
}

/** Column names of `hubble observe -o table` (tabwriter: columns apart by two or more spaces). */
const TABLE_COLUMNS = ['TIMESTAMP', 'NODE', 'SOURCE', 'DESTINATION', 'TYPE', 'VERDICT', 'SUMMARY'];
const DEFAULT_TABLE = ['TIMESTAMP', 'SOURCE', 'DESTINATION', 'TYPE', 'VERDICT', 'SUMMARY'];
const TABLE_TIME = /^(\w{3})\s+(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?\s{2,}(.*)$/;

/** The header row of the table form, as its list of columns; null when `t` is not one. */
function tableHeader(t: string): string[] | null {
  const cols = t.split(/\s{2,}/);
  return cols[0] === 'TIMESTAMP' && cols.includes('VERDICT') && cols.every((c) => TABLE_COLUMNS.includes(c)) ? cols : null;
}

/**
 * A `hubble observe -o table` row: the packet as sent (no arrow; the source is the sender), TYPE the
 * observation point or the drop reason, and the L4 summary. A port may carry its service name: `53(domain)`.
 */
function tableFlow(line: string, lineNo: number, clock: Clock, columns: string[]): HubbleFlow | string {
  const m = TABLE_TIME.exec(line);
  if (!m) return 'not a hubble observe line';
  const mon = MONTHS.indexOf(m[1]);
  if (mon < 0) return `"${m[1]}" is not a month`;
  const rest = m[7].split(/\s{2,}/);
  const at = (name: string) => columns.indexOf(name) - 1;
  // SUMMARY is last and may hold double spaces of its own: everything after VERDICT.
  const nv = at('VERDICT');
  if (rest.length < nv + 1) return 'table row with fewer columns than its header';
  const verdict = rest[nv];
  if (!VERDICTS.has(verdict)) return `"${verdict}" is not a verdict`;
  const cell = (name: string) => (at(name) >= 0 ? rest[at(name)] : undefined);
  const srcText = (cell('SOURCE') ?? '').replace(/\([a-z][\w-]*\)$/, '');
  const dstText = (cell('DESTINATION') ?? '').replace(/\([a-z][\w-]*\)$/, '');
  const src = endpointOf(srcText, undefined);
  const dst = endpointOf(dstText, undefined);
  if (!src || !dst) return `"${!src ? srcText : dstText}" is not an endpoint`;
  const f: HubbleFlow = { time: timeText(m), verdict: verdict as HubbleVerdict, event: cell('TYPE') ?? '', src, dst, line: lineNo };
  const node = cell('NODE');
  if (node) f.node = nodeName(node);
  stamp(f, mon, m, clock);
  const summary = rest.slice(nv + 1).join('  ');
  interpret(f, summary === '' ? undefined : summary);
  return f;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonEndpoint(ep: unknown, ip: unknown, port: unknown): HubbleEndpoint {
  const e: HubbleEndpoint = { ip: typeof ip === 'string' ? parseIpText(ip)?.ip ?? null : null, port: typeof port === 'number' ? port : null };
  if (isObj(ep)) {
    if (typeof ep.namespace === 'string' && ep.namespace) e.namespace = ep.namespace;
    if (typeof ep.pod_name === 'string' && ep.pod_name) e.pod = ep.pod_name;
    if (typeof ep.identity === 'number') e.identity = ep.identity;
  }
  return e;
}

/** A `hubble observe -o json|jsonpb` / exporter object (`{"flow":{…}}`, or the bare flow of old releases). */
export function jsonFlow(o: Obj, lineNo: number): HubbleFlow | string {
  const fl = isObj(o.flow) ? o.flow : o;
  if (typeof fl.verdict !== 'string' || !VERDICTS.has(fl.verdict)) return 'JSON object is not a Hubble flow (no verdict)';
  const ipo = isObj(fl.IP) ? fl.IP : {};
  const l4 = isObj(fl.l4) ? fl.l4 : {};
  const l4k = Object.keys(l4)[0];
  const l4v = l4k && isObj(l4[l4k]) ? l4[l4k] as Obj : {};
  const f: HubbleFlow = {
    time: typeof fl.time === 'string' ? fl.time : typeof o.time === 'string' ? o.time : '',
    verdict: fl.verdict as HubbleVerdict,
    event: typeof fl.Type === 'string' ? fl.Type : 'flow',
    src: jsonEndpoint(fl.source, ipo.source, l4v.source_port),
    dst: jsonEndpoint(fl.destination, ipo.destination, l4v.destination_port),
    line: lineNo,
  };
  const ms = Date.parse(f.time);
  if (!Number.isNaN(ms)) f.tsUs = ms * 1000 + Number((/\.\d{3}(\d{0,3})/.exec(f.time)?.[1] ?? '').padEnd(3, '0'));
  if (l4k) {
    const p = l4k.toLowerCase();
    if (p === 'tcp' || p === 'udp' || p === 'icmpv6' || p === 'sctp') f.proto = p;
    else if (p === 'icmpv4') f.proto = 'icmp';
    if (isObj(l4v.flags)) f.tcpFlags = Object.entries(l4v.flags).filter(([, v]) => v === true).map(([k]) => k);
  }
  const node = typeof fl.node_name === 'string' ? fl.node_name : typeof o.node_name === 'string' ? o.node_name : undefined;
  if (node) f.node = nodeName(node);
  if (fl.traffic_direction === 'INGRESS' || fl.traffic_direction === 'EGRESS') f.direction = fl.traffic_direction === 'INGRESS' ? 'ingress' : 'egress';
  if (typeof fl.Summary === 'string') f.summary = fl.Summary;
  if (typeof fl.is_reply === 'boolean') f.isReply = fl.is_reply;
  if (f.verdict === 'DROPPED') {
    f.dropReason = typeof fl.drop_reason_desc === 'string' ? fl.drop_reason_desc : typeof fl.drop_reason === 'number' ? DROP_CODE[fl.drop_reason] ?? `DROP_REASON_${fl.drop_reason}` : 'UNKNOWN';
  }
  return f;
}

export interface HubbleScan { result: TextParseResult<HubbleFlow>; prompts: number }

export function scanHubble(text: string, ctx: TextParseContext): HubbleScan {
  const records: HubbleFlow[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  const clock: Clock = ctx.baseTimeUs !== undefined ? { year: new Date(ctx.baseTimeUs / 1000).getUTCFullYear(), anchorUs: ctx.baseTimeUs } : {};
  let noYear = false;
  let prompts = 0;
  let columns = DEFAULT_TABLE;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    const lineNo = i + 1;
    if (t === '') continue;
    if (/^\s*[\w.@~:/-]*[#$]\s+\S/.test(raw) && !t.startsWith('{')) { prompts++; continue; }
    if (/^source identity \d+ \(/.test(t)) continue; // hubble's -P/--print-node-name extra line
    const header = tableHeader(t);
    if (header) { columns = header; continue; }
    let out: HubbleFlow | string;
    if (t.startsWith('{')) {
      try {
        out = jsonFlow(JSON.parse(t) as Obj, lineNo);
      } catch (e) {
        const isLast = i === lines.length - 1 && !endsClean;
        diagnostics.push(diag(isLast ? 'TEXT_TRUNCATED' : 'TEXT_BAD_JSON', `line is not JSON (${(e as Error).message})`, { source: ctx.source, line: lineNo }));
        continue;
      }
    } else {
      out = compactFlow(t, lineNo, clock);
      if (typeof out === 'string') {
        const row = tableFlow(t, lineNo, clock, columns);
        if (typeof row !== 'string') out = row;
      }
      if (typeof out !== 'string' && out.tsUs === undefined) noYear = true;
    }
    if (typeof out === 'string') {
      const isLast = i === lines.length - 1 && !endsClean;
      diagnostics.push(diag(isLast ? 'TEXT_TRUNCATED' : 'TEXT_MALFORMED_LINE', out, { source: ctx.source, line: lineNo }));
      continue;
    }
    records.push(out);
  }
  if (noYear) diagnostics.push(diag('TEXT_NO_DATE', 'compact hubble times carry no year and no bundle time was given; flows are kept without an absolute time', { source: ctx.source }));
  return { result: { records, diagnostics }, prompts };
}

export function parseHubble(text: string, ctx: TextParseContext): TextParseResult<HubbleFlow> {
  return scanHubble(text, ctx).result;
}

export function sniffHubble(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const { result } = scanHubble(text, { source: fileName, baseTimeUs: 0 });
  const rows = result.records.length;
  const bad = result.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE' || d.code === 'TEXT_BAD_JSON').length;
  if (rows === 0) return 0;
  const ratio = rows / (rows + bad);
  return ratio >= 0.8 ? 0.95 : ratio >= 0.5 ? 0.6 : 0.2 * ratio;
}
