import type { TextParseContext, TextParseResult } from '../text-format.js';
import {
  DiagnosticSink,
  arr,
  isMaskedNumber,
  isPromptLine,
  num,
  obj,
  opt,
  readJsonDocuments,
  splitLines,
  str,
} from '../node-text/index.js';
import { lsnsCells, lsnsHeader, type LsnsColumn } from './table.js';
import type { LsnsRecord } from './types.js';

const NS_TYPES = new Set(['net', 'mnt', 'pid', 'uts', 'ipc', 'user', 'cgroup', 'time']);

export function parseLsns(text: string, ctx: TextParseContext): TextParseResult<LsnsRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: LsnsRecord[] = /^\s*\{/.test(text) ? readJson(text, sink) : readTable(text, sink);
  return { records, diagnostics: sink.finish() };
}

function readTable(text: string, sink: DiagnosticSink): LsnsRecord[] {
  const out: LsnsRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  let cols: LsnsColumn[] | undefined;
  lines.forEach((l, i) => {
    if (l.text.trim() === '') return;
    if (isPromptLine(l.text)) {
      cols = undefined;
      return;
    }
    const h = lsnsHeader(l.text);
    if (h) {
      cols = h;
      return;
    }
    const fail = (why: string) => sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
    if (!cols) return fail('line before the lsns header');
    const cells = lsnsCells(l.text, cols);
    if (typeof cells === 'string') return fail(cells);
    const rec = fromCells(cells, cols, l.line, sink);
    if (typeof rec === 'string') return fail(rec);
    if (rec) out.push(rec);
  });
  return out;
}

function fromCells(cells: Map<string, string>, cols: LsnsColumn[], line: number, sink: DiagnosticSink): LsnsRecord | string | undefined {
  for (const c of cols) {
    // NSFS, NETNSID and PATH are legitimately blank; everything else must be there.
    if (!cells.has(c.name) && !['NSFS', 'NETNSID', 'PATH'].includes(c.name)) return `no ${c.name} value`;
  }
  const masked: string[] = [];
  const number = (field: string, value: string | undefined): number | undefined | string => {
    if (value === undefined) return undefined;
    if (/^\d+$/.test(value)) return Number(value);
    if (isMaskedNumber(value)) {
      masked.push(field);
      sink.masked(line, field, value);
      return undefined;
    }
    return `${field} ${JSON.stringify(value)} is not a number`;
  };
  const inode = number('inode', cells.get('NS'));
  if (typeof inode === 'string') return inode;
  const type = cells.get('TYPE') ?? '';
  if (!NS_TYPES.has(type)) return `unknown namespace type ${JSON.stringify(type)}`;
  const nprocs = number('nprocs', cells.get('NPROCS'));
  const pid = number('pid', cells.get('PID'));
  if (typeof nprocs === 'string') return nprocs;
  if (typeof pid === 'string') return pid;
  const netnsidText = cells.get('NETNSID');
  const netnsid = netnsidText === undefined || netnsidText === 'unassigned' ? undefined : number('netnsid', netnsidText);
  if (typeof netnsid === 'string') return netnsid;
  // A namespace whose inode is masked cannot be matched to anything: it is reported, not kept.
  if (inode === undefined) return undefined;
  const rec: LsnsRecord = {
    inode,
    type,
    line,
    ...opt('nprocs', nprocs),
    ...opt('pid', pid),
    ...opt('user', cells.get('USER')),
    ...opt('netnsid', netnsid),
    ...opt('nsfs', cells.get('NSFS')),
    ...opt('command', cells.get('COMMAND')),
  };
  if (masked.length) rec.masked = masked;
  return rec;
}

function readJson(text: string, sink: DiagnosticSink): LsnsRecord[] {
  const out: LsnsRecord[] = [];
  const res = readJsonDocuments(text);
  for (const doc of res.documents) {
    const list = obj(doc.value).namespaces;
    if (!Array.isArray(list)) {
      sink.malformed(doc.line, '{…}', 'JSON document has no "namespaces" array');
      continue;
    }
    arr(list).forEach((raw, i) => {
      const line = doc.elementLines.get('namespaces')?.[i] ?? doc.line;
      const n = obj(raw);
      const inode = num(n.ns);
      const type = str(n.type);
      if (inode === undefined || !type || !NS_TYPES.has(type)) {
        sink.malformed(line, JSON.stringify(raw).slice(0, 200), 'namespace entry without a numeric "ns" and a known "type"');
        return;
      }
      const netnsid = n.netnsid === 'unassigned' ? undefined : num(n.netnsid);
      out.push({
        inode,
        type,
        line,
        ...opt('nprocs', num(n.nprocs)),
        ...opt('pid', num(n.pid)),
        ...opt('user', str(n.user)),
        ...opt('netnsid', netnsid),
        ...opt('nsfs', str(n.nsfs) || undefined),
        ...opt('command', str(n.command)),
      });
    });
  }
  if (res.truncated) sink.truncated(splitLines(text).lines.length, 'the JSON ends mid-document; complete namespaces before the cut were kept');
  if (res.error) sink.add('TEXT_BAD_JSON', res.error.message, res.error.line);
  return out;
}
