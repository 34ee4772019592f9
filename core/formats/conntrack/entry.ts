/**
 * One line of Linux conntrack output. The layout is the kernel's /proc/net/nf_conntrack one
 * (conntrack-tools prints the same, minus the l3 columns unless `-o extended`):
 *
 *   [ts] [EVENT] [l3 l3num] l4 l4num [timeout] [STATE | proto info] orig-tuple [acct] [UNREPLIED]
 *   reply-tuple [acct] [ASSURED|OFFLOAD|HW_OFFLOAD] mark= secmark= secctx= zone= delta-time= ... use= id=
 *
 * A tuple ends at the first key it has already seen (the ICMP tuple's `id=` is followed by the
 * conntrack `id=` under `-o id`) or at the first key that is not a tuple key.
 */
import { isMaskedText, parseIpText, secondsTextToUs } from '../netstat/address.js';
import type { ConntrackEntry, ConntrackEvent, ConntrackExpect, ConntrackTuple } from './types.js';

export type Parsed<T> = { ok: true; rec: Omit<T, 'line'>; masked: string[] } | { ok: false; reason: string };

const TOKEN = /\[[^\]]*\]|\S+/g;
const COMMON_KEYS = ['src', 'dst', 'packets', 'bytes', 'zone-orig', 'zone-reply'];
const ICMP_KEYS = new Set([...COMMON_KEYS, 'type', 'code', 'id']);
const GRE_KEYS = new Set([...COMMON_KEYS, 'srckey', 'dstkey']);
const PORT_KEYS = new Set([...COMMON_KEYS, 'sport', 'dport']);
const BARE_KEYS = new Set(COMMON_KEYS);

/** Which keys belong to a tuple depends on the protocol: for TCP a trailing `id=` is the conntrack id. */
function tupleKeys(proto: string): Set<string> {
  if (proto === 'icmp' || proto === 'icmpv6') return ICMP_KEYS;
  if (proto === 'gre') return GRE_KEYS;
  if (PORTED.has(proto)) return PORT_KEYS;
  return BARE_KEYS;
}
const STATEFUL = new Set(['tcp', 'sctp', 'dccp']);
const PORTED = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);

interface Prefix {
  tsUs?: number;
  event?: ConntrackEvent;
  rest: string;
}

/** Strips `[1466520286.987453]` and `[NEW]` / `[UPDATE]` / `[DESTROY]`. */
export function stripPrefix(line: string): Prefix {
  let s = line.trim();
  const out: Prefix = { rest: s };
  const ts = /^\[(\d+\.\d+)\]\s*/.exec(s);
  if (ts) {
    const us = secondsTextToUs(ts[1]);
    if (us !== null) out.tsUs = us;
    s = s.slice(ts[0].length);
  }
  const ev = /^\[(NEW|UPDATE|DESTROY)\]\s*/.exec(s);
  if (ev) {
    out.event = ev[1] as ConntrackEvent;
    s = s.slice(ev[0].length);
  }
  out.rest = s;
  return out;
}

function kv(tok: string): [string, string] | null {
  const eq = tok.indexOf('=');
  if (eq <= 0 || tok.startsWith('[')) return null;
  return [tok.slice(0, eq), tok.slice(eq + 1)];
}

function uint(v: string): number | null {
  return /^\d+$/.test(v) ? Number(v) : null;
}

type TupleBuild = Partial<ConntrackTuple> & { seen: Set<string> };

/** Applies one tuple key; returns an error text, or null. */
function setTupleKey(t: TupleBuild, key: string, v: string, where: string, masked: string[]): string | null {
  t.seen.add(key);
  if (key === 'src' || key === 'dst') {
    const ip = parseIpText(v);
    if (ip) t[key] = ip.ip;
    else if (isMaskedText(v)) {
      t[key] = v;
      masked.push(`${where}.${key}`);
    } else return `${key}=${v} is not an IP address`;
    return null;
  }
  if (key === 'srckey' || key === 'dstkey') {
    t[key === 'srckey' ? 'srcKey' : 'dstKey'] = v;
    return null;
  }
  const n = uint(v);
  if (n === null) {
    if (isMaskedText(v)) {
      masked.push(`${where}.${key}`);
      return null;
    }
    return `${key}=${v} is not a number`;
  }
  switch (key) {
    case 'sport': t.sport = n; break;
    case 'dport': t.dport = n; break;
    case 'type': t.icmpType = n; break;
    case 'code': t.icmpCode = n; break;
    case 'id': t.icmpId = n; break;
    case 'packets': t.packets = n; break;
    case 'bytes': t.bytes = n; break;
    default: t.zone = n; break;
  }
  return null;
}

function finishTuple(t: TupleBuild, where: string, proto: string): ConntrackTuple | string {
  if (t.src === undefined || t.dst === undefined) return `${where} tuple lacks src/dst`;
  if (PORTED.has(proto) && (!t.seen.has('sport') || !t.seen.has('dport'))) return `${where} tuple lacks ports`;
  const { seen: _seen, ...tuple } = t;
  return tuple as ConntrackTuple;
}

/** A conntrack entry line (any of -L, -E, -D, -U, /proc/net/nf_conntrack), or null when the line is not shaped like one. */
export function parseEntry(line: string): Parsed<ConntrackEntry> | null {
  const pre = stripPrefix(line);
  const head = /^(?:(ipv4|ipv6|unknown)\s+(\d+)\s+)?([a-z][a-z0-9-]*)\s+(\d+)\s+(?:(\d+)\s+)?/.exec(pre.rest);
  if (!head) return null;
  const proto = head[3];
  const rec: Partial<ConntrackEntry> & { kind: 'entry' } = { kind: 'entry', proto, protoNum: Number(head[4]), flags: [] };
  if (pre.tsUs !== undefined) rec.tsUs = pre.tsUs;
  if (pre.event) rec.event = pre.event;
  if (head[1]) rec.l3proto = head[1];
  if (head[5] !== undefined) rec.timeout = Number(head[5]);
  const masked: string[] = [];
  const extra: Record<string, string> = Object.create(null) as Record<string, string>;
  const tokens = pre.rest.slice(head[0].length).match(TOKEN) ?? [];
  const keys = tupleKeys(proto);
  // section: 0 before the orig tuple, 1 in orig, 2 between, 3 in reply, 4 after
  let section = 0;
  let cur: TupleBuild = { seen: new Set() };
  let orig: TupleBuild | undefined;
  let reply: TupleBuild | undefined;
  for (const tok of tokens) {
    const pair = kv(tok);
    if (section === 1 || section === 3) {
      if (pair && keys.has(pair[0]) && !cur.seen.has(pair[0])) {
        const err = setTupleKey(cur, pair[0], pair[1], section === 1 ? 'orig' : 'reply', masked);
        if (err) return { ok: false, reason: err };
        continue;
      }
      section++;
    }
    if (pair && pair[0] === 'src') {
      if (section !== 0 && section !== 2) return { ok: false, reason: 'more than two tuples' };
      section++;
      cur = { seen: new Set() };
      if (section === 1) orig = cur;
      else reply = cur;
      const err = setTupleKey(cur, 'src', pair[1], section === 1 ? 'orig' : 'reply', masked);
      if (err) return { ok: false, reason: err };
      continue;
    }
    if (tok.startsWith('[') && tok.endsWith(']')) {
      const inner = tok.slice(1, -1);
      const p = kv(inner);
      if (p) extra[p[0]] = p[1];
      else if (/^[A-Z_]+$/.test(inner)) rec.flags!.push(inner);
      else return { ok: false, reason: `unexpected ${tok}` };
      continue;
    }
    if (section === 0) {
      // Before the first tuple: the protocol state (TCP/SCTP/DCCP) or proto info (gre `timeout=180,`).
      if (!pair && /^[A-Z_0-9]+$/.test(tok) && rec.tcpState === undefined && rec.protoState === undefined) {
        if (proto === 'tcp') rec.tcpState = tok;
        else if (STATEFUL.has(proto)) rec.protoState = tok;
        else return { ok: false, reason: `unexpected state ${tok} for ${proto}` };
        continue;
      }
      if (pair) {
        extra[pair[0]] = pair[1].replace(/,$/, '');
        continue;
      }
      return { ok: false, reason: `unexpected "${tok}" before the tuples` };
    }
    if (!pair) return { ok: false, reason: `unexpected "${tok}"` };
    const [k, v] = pair;
    const n = uint(v);
    switch (k) {
      case 'mark': case 'secmark': case 'zone': case 'use': case 'id':
        if (n === null) {
          if (!isMaskedText(v)) return { ok: false, reason: `${k}=${v} is not a number` };
          masked.push(k);
        } else rec[k] = n;
        break;
      case 'delta-time':
        if (n === null) return { ok: false, reason: `delta-time=${v} is not a number` };
        rec.deltaTimeS = n;
        break;
      case 'secctx':
        rec.secctx = v;
        break;
      case 'helper':
        rec.helper = v;
        break;
      case 'labels':
        rec.labels = v === '' ? [] : v.split(',');
        break;
      default:
        extra[k] = v;
    }
  }
  if (!orig) return { ok: false, reason: 'no original tuple' };
  if (!reply) return { ok: false, reason: 'no reply tuple' };
  const o = finishTuple(orig, 'orig', proto);
  if (typeof o === 'string') return { ok: false, reason: o };
  const r = finishTuple(reply, 'reply', proto);
  if (typeof r === 'string') return { ok: false, reason: r };
  rec.orig = o;
  rec.reply = r;
  if (Object.keys(extra).length > 0) rec.extra = extra;
  if (masked.length > 0) rec.masked = masked;
  return { ok: true, rec: rec as Omit<ConntrackEntry, 'line'>, masked };
}

/** `[NEW] 300 proto=17 src=… dst=… sport=… dport=… mask-src=… … master-src=… … PERMANENT class=0 helper=rpc`. */
export function parseExpect(line: string): Parsed<ConntrackExpect> | null {
  const pre = stripPrefix(line);
  const head = /^(\d+)\s+(?:l3proto\s*=\s*\d+\s+)?proto=(\d+)\s+/.exec(pre.rest);
  if (!head) return null;
  const rec: Partial<ConntrackExpect> & { kind: 'expect' } = { kind: 'expect', timeout: Number(head[1]), protoNum: Number(head[2]), flags: [] };
  if (pre.tsUs !== undefined) rec.tsUs = pre.tsUs;
  if (pre.event) rec.event = pre.event;
  const masked: string[] = [];
  const extra: Record<string, string> = Object.create(null) as Record<string, string>;
  const parts: Record<'tuple' | 'mask' | 'master', TupleBuild> = { tuple: { seen: new Set() }, mask: { seen: new Set() }, master: { seen: new Set() } };
  let cur: 'tuple' | 'mask' | 'master' | null = null;
  for (const tok of pre.rest.slice(head[0].length).match(TOKEN) ?? []) {
    const pair = kv(tok);
    if (pair) {
      const m = /^(mask-|master-)?(src|dst)$/.exec(pair[0]);
      if (m) {
        const which = m[1] === 'mask-' ? 'mask' : m[1] === 'master-' ? 'master' : 'tuple';
        if (m[2] === 'src') cur = which;
        if (cur !== which) return { ok: false, reason: `${pair[0]} out of place` };
        const err = setTupleKey(parts[which], m[2], pair[1], which, masked);
        if (err) return { ok: false, reason: err };
        continue;
      }
      if (cur && ['sport', 'dport', 'type', 'code', 'id'].includes(pair[0]) && !parts[cur].seen.has(pair[0])) {
        const err = setTupleKey(parts[cur], pair[0], pair[1], cur, masked);
        if (err) return { ok: false, reason: err };
        continue;
      }
      cur = null;
      const n = uint(pair[1]);
      if (pair[0] === 'class' && n !== null) rec.class = n;
      else if (pair[0] === 'zone' && n !== null) rec.zone = n;
      else if (pair[0] === 'helper') rec.helper = pair[1];
      else extra[pair[0]] = pair[1];
      continue;
    }
    if (/^[A-Z_]+(,[A-Z_]+)*$/.test(tok)) {
      rec.flags!.push(...tok.split(','));
      cur = null;
      continue;
    }
    return { ok: false, reason: `unexpected "${tok}" in expectation` };
  }
  const asTuple = (t: TupleBuild): ConntrackTuple | undefined => {
    if (t.src === undefined || t.dst === undefined) return undefined;
    const { seen: _seen, ...rest } = t;
    return rest as ConntrackTuple;
  };
  const tuple = asTuple(parts.tuple);
  if (!tuple) return { ok: false, reason: 'expectation without its tuple' };
  rec.tuple = tuple;
  const mask = asTuple(parts.mask);
  if (mask) rec.mask = mask;
  const master = asTuple(parts.master);
  if (master) rec.master = master;
  if (Object.keys(extra).length > 0) rec.extra = extra;
  return { ok: true, rec: rec as Omit<ConntrackExpect, 'line'>, masked };
}
