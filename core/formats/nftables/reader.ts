/**
 * `nft list ruleset` (nftables, also what iptables-nft and kube-proxy's nftables mode program).
 * Rules become the iptables reader's records (table, chain, target, ports, counters), so REJECT,
 * DROP and DNAT rules answer the same questions whichever tool wrote them. Sets, maps and
 * verdict maps are kept as text only.
 */
import { diag, type Diagnostic } from '../../diagnostics.js';
import type { IptablesChain, IptablesRecord, IptablesRule } from '../iptables/types.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

/** nft tokens with quoted strings and `{ a, b }` sets kept whole. */
function tokens(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|\{[^}]*\}|\S+/g;
  for (const m of s.matchAll(re)) out.push(m[1] !== undefined ? `"${m[1]}"` : m[0]);
  return out;
}

const unq = (t: string) => (t.startsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t);

function ports(t: string): string[] {
  return t.startsWith('{') ? t.slice(1, -1).split(',').map((x) => x.trim()).filter(Boolean) : [t];
}

export function nftRule(text: string, table: string, family: string, chain: string, num: number, line: number): IptablesRule {
  const rule: IptablesRule = { type: 'rule', form: 'nft', table, chain, num, text, line };
  if (family === 'ip') rule.family = 'ipv4';
  else if (family === 'ip6') rule.family = 'ipv6';
  const t = tokens(text);
  for (let i = 0; i < t.length; i++) {
    const w = t[i];
    const next = t[i + 1];
    if ((w === 'tcp' || w === 'udp' || w === 'sctp' || w === 'th') && (next === 'dport' || next === 'sport') && t[i + 2]) {
      if (w !== 'th') rule.protocol = w;
      const ps = ports(t[i + 2]);
      if (next === 'dport') {
        rule.dports = ps;
        const nums = ps.filter((p) => /^\d+$/.test(p)).map(Number);
        if (nums.length) rule.dportNumbers = nums;
      } else rule.sports = ps;
      i += 2;
    } else if (w === 'meta' && next === 'l4proto' && t[i + 2]) {
      rule.protocol = t[i + 2];
      i += 2;
    } else if ((w === 'ip' || w === 'ip6') && (next === 'daddr' || next === 'saddr') && t[i + 2]) {
      let v = t[i + 2];
      let neg = false;
      if (v === '!=') { neg = true; v = t[i + 3] ?? ''; i++; }
      if (next === 'daddr') { rule.destination = v; if (neg) rule.destinationNegated = true; } else { rule.source = v; if (neg) rule.sourceNegated = true; }
      i += 2;
    } else if ((w === 'iifname' || w === 'oifname') && next) {
      if (w === 'iifname') rule.inInterface = unq(next); else rule.outInterface = unq(next);
      i++;
    } else if (w === 'ct' && next === 'state' && t[i + 2]) {
      rule.states = ports(t[i + 2]).map((s) => s.toUpperCase());
      i += 2;
    } else if (w === 'counter' && next === 'packets' && t[i + 3] === 'bytes') {
      rule.packets = Number(t[i + 2]);
      rule.bytes = Number(t[i + 4]);
      i += 4;
    } else if (w === 'comment' && next) {
      rule.comment = unq(next);
      i++;
    } else if (w === 'reject') {
      rule.target = 'REJECT';
      if (next === 'with') {
        const how = t.slice(i + 2).filter((x) => x !== 'type').slice(0, 2).join(' ');
        rule.rejectWith = how === 'tcp reset' ? 'tcp-reset' : how.replace(/^(icmp|icmpv6|icmpx) /, '$1-').replace(/ /g, '-');
      }
    } else if (w === 'drop' || w === 'accept' || w === 'return' || w === 'masquerade') {
      rule.target = w === 'masquerade' ? 'MASQUERADE' : w.toUpperCase();
    } else if ((w === 'dnat' || w === 'snat') && next === 'to' && t[i + 2]) {
      rule.target = w.toUpperCase();
      if (w === 'dnat') rule.toDestination = t[i + 2]; else rule.toSource = t[i + 2];
      i += 2;
    } else if ((w === 'jump' || w === 'goto') && next) {
      rule.target = next;
      if (w === 'goto') rule.goto = true;
      i++;
    }
  }
  return rule;
}

export function scanNft(text: string, ctx: TextParseContext): { result: TextParseResult<IptablesRecord>; tables: number } {
  const records: IptablesRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  let table: { family: string; name: string; line: number } | null = null;
  let chain: { name: string; rec: IptablesChain } | null = null;
  let block = 0; // depth of a set/map/flowtable/ct helper block whose body is not rules
  let tables = 0;
  let nums = new Map<string, number>();
  const where = (line: number) => ({ source: ctx.source, line });
  for (let i = 0; i < lines.length; i++) {
    // iptables-nft appends `# Warning: table ip nat is managed by iptables-nft` right after a `}`.
    const t = lines[i].trim().replace(/^\}\s*#.*$/, '}');
    const lineNo = i + 1;
    if (t === '' || t.startsWith('#')) continue;
    if (block > 0) {
      block += (t.match(/\{/g)?.length ?? 0) - (t.match(/\}/g)?.length ?? 0);
      continue;
    }
    const tb = /^table (\S+) (\S+) \{$/.exec(t);
    if (tb && !table) {
      if (!FAMILIES.has(tb[1])) { diagnostics.push(diag('TEXT_MALFORMED_LINE', `"${tb[1]}" is not an nftables family`, where(lineNo))); continue; }
      table = { family: tb[1], name: tb[2], line: lineNo };
      tables++;
      nums = new Map();
      continue;
    }
    if (!table) {
      diagnostics.push(diag('TEXT_MALFORMED_LINE', 'line outside any nftables table', where(lineNo)));
      continue;
    }
    if (t === '}') {
      if (chain) chain = null; else table = null;
      continue;
    }
    const ch = /^chain (\S+) \{$/.exec(t);
    if (ch && !chain) {
      const rec: IptablesChain = { type: 'chain', form: 'nft', chain: ch[1], packets: 0, bytes: 0, line: lineNo, table: table.name };
      if (table.family === 'ip') rec.family = 'ipv4';
      else if (table.family === 'ip6') rec.family = 'ipv6';
      records.push(rec);
      chain = { name: ch[1], rec };
      continue;
    }
    if (!chain) {
      if (/^(set|map|flowtable|ct |counter|quota|limit|secmark|synproxy)\b.*\{$/.test(t)) block = 1;
      else if (!/^(comment|flags)\b/.test(t)) diagnostics.push(diag('TEXT_MALFORMED_LINE', 'not a table-level nftables statement', where(lineNo)));
      continue;
    }
    const base = /^type (\S+) hook (\S+)(?: device \S+)? priority [^;]+;(?: policy (\S+);)?$/.exec(t);
    if (base) {
      if (base[3]) chain.rec.policy = base[3].toUpperCase();
      continue;
    }
    if (/^comment "/.test(t)) continue;
    if (/\{$/.test(t)) { block = 1; continue; } // an anonymous block inside a rule spanning lines
    const n = (nums.get(chain.name) ?? 0) + 1;
    nums.set(chain.name, n);
    records.push(nftRule(t, table.name, table.family, chain.name, n, lineNo));
  }
  if (table) {
    const last = lines.length;
    diagnostics.push(diag('TEXT_TRUNCATED', `table ${table.family} ${table.name} is not closed: the dump is cut`, where(last)));
  }
  return { result: { records, diagnostics }, tables };
}

export function parseNft(text: string, ctx: TextParseContext): TextParseResult<IptablesRecord> {
  return scanNft(text, ctx).result;
}

export function sniffNft(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const { result, tables } = scanNft(text, { source: fileName });
  if (tables === 0) return 0;
  const bad = result.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE').length;
  return bad <= 2 ? 0.95 : 0.3;
}
