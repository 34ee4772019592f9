import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import { isShim, shimInfo } from './shim.js';
import { readTreeLine } from './tree-line.js';
import type { PstreeRecord } from './types.js';

/**
 * Reads one or more pstree trees (several `pstree -aps PID` runs may be pasted one after the
 * other, separated by prompt lines). Parents come from the indentation: the nearest line above
 * at depth-1.
 */
export function parsePstree(text: string, ctx: TextParseContext): TextParseResult<PstreeRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: PstreeRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  // stack[d] = pid of the latest entry at depth d in the current tree.
  let stack: number[] = [];
  lines.forEach((l, i) => {
    if (l.text.trim() === '') return;
    if (isPromptLine(l.text) && !/^\s+[|`│├└]/.test(l.text)) {
      stack = [];
      return;
    }
    const parsed = readTreeLine(l.text.replace(/\s+$/, ''));
    const isLast = i === lines.length - 1 && !endsWithNewline;
    if (typeof parsed === 'string') {
      sink.rejectLine(l.line, l.text, parsed, isLast);
      return;
    }
    if (parsed.depth > 0 && stack[parsed.depth - 1] === undefined) {
      sink.malformed(l.line, l.text, 'entry is deeper than any parent above it');
      return;
    }
    const rec: PstreeRecord = {
      pid: parsed.pid,
      name: parsed.name,
      depth: parsed.depth,
      isThread: parsed.isThread,
      line: l.line,
    };
    if (parsed.args !== undefined) rec.args = parsed.args;
    if (parsed.depth > 0) rec.parentPid = stack[parsed.depth - 1]!;
    if (parsed.noCommandLine) rec.noCommandLine = true;
    if (parsed.namespaces) rec.namespaces = parsed.namespaces;
    if (isShim(rec) && shimInfo(rec).idMasked) {
      const raw = /(?:^|\s)(?:-id|--id|-c|--cid)\s+(\S+)/.exec(rec.args ?? '')?.[1] ?? '';
      sink.masked(l.line, 'shim id', raw);
      rec.masked = ['shimId'];
    }
    if (isLast && parsed.args !== undefined) {
      sink.truncated(l.line, 'the file ends without a newline: the last command line may be cut');
    }
    stack = stack.slice(0, parsed.depth);
    stack[parsed.depth] = parsed.pid;
    records.push(rec);
  });
  return { records, diagnostics: sink.finish() };
}
