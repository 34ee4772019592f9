import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import type { SsSummaryRecord, SsTcpCounts } from './types.js';

export function parseSsSummary(text: string, ctx: TextParseContext): TextParseResult<SsSummaryRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: SsSummaryRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  let inTable = false;
  lines.forEach((l, i) => {
    const t = l.text.trim();
    if (t === '' || isPromptLine(l.text)) return;
    const why = readLine(t, l.line);
    if (why) sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
  });
  return { records, diagnostics: sink.finish() };

  function readLine(t: string, line: number): string | undefined {
    let m = /^Total:\s+(\d+)(?:\s+\(kernel (\d+)\))?$/.exec(t);
    if (m) {
      records.push(m[2] === undefined ? { type: 'total', sockets: Number(m[1]), line } : { type: 'total', sockets: Number(m[1]), kernel: Number(m[2]), line });
      return undefined;
    }
    m = /^TCP:\s+(\d+)\s+\(([^)]*)\)(?:,\s*ports (\d+))?$/.exec(t);
    if (m) return readTcp(Number(m[1]), m[2]!, m[3], line);
    if (/^Transport\s+Total\s+IP\s+IPv6$/.test(t)) {
      inTable = true;
      return undefined;
    }
    m = /^(\S+)\s+(\d+|-)\s+(\d+|-)\s+(\d+|-)$/.exec(t);
    if (m && inTable) {
      const n = (s: string) => (s === '-' ? 0 : Number(s));
      records.push({ type: 'transport', transport: m[1]!, total: n(m[2]!), ip: n(m[3]!), ipv6: n(m[4]!), line });
      return undefined;
    }
    return 'not a line of ss -s';
  }

  function readTcp(total: number, inner: string, ports: string | undefined, line: number): string | undefined {
    const c: Record<string, string> = {};
    for (const part of inner.split(/,\s*/)) {
      const kv = /^(\w+) (\d+(?:\/\d+)?)$/.exec(part);
      if (!kv) return `TCP counter "${part}" is not "name number"`;
      c[kv[1]!] = kv[2]!;
    }
    if (c.estab === undefined || c.closed === undefined || c.orphaned === undefined || c.timewait === undefined) return 'TCP line lacks estab/closed/orphaned/timewait';
    const [tw, buckets] = c.timewait.split('/');
    const rec: SsTcpCounts = { type: 'tcp', total, estab: Number(c.estab), closed: Number(c.closed), orphaned: Number(c.orphaned), timewait: Number(tw), line };
    if (c.synrecv !== undefined) rec.synrecv = Number(c.synrecv);
    if (buckets !== undefined) rec.timewaitBuckets = Number(buckets);
    if (ports !== undefined) rec.ports = Number(ports);
    records.push(rec);
    return undefined;
  }
}
