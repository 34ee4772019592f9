/**
 * A Wireshark-like display filter subset, compiled to a parameterized SQL expression over the
 * `flows` table (alias `f`). Values never enter the SQL text: each becomes a `?` parameter.
 * Pure (no Node imports) so the renderer can check a filter while it is typed.
 *
 *   ip.addr == 10.244.0.5 && tcp.flags.reset == 1
 *   state == REJ || (history contains "R" and duration > 1)
 *   tcp.port in {80 443 8000..8080}   ip.src == 10.244.0.0/16   !udp
 *
 * Semantics follow Wireshark where they apply: a field that names two columns (ip.addr, tcp.port)
 * matches when either does, and `a != v` is `!(a == v)` (Wireshark 3.6+). `&&` binds tighter
 * than `||`. A bare field tests presence (`tcp`, `tcp.flags.reset`).
 */
import { CONN_STATES } from '../net/conn-state.js';
import { ipText, ipv4TextPrefix, parseCidr } from '../net/ip-cidr.js';

export class DisplayFilterError extends Error {
  /** 1-based column of the offending token, and its length, for the UI to underline. */
  constructor(message: string, readonly column: number, readonly length: number) {
    super(`${message} (column ${column})`);
    this.name = 'DisplayFilterError';
    this.problem = message;
  }
  readonly problem: string;
}

export interface CompiledFilter {
  /** A boolean SQL expression over `flows f`, with `?` placeholders. */
  sql: string;
  params: (string | number)[];
}

// ---------------------------------------------------------------- tokens

type TokKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'and' | 'or' | 'not' | 'comma' | 'end';
interface Token { kind: TokKind; text: string; pos: number; len: number }

const WORD = /[A-Za-z0-9_.:/\-]/;
const OPS = ['==', '!=', '<=', '>=', '<', '>'];
const WORD_OPS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', contains: 'contains', in: 'in' };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) { i++; continue; }
    const two = s.slice(i, i + 2);
    if (two === '&&') { out.push({ kind: 'and', text: two, pos: i, len: 2 }); i += 2; continue; }
    if (two === '||') { out.push({ kind: 'or', text: two, pos: i, len: 2 }); i += 2; continue; }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (op) { out.push({ kind: 'op', text: op, pos: i, len: op.length }); i += op.length; continue; }
    if (c === '!') { out.push({ kind: 'not', text: c, pos: i, len: 1 }); i++; continue; }
    if (c === '(') { out.push({ kind: 'lparen', text: c, pos: i, len: 1 }); i++; continue; }
    if (c === ')') { out.push({ kind: 'rparen', text: c, pos: i, len: 1 }); i++; continue; }
    if (c === '{') { out.push({ kind: 'lbrace', text: c, pos: i, len: 1 }); i++; continue; }
    if (c === '}') { out.push({ kind: 'rbrace', text: c, pos: i, len: 1 }); i++; continue; }
    if (c === ',') { out.push({ kind: 'comma', text: c, pos: i, len: 1 }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\') {
          const n = s[j + 1];
          if (n === undefined) break;
          text += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else text += s[j++];
      }
      if (j >= s.length) throw new DisplayFilterError('unterminated string', i + 1, s.length - i);
      out.push({ kind: 'string', text, pos: i, len: j + 1 - i });
      i = j + 1;
      continue;
    }
    if (WORD.test(c)) {
      let j = i;
      while (j < s.length && WORD.test(s[j])) j++;
      const text = s.slice(i, j);
      const lower = text.toLowerCase();
      if (lower === 'and') out.push({ kind: 'and', text, pos: i, len: j - i });
      else if (lower === 'or') out.push({ kind: 'or', text, pos: i, len: j - i });
      else if (lower === 'not') out.push({ kind: 'not', text, pos: i, len: j - i });
      else if (WORD_OPS[lower]) out.push({ kind: 'op', text: WORD_OPS[lower], pos: i, len: j - i });
      else out.push({ kind: 'word', text, pos: i, len: j - i });
      i = j;
      continue;
    }
    throw new DisplayFilterError(`unexpected character "${c}"`, i + 1, 1);
  }
  out.push({ kind: 'end', text: '', pos: s.length, len: 0 });
  return out;
}

// ---------------------------------------------------------------- fields

type FieldKind = 'ip' | 'port' | 'number' | 'text' | 'enum' | 'flag' | 'proto';

interface FieldDef {
  kind: FieldKind;
  /** SQL expressions over `f`; several = "either matches". */
  columns: string[];
  /** Implied protocol (tcp.port only matches TCP flows). */
  proto?: 'tcp' | 'udp' | 'icmp';
  /** User value × scale = stored value (seconds → µs). */
  scale?: number;
  values?: readonly string[];
  upper?: boolean;
  doc: string;
}

const ZEEK_STATES = CONN_STATES;
const num = (column: string, doc: string, scale?: number): FieldDef => ({ kind: 'number', columns: [column], scale, doc });

export const FILTER_FIELDS: Record<string, FieldDef> = {
  'ip.addr': { kind: 'ip', columns: ['f.orig_ip', 'f.resp_ip'], doc: 'either endpoint address (or CIDR)' },
  'ip.src': { kind: 'ip', columns: ['f.orig_ip'], doc: 'originator address' },
  'ip.dst': { kind: 'ip', columns: ['f.resp_ip'], doc: 'responder address' },
  'ipv6.addr': { kind: 'ip', columns: ['f.orig_ip', 'f.resp_ip'], doc: 'either endpoint address' },
  'ipv6.src': { kind: 'ip', columns: ['f.orig_ip'], doc: 'originator address' },
  'ipv6.dst': { kind: 'ip', columns: ['f.resp_ip'], doc: 'responder address' },
  orig_ip: { kind: 'ip', columns: ['f.orig_ip'], doc: 'originator address' },
  resp_ip: { kind: 'ip', columns: ['f.resp_ip'], doc: 'responder address' },
  port: { kind: 'port', columns: ['f.orig_port', 'f.resp_port'], doc: 'either port, any protocol' },
  'tcp.port': { kind: 'port', columns: ['f.orig_port', 'f.resp_port'], proto: 'tcp', doc: 'either TCP port' },
  'udp.port': { kind: 'port', columns: ['f.orig_port', 'f.resp_port'], proto: 'udp', doc: 'either UDP port' },
  'tcp.srcport': { kind: 'port', columns: ['f.orig_port'], proto: 'tcp', doc: 'originator TCP port' },
  'tcp.dstport': { kind: 'port', columns: ['f.resp_port'], proto: 'tcp', doc: 'responder TCP port' },
  'udp.srcport': { kind: 'port', columns: ['f.orig_port'], proto: 'udp', doc: 'originator UDP port' },
  'udp.dstport': { kind: 'port', columns: ['f.resp_port'], proto: 'udp', doc: 'responder UDP port' },
  orig_port: { kind: 'port', columns: ['f.orig_port'], doc: 'originator port' },
  resp_port: { kind: 'port', columns: ['f.resp_port'], doc: 'responder port' },
  'tcp.flags.reset': { kind: 'flag', columns: ['f.rst_by IS NOT NULL'], doc: '1 when a RST was seen on the flow' },
  state: { kind: 'enum', columns: ['f.state'], values: ZEEK_STATES, upper: true, doc: 'Zeek conn_state' },
  conn_state: { kind: 'enum', columns: ['f.state'], values: ZEEK_STATES, upper: true, doc: 'Zeek conn_state' },
  history: { kind: 'text', columns: ['f.history'], doc: 'Zeek history letters (case matters)' },
  proto: { kind: 'enum', columns: ['f.proto'], values: ['tcp', 'udp', 'icmp'], doc: 'tcp | udp | icmp' },
  rst_by: { kind: 'enum', columns: ['f.rst_by'], values: ['orig', 'resp', 'both'], doc: 'who sent RSTs' },
  tcp: { kind: 'proto', columns: ['f.proto'], proto: 'tcp', doc: 'TCP flows' },
  udp: { kind: 'proto', columns: ['f.proto'], proto: 'udp', doc: 'UDP flows' },
  icmp: { kind: 'proto', columns: ['f.proto'], proto: 'icmp', doc: 'ICMP flows' },
  icmpv6: { kind: 'proto', columns: ['f.proto'], proto: 'icmp', doc: 'ICMP flows (the case stores ICMPv6 as icmp)' },
  id: num('f.id', 'flow id (as links from findings and RSTs use)'),
  duration: num('(f.end_us - f.start_us)', 'seconds', 1e6),
  start: num('f.start_us', 'epoch seconds', 1e6),
  end: num('f.end_us', 'epoch seconds', 1e6),
  orig_bytes: num('f.orig_bytes', 'payload bytes from the originator'),
  resp_bytes: num('f.resp_bytes', 'payload bytes from the responder'),
  orig_pkts: num('f.orig_pkts', 'packets from the originator'),
  resp_pkts: num('f.resp_pkts', 'packets from the responder'),
  orig_ip_bytes: num('f.orig_ip_bytes', 'IP bytes from the originator'),
  resp_ip_bytes: num('f.resp_ip_bytes', 'IP bytes from the responder'),
  missed_bytes: num('f.missed_bytes', 'sequence space not seen'),
  icmp_errors: num('f.icmp_errors', 'ICMP errors tied to the flow'),
  orig_ttl: num('f.orig_ttl', 'first originator TTL'),
  resp_ttl: num('f.resp_ttl', 'first responder TTL'),
};

const FIELD_OPS: Record<FieldKind, string[]> = {
  ip: ['==', '!=', 'in'],
  port: ['==', '!=', '<', '>', '<=', '>=', 'in'],
  number: ['==', '!=', '<', '>', '<=', '>=', 'in'],
  text: ['==', '!=', 'contains', 'in'],
  enum: ['==', '!=', 'in'],
  flag: ['==', '!='],
  proto: [],
};

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

function unknownField(t: Token): DisplayFilterError {
  const best = Object.keys(FILTER_FIELDS).map((f) => ({ f, d: editDistance(t.text.toLowerCase(), f) })).sort((a, b) => a.d - b.d)[0];
  const hint = best && best.d <= 2 ? ` (did you mean ${best.f}?)` : '';
  return new DisplayFilterError(`unknown field "${t.text}"${hint}`, t.pos + 1, t.len);
}

// ---------------------------------------------------------------- parser + compiler

class Compiler {
  private i = 0;
  readonly params: (string | number)[] = [];
  constructor(private readonly toks: Token[]) {}

  private peek(): Token { return this.toks[this.i]; }
  private next(): Token { return this.toks[this.i++]; }
  private fail(t: Token, msg: string): never {
    throw new DisplayFilterError(msg, t.pos + 1, Math.max(1, t.len));
  }
  private describe(t: Token): string { return t.kind === 'end' ? 'the end of the filter' : `"${t.text}"`; }

  run(): string {
    const sql = this.or();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t, `expected && or || before ${this.describe(t)}`);
    return sql;
  }

  private or(): string {
    let left = this.and();
    while (this.peek().kind === 'or') {
      this.next();
      left = `(${left} OR ${this.and()})`;
    }
    return left;
  }

  private and(): string {
    let left = this.unary();
    while (this.peek().kind === 'and') {
      this.next();
      left = `(${left} AND ${this.unary()})`;
    }
    return left;
  }

  private unary(): string {
    if (this.peek().kind === 'not') {
      this.next();
      return `(NOT ${this.unary()})`;
    }
    return this.primary();
  }

  private primary(): string {
    const t = this.next();
    if (t.kind === 'lparen') {
      const inner = this.or();
      const close = this.next();
      if (close.kind !== 'rparen') this.fail(close, `expected ) to close the ( at column ${t.pos + 1}, found ${this.describe(close)}`);
      return inner;
    }
    if (t.kind !== 'word') this.fail(t, `expected a field name, found ${this.describe(t)}`);
    const field = FILTER_FIELDS[t.text.toLowerCase()];
    if (!field) throw unknownField(t);
    const opTok = this.peek();
    if (opTok.kind !== 'op') return this.presence(field);
    this.next();
    const op = opTok.text;
    if (!FIELD_OPS[field.kind].includes(op)) {
      this.fail(opTok, `${t.text} cannot be compared with ${op === 'in' || op === 'contains' ? op : `"${op}"`}; use ${FIELD_OPS[field.kind].join(' ') || 'it alone'}`);
    }
    const mark = this.params.length;
    let sql: string;
    if (op === 'in') sql = this.inSet(field);
    else {
      const v = this.next();
      if (v.kind !== 'word' && v.kind !== 'string') this.fail(v, `expected a value after ${opTok.text}, found ${this.describe(v)}`);
      const eq = this.equals(field, op === '!=' ? '==' : op, v);
      sql = op === '!=' ? `(NOT ${eq})` : eq;
    }
    // tcp.port == 80 only matches TCP flows: the implied protocol is ANDed in, its parameter first.
    if (!field.proto) return sql;
    this.params.splice(mark, 0, field.proto);
    return `(f.proto = ? AND ${sql})`;
  }

  private presence(field: FieldDef): string {
    if (field.kind === 'proto') {
      this.params.push(field.proto!);
      return '(f.proto = ?)';
    }
    if (field.kind === 'flag') return `(${field.columns[0]})`;
    if (field.proto) {
      this.params.push(field.proto);
      return '(f.proto = ?)';
    }
    return '(1)';
  }

  private inSet(field: FieldDef): string {
    const open = this.next();
    if (open.kind !== 'lbrace') this.fail(open, `expected { after in, found ${this.describe(open)}`);
    const parts: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'rbrace') break;
      if (t.kind === 'comma') continue;
      if (t.kind !== 'word' && t.kind !== 'string') this.fail(t, `expected a value or } in the set, found ${this.describe(t)}`);
      const range = t.kind === 'word' ? t.text.split('..') : [t.text];
      if (range.length === 2 && (field.kind === 'port' || field.kind === 'number')) {
        const lo = this.number(field, { ...t, text: range[0] });
        const hi = this.number(field, { ...t, text: range[1] });
        parts.push(this.anyColumn(field, (c) => {
          this.params.push(lo, hi);
          return `${c} BETWEEN ? AND ?`;
        }));
      } else parts.push(this.equals(field, '==', t));
    }
    if (parts.length === 0) this.fail(open, 'the set is empty');
    return `(${parts.join(' OR ')})`;
  }

  private anyColumn(field: FieldDef, one: (column: string) => string): string {
    const parts = field.columns.map(one);
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }

  private number(field: FieldDef, v: Token): number {
    if (v.kind === 'string' || !/^-?\d+(\.\d+)?$/.test(v.text)) this.fail(v, `"${v.text}" is not a number`);
    const n = Number(v.text);
    if (field.kind === 'port' && (!Number.isInteger(n) || n < 0 || n > 65535)) this.fail(v, `${v.text} is not a port (0-65535)`);
    return field.scale ? Math.round(n * field.scale) : n;
  }

  private equals(field: FieldDef, op: string, v: Token): string {
    const sqlOp = op === '==' ? '=' : op;
    switch (field.kind) {
      case 'ip': {
        const cidr = v.kind === 'word' ? parseCidr(v.text) : null;
        if (!cidr) this.fail(v, `"${v.text}" is not an IP address or CIDR`);
        const full = cidr.bits === cidr.bytes.length * 8;
        if (full) {
          const text = ipText(cidr.bytes);
          return this.anyColumn(field, (c) => { this.params.push(text); return `${c} = ?`; });
        }
        const prefix = ipv4TextPrefix(cidr);
        if (prefix) {
          const upper = prefix.slice(0, -1) + '/';
          return this.anyColumn(field, (c) => { this.params.push(prefix, upper); return `(${c} >= ? AND ${c} < ?)`; });
        }
        const net = `${ipText(cidr.bytes)}/${cidr.bits}`;
        return this.anyColumn(field, (c) => { this.params.push(net); return `ip_in_cidr(${c}, ?)`; });
      }
      case 'port':
      case 'number': {
        const n = this.number(field, v);
        return this.anyColumn(field, (c) => { this.params.push(n); return `${c} ${sqlOp} ?`; });
      }
      case 'text': {
        if (op === 'contains') {
          if (v.text === '') this.fail(v, 'contains needs a non-empty value');
          this.params.push(v.text);
          return `(instr(${field.columns[0]}, ?) > 0)`;
        }
        this.params.push(v.text);
        return `${field.columns[0]} = ?`;
      }
      case 'enum': {
        const val = field.upper ? v.text.toUpperCase() : v.text.toLowerCase();
        if (!field.values!.includes(val)) this.fail(v, `"${v.text}" is not one of ${field.values!.join(' ')}`);
        this.params.push(val);
        return `${field.columns[0]} = ?`;
      }
      case 'flag': {
        if (v.text !== '0' && v.text !== '1') this.fail(v, `"${v.text}" must be 0 or 1`);
        return v.text === '1' ? `(${field.columns[0]})` : `(NOT (${field.columns[0]}))`;
      }
      case 'proto':
        return this.fail(v, 'a protocol name is used alone (e.g. `tcp`)');
    }
  }
}

/** Compiles a filter; `null` when it is empty. Throws DisplayFilterError with the column of the bad token. */
export function compileDisplayFilter(filter: string): CompiledFilter | null {
  if (filter.trim() === '') return null;
  const c = new Compiler(tokenize(filter));
  const sql = c.run();
  return { sql, params: c.params };
}

/** The filter that selects exactly this flow's 5-tuple (both directions), to copy into Wireshark. */
export function flowDisplayFilter(f: { proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number }): string {
  const v6 = f.orig_ip.includes(':');
  const ip = v6 ? 'ipv6' : 'ip';
  if (f.proto === 'tcp' || f.proto === 'udp') {
    return `${ip}.addr == ${f.orig_ip} && ${ip}.addr == ${f.resp_ip} && ${f.proto}.port == ${f.orig_port} && ${f.proto}.port == ${f.resp_port}`;
  }
  return `${ip}.addr == ${f.orig_ip} && ${ip}.addr == ${f.resp_ip} && ${f.proto === 'icmp' ? (v6 ? 'icmpv6' : 'icmp') : f.proto}`;
}

/** Checks a filter without compiling for use: `null` when fine, else the error. */
export function checkDisplayFilter(filter: string): DisplayFilterError | null {
  try {
    compileDisplayFilter(filter);
    return null;
  } catch (e) {
    if (e instanceof DisplayFilterError) return e;
    throw e;
  }
}

