import type { TextParseContext, TextParseResult } from '../text-format.js';
import { DiagnosticSink, isPromptLine, splitLines } from '../node-text/index.js';
import type { IpvsRate, IpvsRealServer, IpvsRecord, IpvsServiceKey, IpvsStats, IpvsVirtualService } from './types.js';

const UNIT: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Five counters as ipvsadm prints them (`830843K`, `1135M`), or undefined when one is not a count. */
function counters(cells: string[]): { values: number[]; rounded: number[] } | undefined {
  const values: number[] = [];
  const rounded: number[] = [];
  for (const [i, c] of cells.entries()) {
    const m = /^(\d+)([KMGT])?$/.exec(c);
    if (!m) return undefined;
    values.push(Number(m[1]) * (m[2] ? UNIT[m[2]]! : 1));
    if (m[2]) rounded.push(i);
  }
  return { values, rounded };
}

const STATS_FIELDS = ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'] as const;
const RATE_FIELDS = ['cps', 'inPps', 'outPps', 'inBps', 'outBps'] as const;

function counterRecord(mode: 'stats' | 'rate', cells: string[]): IpvsStats | IpvsRate | undefined {
  const c = counters(cells);
  if (!c) return undefined;
  const names = mode === 'stats' ? STATS_FIELDS : RATE_FIELDS;
  const out: Record<string, unknown> = {};
  names.forEach((n, i) => {
    out[n] = c.values[i];
  });
  if (c.rounded.length > 0) out.rounded = c.rounded.map((i) => names[i]!);
  return out as unknown as IpvsStats | IpvsRate;
}

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
  /** Which columns follow an address: set by the `Prot LocalAddress:Port …` title line. */
  let mode: 'list' | 'stats' | 'rate' = 'list';
  lines.forEach((l, i) => {
    const t = l.text.trim();
    if (t === '' || isPromptLine(l.text)) return;
    if (/^Prot LocalAddress:Port\s+Conns\s+InPkts/.test(t)) mode = 'stats';
    else if (/^Prot LocalAddress:Port\s+CPS\s+InPPS/.test(t)) mode = 'rate';
    else if (/^Prot LocalAddress:Port\s+Scheduler/.test(t)) mode = 'list';
    if (/^IP Virtual Server version/.test(t) || /^Prot LocalAddress:Port/.test(t) || /^-> RemoteAddress:Port/.test(t)) return;
    const why = readLine(t, l.line);
    if (why) sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
  });
  return { records, diagnostics: sink.finish() };

  function readLine(t: string, line: number): string | undefined {
    if (mode !== 'list') return readCounterLine(t, line, mode);
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

  function readCounterLine(t: string, line: number, m: 'stats' | 'rate'): string | undefined {
    const w = t.split(/\s+/);
    const real = w[0] === '->';
    const cells = real ? w.slice(1) : w;
    const what = m === 'stats' ? 'Conns InPkts OutPkts InBytes OutBytes' : 'CPS InPPS OutPPS InBPS OutBPS';
    if (real && !current) return 'real server before any virtual service';
    if (!real && !/^(TCP|UDP|SCTP|FWM)$/.test(cells[0]!)) return 'not a virtual service or real server line';
    const addrAt = real ? 0 : 1;
    const nums = cells.slice(addrAt + 1);
    if (cells.length < addrAt + 1 || nums.length !== 5) return `counter line is not "addr:port ${what}"`;
    const counts = counterRecord(m, nums);
    if (!counts) return `counters are not "${what}" numbers`;
    if (real) {
      const hp = hostPort(cells[0]!);
      if (!hp) return 'real server address is not addr:port';
      const rs: IpvsRealServer = { type: 'real', virtual: current!, address: hp.address, line };
      if (hp.port !== undefined) rs.port = hp.port;
      if (hp.portName !== undefined) rs.portName = hp.portName;
      if (m === 'stats') rs.stats = counts as IpvsStats;
      else rs.rate = counts as IpvsRate;
      records.push(rs);
      return undefined;
    }
    const vs: IpvsVirtualService = { type: 'virtual', protocol: cells[0]!, flags: [], line };
    if (cells[0] === 'FWM') {
      if (!/^\d+$/.test(cells[1]!)) return 'firewall mark is not a number';
      vs.fwmark = Number(cells[1]);
    } else {
      const hp = hostPort(cells[1]!);
      if (!hp) return 'virtual service address is not addr:port';
      vs.address = hp.address;
      if (hp.port !== undefined) vs.port = hp.port;
      if (hp.portName !== undefined) vs.portName = hp.portName;
    }
    if (m === 'stats') vs.stats = counts as IpvsStats;
    else vs.rate = counts as IpvsRate;
    const { type: _t, flags: _f, stats: _s, rate: _r, line: _l, ...key } = vs;
    current = key;
    records.push(vs);
    return undefined;
  }
}
