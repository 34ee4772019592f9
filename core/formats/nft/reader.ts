import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import type { NftMatch, NftRecord, NftRule } from './types.js';

const VERDICTS = new Set(['accept', 'drop', 'reject', 'return', 'jump', 'goto', 'queue', 'continue', 'masquerade', 'snat', 'dnat', 'redirect', 'notrack']);

/** Reads `nft list ruleset` text; blocks nest table → chain/set/map → lines, closed by `}`. */
export function parseNft(text: string, ctx: TextParseContext): TextParseResult<NftRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: NftRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  let table: { family: string; table: string } | null = null;
  let block: { kind: 'chain' | 'set' | 'other'; name: string; line: number; elements?: string[]; open?: boolean } | null = null;
  lines.forEach((l, i) => {
    const raw = l.text;
    const handle = /\s# handle (\d+)\s*$/.exec(raw);
    const t = raw.replace(/\s# handle \d+\s*$/, '').trim();
    if (t === '' || isPromptLine(raw) || t.startsWith('#')) return;
    const fail = (why: string) => sink.rejectLine(l.line, raw, why, i === lines.length - 1 && !endsWithNewline);
    if (block?.open) {
      // the rest of a multi-line `elements = { ... }`
      block.elements!.push(...t.replace(/[{}]/g, '').split(',').map((x) => x.trim()).filter(Boolean));
      if (t.includes('}')) block.open = false;
      return;
    }
    const tb = /^table (ip|ip6|inet|arp|bridge|netdev) (\S+) \{$/.exec(t);
    if (tb) {
      if (table) return fail('table inside a table');
      table = { family: tb[1]!, table: tb[2]! };
      records.push({ type: 'table', ...table, line: l.line });
      return;
    }
    if (!table) return fail('line outside a "table ... {" block');
    const bl = /^(chain|set|map|flowtable|counter|quota|limit|ct helper|ct timeout|ct expectation|secmark|synproxy) (\S+) \{$/.exec(t);
    if (bl) {
      if (block) return fail(`${bl[1]} inside a ${block.kind}`);
      block = { kind: bl[1] === 'chain' ? 'chain' : bl[1] === 'set' ? 'set' : 'other', name: bl[2]!, line: l.line, elements: [] };
      if (block.kind === 'chain') records.push({ type: 'chain', ...table, chain: block.name, line: l.line });
      return;
    }
    if (t === '}') {
      if (block) {
        if (block.kind === 'set') records.push({ type: 'set', ...table, set: block.name, elements: block.elements!, line: block.line });
        block = null;
      } else table = null;
      return;
    }
    if (!block) return fail('line outside a chain or set');
    if (block.kind === 'set') {
      const el = /^elements = \{(.*)$/.exec(t);
      if (el) {
        block.elements!.push(...el[1]!.replace(/[{}]/g, '').split(',').map((x) => x.trim()).filter(Boolean));
        if (!el[1]!.includes('}')) block.open = true;
      }
      return;
    }
    if (block.kind === 'other') return;
    const base = /^type (\S+) hook (\S+)(?: device \S+)? priority [^;]+;(?: policy (\S+);)?$/.exec(t);
    if (base) {
      const chain = records[records.length - 1];
      if (chain?.type === 'chain' && chain.chain === block.name) Object.assign(chain, { chainType: base[1], hook: base[2], ...(base[3] ? { policy: base[3] } : {}) });
      return;
    }
    const rule = parseRule(t, { ...table, chain: block.name, line: l.line });
    if (handle) rule.handle = Number(handle[1]);
    records.push(rule);
  });
  if (table) sink.truncated(lines.length, 'the ruleset ends inside a block (no closing "}")');
  return { records, diagnostics: sink.finish() };
}

/** Words, with `{ ... }` groups and "quoted strings" kept whole. */
function words(s: string): string[] {
  return s.match(/\{[^}]*\}|"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

function values(w: string): string[] {
  return w.startsWith('{') ? w.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean) : w.split(',').filter(Boolean);
}

function parseRule(text: string, at: { family: string; table: string; chain: string; line: number }): NftRule {
  const r: NftRule = { type: 'rule', ...at, text };
  const w = words(text);
  const unread: string[] = [];
  const take = (i: number): [NftMatch, number] => {
    let j = i;
    let negated = false;
    if (w[j] === '!=') { negated = true; j++; } else if (w[j] === '==') j++;
    const v = w[j] ?? '';
    const m: NftMatch = v.startsWith('@') ? { set: v.slice(1) } : { values: values(v).map((x) => x.replace(/^"|"$/g, '')) };
    if (negated) m.negated = true;
    return [m, j + 1];
  };
  for (let i = 0; i < w.length; ) {
    const a = w[i]!;
    const b = w[i + 1];
    if ((a === 'ip' || a === 'ip6') && (b === 'saddr' || b === 'daddr')) {
      r.ipVersion = a === 'ip' ? 4 : 6;
      const [m, n] = take(i + 2);
      r[b] = m;
      i = n;
    } else if ((a === 'tcp' || a === 'udp' || a === 'sctp') && (b === 'sport' || b === 'dport')) {
      r.l4proto = [a];
      const [m, n] = take(i + 2);
      r[b] = m;
      i = n;
    } else if (a === 'meta' && b === 'l4proto') {
      const [m, n] = take(i + 2);
      r.l4proto = m.values;
      i = n;
    } else if (a === 'ct' && b === 'state') {
      const [m, n] = take(i + 2);
      r.ctState = m;
      i = n;
    } else if (a === 'iifname' || a === 'oifname') {
      const [m, n] = take(i + 1);
      r[a] = m;
      i = n;
    } else if (a === 'counter') {
      i += b === 'packets' ? 5 : 1;
    } else if (a === 'log') {
      i++;
      while (i < w.length && ['prefix', 'level', 'flags', 'group', 'snaplen'].includes(w[i]!)) i += 2;
    } else if (a === 'comment') {
      r.comment = (b ?? '').replace(/^"|"$/g, '');
      i += 2;
    } else if (VERDICTS.has(a)) {
      r.verdict = a;
      if (a === 'reject' && b === 'with') {
        r.rejectWith = w.slice(i + 2).join(' ');
        i = w.length;
      } else if (a === 'jump' || a === 'goto') {
        r.target = b;
        i += 2;
      } else i = w.length; // verdict arguments (to, fully-random...) end the rule
    } else {
      unread.push(a);
      i++;
    }
  }
  if (unread.length) r.unread = unread;
  return r;
}
