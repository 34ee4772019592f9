import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import type { UfwRecord, UfwRule, UfwStatus } from './types.js';

/**
 * The To cell may be wider than its column and push the action right, so a rule line is split
 * at its action word (ALLOW/DENY/REJECT/LIMIT, optionally IN/OUT/FWD) rather than by position.
 */
const RULE = /^(?:\[\s*(\d+)\]\s+)?(.+?)\s+(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD))?\s+(.+?)\s*$/;

export function parseUfw(text: string, ctx: TextParseContext): TextParseResult<UfwRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: UfwRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  let status: UfwStatus | undefined;
  let inTable = false;
  lines.forEach((l, i) => {
    const t = l.text.trim();
    if (t === '' || isPromptLine(l.text)) return;
    const fail = (why: string) => sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
    const st = /^Status: (active|inactive)$/.exec(t);
    if (st) {
      status = { type: 'status', active: st[1] === 'active', line: l.line };
      records.push(status);
      inTable = false;
      return;
    }
    if (!status) return fail('line before "Status:"');
    const logging = /^Logging: (.+)$/.exec(t);
    if (logging) {
      status.logging = logging[1]!;
      return;
    }
    const def = /^Default: (.+)$/.exec(t);
    if (def) {
      for (const m of def[1]!.matchAll(/(\S+) \((incoming|outgoing|routed)\)/g)) {
        const key = { incoming: 'defaultIncoming', outgoing: 'defaultOutgoing', routed: 'defaultRouted' }[m[2] as 'incoming'] as
          | 'defaultIncoming'
          | 'defaultOutgoing'
          | 'defaultRouted';
        status[key] = m[1]!;
      }
      return;
    }
    if (/^New profiles: /.test(t)) return;
    if (/^To\s+Action\s+From$/.test(t)) {
      inTable = true;
      return;
    }
    if (/^--\s+------\s+----$/.test(t)) return;
    if (!inTable) return fail('rule line before the "To Action From" header');
    const m = RULE.exec(t);
    if (!m) return fail('not a "To  Action  From" rule');
    records.push(rule(m, l.line));
  });
  return { records, diagnostics: sink.finish() };
}

function rule(m: RegExpExecArray, line: number): UfwRule {
  const to = m[2]!.trim();
  let fromAndComment = m[5]!;
  let comment: string | undefined;
  const hash = /\s#\s(.*)$/.exec(` ${fromAndComment}`);
  if (hash) {
    comment = hash[1]!.trim();
    fromAndComment = ` ${fromAndComment}`.slice(0, hash.index).trim();
  }
  // numbered output marks outgoing rules with a trailing "(out)" after From.
  const from = fromAndComment.replace(/\s+\(out\)$/, '').trim();
  const r: UfwRule = { type: 'rule', to, from, action: m[3]!, v6: /\(v6\)/.test(to) || /\(v6\)/.test(from), line };
  if (m[1] !== undefined) r.num = Number(m[1]);
  if (m[4]) r.direction = m[4];
  if (comment) r.comment = comment;
  const toSide = side(to);
  const fromSide = side(from);
  if (toSide.iface ?? fromSide.iface) r.interface = (toSide.iface ?? fromSide.iface)!;
  if (toSide.address) r.toAddress = toSide.address;
  if (fromSide.address) r.fromAddress = fromSide.address;
  if (toSide.ports) r.ports = toSide.ports;
  if (toSide.protocol) r.protocol = toSide.protocol;
  if (toSide.app) r.app = toSide.app;
  return r;
}

/** One side of a rule: `[address] [ports[/proto] | app] [on IFACE] [(v6)]`, or `Anywhere`. */
function side(text: string): { address?: string; ports?: string[]; protocol?: string; app?: string; iface?: string } {
  let s = text.replace(/\s*\(v6\)/g, '').trim();
  const out: { address?: string; ports?: string[]; protocol?: string; app?: string; iface?: string } = {};
  const on = /\s+on\s+(\S+)$/.exec(s);
  if (on) {
    out.iface = on[1]!;
    s = s.slice(0, on.index).trim();
  }
  for (const w of s.split(/\s+/).filter((x) => x !== '' && x !== 'Anywhere')) {
    const ports = /^(\d+(?::\d+)?(?:,\d+(?::\d+)?)*)(?:\/(tcp|udp))?$/.exec(w);
    if (ports) {
      out.ports = ports[1]!.split(',');
      if (ports[2]) out.protocol = ports[2];
    } else if (/^[\d.:a-fA-F]+(\/\d+)?$/.test(w) && /[.:]/.test(w)) out.address = w;
    else out.app = out.app ? `${out.app} ${w}` : w;
  }
  return out;
}
