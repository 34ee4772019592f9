import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import type { IpvsRealServer, IpvsRecord, IpvsServiceKey, IpvsVirtualService } from './types.js';

/** `[fd00::1]:443`, `10.96.0.1:443`, `kubernetes.default:https`. */
function hostPort(text: string): { address: string; port?: number; portName?: string } | undefined {
  const m = /^\[([^\]]+)\]:(\S+)$/.exec(text) ?? /^([^:\s]+):(\S+)$/.exec(text);
  if (!m) return undefined;
  const port = m[2]!;
  return /^\d+$/.test(port) ? { address: m[1]!, port: Number(port) } : { address: m[1]!, portName: port };
}

export function parseIpvs(text: string, ctx: TextParseContext): TextParseResult<IpvsRecord> {
  const sink = new DiagnosticSink(ctx.source);
  const records: IpvsRecord[] = [];
  const { lines, endsWithNewline } = splitLines(text);
  let current: IpvsServiceKey | undefined;
  lines.forEach((l, i) => {
    const t = l.text.trim();
    if (t === '' || isPromptLine(l.text)) return;
    if (/^IP Virtual Server version/.test(t) || /^Prot LocalAddress:Port/.test(t) || /^-> RemoteAddress:Port/.test(t)) return;
    const why = readLine(t, l.line);
    if (why) sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
  });
  return { records, diagnostics: sink.finish() };

  function readLine(t: string, line: number): string | undefined {
    if (t.startsWith('->')) {
      if (!current) return 'real server before any virtual service';
      const m = /^->\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(\d+)\s+(\d+)$/.exec(t);
      if (!m) return 'real server line is not "-> addr:port Forward Weight ActiveConn InActConn"';
      const hp = hostPort(m[1]!);
      if (!hp) return 'real server address is not addr:port';
      const rs: IpvsRealServer = {
        type: 'real',
        virtual: current,
        address: hp.address,
        forward: m[2]!,
        weight: Number(m[3]),
        activeConn: Number(m[4]),
        inactConn: Number(m[5]),
        line,
      };
      if (hp.port !== undefined) rs.port = hp.port;
      if (hp.portName !== undefined) rs.portName = hp.portName;
      records.push(rs);
      return undefined;
    }
    const words = t.split(/\s+/);
    const proto = words[0]!;
    if (!/^(TCP|UDP|SCTP|FWM)$/.test(proto) || words.length < 3) return 'not a virtual service or real server line';
    const vs: IpvsVirtualService = { type: 'virtual', protocol: proto, scheduler: words[2]!, flags: words.slice(3), line };
    if (proto === 'FWM') {
      if (!/^\d+$/.test(words[1]!)) return 'firewall mark is not a number';
      vs.fwmark = Number(words[1]);
    } else {
      const hp = hostPort(words[1]!);
      if (!hp) return 'virtual service address is not addr:port';
      vs.address = hp.address;
      if (hp.port !== undefined) vs.port = hp.port;
      if (hp.portName !== undefined) vs.portName = hp.portName;
    }
    const p = vs.flags.indexOf('persistent');
    if (p >= 0 && /^\d+$/.test(vs.flags[p + 1] ?? '')) vs.persistentTimeout = Number(vs.flags[p + 1]);
    const { type: _t, scheduler: _s, flags: _f, persistentTimeout: _p, line: _l, ...key } = vs;
    current = key;
    records.push(vs);
    return undefined;
  }
}
