/**
 * The YAML kubectl prints (`-o yaml`): block mappings and sequences (a sequence may sit at its
 * key's indentation, as go-yaml writes it), plain/quoted scalars, `{}`/`[]`, block scalars and
 * `---` between documents. Not a general YAML reader: anchors, tags and flow collections with
 * content are kept as their text, since kubectl never prints them in the objects podcap reads.
 */
export interface YamlDocument {
  value: unknown;
  line: number;
}

export interface YamlReadResult {
  documents: YamlDocument[];
  /** 1-based line where each mapping or sequence element started (for evidence). */
  lineOf: Map<object, number>;
  error?: { message: string; line: number };
}

interface Line {
  indent: number;
  text: string;
  line: number;
}

class YamlError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

export function readYamlDocuments(text: string): YamlReadResult {
  const lineOf = new Map<object, number>();
  const documents: YamlDocument[] = [];
  let doc: Line[] = [];
  const raw = text.split('\n');
  const flush = () => {
    if (doc.length === 0) return;
    const p = new Parser(doc, lineOf);
    documents.push({ value: p.node(doc[0]!.indent), line: doc[0]!.line });
    if (p.i < doc.length) throw new YamlError(`unexpected indentation: ${JSON.stringify(doc[p.i]!.text.slice(0, 60))}`, doc[p.i]!.line);
    doc = [];
  };
  try {
    for (let i = 0; i < raw.length; i++) {
      const t = raw[i]!.replace(/\r$/, '');
      if (/^(---|\.\.\.)\s*$/.test(t)) {
        flush();
        continue;
      }
      if (t.trim() === '' || /^\s*#/.test(t)) {
        // Blank lines inside a block scalar belong to it; the parser re-reads them from `raw` there.
        if (doc.length > 0) doc.push({ indent: Number.MAX_SAFE_INTEGER, text: '', line: i + 1 });
        continue;
      }
      if (/^\t/.test(t)) throw new YamlError('tab indentation', i + 1);
      const indent = t.length - t.trimStart().length;
      doc.push({ indent, text: t.trimStart(), line: i + 1 });
    }
    flush();
    return { documents, lineOf };
  } catch (e) {
    if (e instanceof YamlError) return { documents, lineOf, error: { message: e.message, line: e.line } };
    throw e;
  }
}

/** kubectl's objects nest a dozen levels; a deeper file is not kubectl's and must not exhaust the stack. */
const MAX_DEPTH = 100;

class Parser {
  i = 0;
  private depth = 0;
  constructor(private readonly lines: Line[], private readonly lineOf: Map<object, number>) {}

  private skipBlank(): void {
    while (this.i < this.lines.length && this.lines[this.i]!.text === '') this.i++;
  }

  node(indent: number): unknown {
    this.skipBlank();
    const l = this.lines[this.i];
    if (!l || l.indent < indent) return null;
    if (++this.depth > MAX_DEPTH) throw new YamlError(`nested deeper than ${MAX_DEPTH} levels`, l.line);
    try {
      if (l.text === '-' || l.text.startsWith('- ')) return this.sequence(l.indent);
      if (keyOf(l.text)) return this.mapping(l.indent);
      this.i++;
      return scalar(l.text, l.line);
    } finally {
      this.depth--;
    }
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skipBlank();
      const l = this.lines[this.i];
      if (!l || l.indent !== indent || !(l.text === '-' || l.text.startsWith('- '))) return out;
      const rest = l.text === '-' ? '' : l.text.slice(2).trimStart();
      let v: unknown;
      if (rest === '') {
        this.i++;
        v = this.node(indent + 1);
      } else {
        // `- key: v` opens a mapping whose later keys sit under `key`: read the rest as that line.
        const inner = indent + (l.text.length - rest.length);
        this.lines[this.i] = { indent: inner, text: rest, line: l.line };
        v = this.node(inner);
      }
      if (v !== null && typeof v === 'object') this.lineOf.set(v, l.line);
      out.push(v);
    }
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.lineOf.set(out, this.lines[this.i]!.line);
    for (;;) {
      this.skipBlank();
      const l = this.lines[this.i];
      if (!l || l.indent !== indent) return out;
      const kv = keyOf(l.text);
      if (!kv) throw new YamlError(`expected "key: value": ${JSON.stringify(l.text.slice(0, 60))}`, l.line);
      this.i++;
      const [key, rest] = kv;
      if (rest === '') {
        this.skipBlank();
        const next = this.lines[this.i];
        if (next && (next.indent > indent || (next.indent === indent && (next.text === '-' || next.text.startsWith('- '))))) out[key] = this.node(next.indent);
        else out[key] = null;
      } else if (/^[|>][-+0-9]*$/.test(rest)) {
        out[key] = this.block(indent, rest[0] === '|');
      } else {
        out[key] = scalar(rest, l.line);
      }
    }
  }

  /** A `|` or `>` block scalar: the lines indented deeper than its key. */
  private block(indent: number, literal: boolean): string {
    const parts: string[] = [];
    let base: number | undefined;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.text !== '' && l.indent <= indent) break;
      if (l.text !== '') base ??= l.indent;
      parts.push(l.text === '' ? '' : ' '.repeat(l.indent - (base ?? l.indent)) + l.text);
      this.i++;
    }
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    return parts.join(literal ? '\n' : ' ') + '\n';
  }
}

/** `key: rest` or `key:` (quoted keys too); undefined when the line is not a mapping entry. */
function keyOf(text: string): [string, string] | undefined {
  const q = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(?:\s+(.*))?$/.exec(text);
  if (q) return [scalar(q[1]!, 0) as string, (q[2] ?? '').trim()];
  const m = /^([^\s#'"{[\]}&*!|>%@`,?-][^#]*?|-[^\s][^#]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!m) return undefined;
  // `http://x` is a plain scalar, not a key: a key's colon is followed by a space or the end.
  return [m[1]!, stripComment(m[2] ?? '').trim()];
}

function stripComment(v: string): string {
  if (v.startsWith('"') || v.startsWith("'")) return v;
  const i = v.search(/\s#/);
  return i >= 0 ? v.slice(0, i) : v;
}

function scalar(text: string, line: number): unknown {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new YamlError('unterminated double-quoted string', line);
    try {
      return JSON.parse(t.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1'));
    } catch {
      return t.slice(1, -1);
    }
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new YamlError('unterminated single-quoted string', line);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t === '{}') return {};
  if (t === '[]') return [];
  if (t === 'null' || t === '~' || t === '') return null;
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^-?(?:0|[1-9]\d*)$/.test(t) && Number.isSafeInteger(Number(t))) return Number(t);
  if (/^-?\d+\.\d+$/.test(t)) return Number(t);
  return t;
}
