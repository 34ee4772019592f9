import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import { kubeProxyServices } from './kube-proxy.js';
import { ListReader } from './list.js';
import { SaveReader } from './save.js';
import type { IptablesRecord } from './types.js';

/**
 * iptables-save and iptables -L output, also several of them pasted one after the other with
 * prompt lines (`# iptables -t nat -L -n`), whose -t gives the listing's table. kube-proxy service
 * records are derived at the end from all rules read.
 */
export function parseIptables(text: string, ctx: TextParseContext): TextParseResult<IptablesRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: IptablesRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  const save = new SaveReader(sink, records);
  let list = new ListReader(sink, records, undefined);
  let mode: 'save' | 'list' | undefined;
  lines.forEach((l, i) => {
    const t = l.text.trim();
    if (t === '') return;
    if (isPromptLine(l.text) && !/^#\s*(Generated|Completed) by/.test(t) && /\b(ip6?tables|iptables-save)\b/.test(t)) {
      const table = /(?:^|\s)(?:-t|--table)\s+(\S+)/.exec(t)?.[1];
      list = new ListReader(sink, records, table ?? (/-save\b/.test(t) ? undefined : 'filter'));
      mode = undefined;
      return;
    }
    if (/^(\*|:|COMMIT$|#|\[\d+:\d+\] -A |-A )/.test(t)) mode = 'save';
    else if (/^Chain /.test(t)) mode = 'list';
    let why: string | undefined;
    if (mode === 'save') why = save.line(l);
    else if (mode === 'list') why = list.line(l);
    else why = isPromptLine(l.text) ? undefined : 'line before any iptables-save table or Chain listing';
    if (why) sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
  });
  save.finish();
  records.push(...kubeProxyServices(records));
  return { records, diagnostics: sink.finish() };
}
