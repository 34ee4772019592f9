import { diag, type Diagnostic } from '../../diagnostics.js';
import { parseEndpoint } from '../netstat/address.js';
import type { TextParseContext, TextParseResult } from '../text-format.js';
import type { CiliumCtRecord, CiliumLbRecord, CiliumNatRecord, CiliumRecord } from './types.js';

const PROTOS: Record<string, CiliumCtRecord['proto']> = { TCP: 'tcp', UDP: 'udp', ICMP: 'icmp', ICMPv6: 'icmpv6', ANY: 'any' };
const HEAD = /^(TCP|UDP|ICMP|ICMPv6|ANY) (IN|OUT|SVC) (\S+) -> (\S+)(?: (service|related))? (.*)$/;

function ep(text: string): { ip: string; port: number } | null {
  const e = parseEndpoint(text);
  return e && e.ip !== '*' && !e.ipMasked && e.port !== null ? { ip: e.ip, port: e.port } : null;
}

const LB_PROTOS: Record<string, CiliumLbRecord['proto']> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp', ANY: 'any' };
/** `10.96.0.10:53/UDP/i (1)` (1.17+) or `10.96.0.10:53` (older): the service address column. */
const LB_FRONT = /^(\S+?:\d+)(?:\/(TCP|UDP|SCTP|ANY))?(\/i)?(?: \((\d+)\))?$/;
/** `10.244.0.238:53/UDP (3) (1)` or `0.0.0.0:0 (3) (0) [ClusterIP, non-routable]`: backend, revNAT id, slot. */
const LB_BACK = /^(\S+?:\d+)(?:\/(?:TCP|UDP|SCTP|ANY))? \((\d+)\) \((\d+)\)(?: \[([^\]]*)\])?$/;

/**
 * A `bpf lb list` row; `front` is the service address of the row above for continuation rows
 * (the older layout prints it once per service). Returns the address it used, for the next row.
 */
function lbRecord(raw: string, line: number, front: string | null): { rec: CiliumLbRecord; front: string } | string | null {
  const cont = /^\s/.test(raw);
  const cols = raw.trim().split(/\s{2,}/);
  const frontText = cont ? front : cols[0];
  const backText = cont ? cols[0] : cols[1];
  if (frontText === null || backText === undefined || (cont ? cols.length !== 1 : cols.length !== 2)) return null;
  const f = LB_FRONT.exec(frontText);
  const b = LB_BACK.exec(backText);
  if (!f || !b) return null;
  const vip = ep(f[1]);
  const be = ep(b[1]);
  if (!vip || !be) return `"${!vip ? f[1] : b[1]}" is not an address:port`;
  const rec: CiliumLbRecord = { type: 'lb', vip: vip.ip, vipPort: vip.port, backend: be.ip === '0.0.0.0' && be.port === 0 ? null : be, revNat: Number(b[2]), slot: Number(b[3]), line };
  if (f[2]) rec.proto = LB_PROTOS[f[2]];
  if (f[3]) rec.internal = true;
  if (b[4] !== undefined) rec.serviceFlags = b[4].split(/,\s*/).filter(Boolean);
  return { rec, front: frontText };
}

function lineRecord(t: string, line: number): CiliumRecord | string {
  const m = HEAD.exec(t);
  if (!m) return 'not a cilium bpf ct/nat entry';
  const s = ep(m[3]);
  const d = ep(m[4]);
  if (!s || !d) return `"${!s ? m[3] : m[4]}" is not an address:port`;
  const rest = m[6];
  const x = /^XLATE_(SRC|DST) (\S+) Created=(\d+)sec(?: NeedsCT=\d)?(?: HostLocal=(\d))?/.exec(rest);
  if (x) {
    const to = ep(x[2]);
    if (!to || m[2] === 'SVC') return `"${x[2]}" is not an address:port`;
    const n: CiliumNatRecord = { type: 'nat', proto: PROTOS[m[1]], dir: m[2] === 'IN' ? 'in' : 'out', src: s.ip, sport: s.port, dst: d.ip, dport: d.port,
      xlate: x[1] === 'SRC' ? 'src' : 'dst', toIp: to.ip, toPort: to.port, createdS: Number(x[3]), line };
    if (x[4] !== undefined) n.hostLocal = x[4] === '1';
    return n;
  }
  const kv = new Map<string, string>();
  for (const p of rest.replace(/\[[^\]]*\]/, '').matchAll(/(\w+)=(\S+)/g)) kv.set(p[1], p[2]);
  const expires = kv.get('expires');
  if (expires === undefined || !/^\d+$/.test(expires)) return 'ct entry without expires=';
  const num = (k: string): number | undefined => (kv.has(k) && /^\d+$/.test(kv.get(k)!) ? Number(kv.get(k)) : undefined);
  const flags = /\[([^\]]*)\]/.exec(rest)?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
  const r: CiliumCtRecord = {
    type: 'ct', proto: PROTOS[m[1]], dir: m[2] === 'IN' ? 'in' : m[2] === 'OUT' ? 'out' : 'svc', service: m[2] === 'SVC' || m[5] === 'service',
    src: s.ip, sport: s.port, dst: d.ip, dport: d.port, expires: Number(expires), flags, line,
  };
  // Older agents print Packets=/Bytes= (one direction) instead of Rx/Tx pairs.
  const rxp = num('RxPackets') ?? num('Packets');
  const rxb = num('RxBytes') ?? num('Bytes');
  if (rxp !== undefined) r.rxPackets = rxp;
  if (rxb !== undefined) r.rxBytes = rxb;
  const txp = num('TxPackets');
  const txb = num('TxBytes');
  if (txp !== undefined) r.txPackets = txp;
  if (txb !== undefined) r.txBytes = txb;
  const rev = num('RevNAT');
  const sec = num('SourceSecurityID');
  const be = num('BackendID');
  if (rev !== undefined) r.revNat = rev;
  if (sec !== undefined) r.securityId = sec;
  if (be !== undefined) r.backendId = be;
  return r;
}

export function scanCilium(text: string, ctx: TextParseContext): TextParseResult<CiliumRecord> {
  const records: CiliumRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  let front: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '' || /^(\S*[#$]\s|Defaulted container )/.test(t)) continue;
    if (/^SERVICE ADDRESS\s+BACKEND ADDRESS/.test(t)) continue;
    const lb = lbRecord(raw.trimEnd(), i + 1, front);
    if (lb !== null && typeof lb !== 'string') {
      records.push(lb.rec);
      front = lb.front;
      continue;
    }
    const r = lb ?? lineRecord(t, i + 1);
    if (typeof r === 'string') {
      const isLast = i === lines.length - 1 && !endsClean;
      diagnostics.push(diag(isLast ? 'TEXT_TRUNCATED' : 'TEXT_MALFORMED_LINE', r, { source: ctx.source, line: i + 1 }));
      continue;
    }
    records.push(r);
  }
  return { records, diagnostics };
}

export function sniffCilium(head: string, fileName: string): number {
  const lines = head.split(/\r?\n/);
  const text = lines.length > 1 ? lines.slice(0, -1).join('\n') + '\n' : head;
  const r = scanCilium(text, { source: fileName });
  const rows = r.records.length;
  const bad = r.diagnostics.filter((d) => d.code === 'TEXT_MALFORMED_LINE').length;
  if (rows === 0) return 0;
  return rows / (rows + bad) >= 0.8 ? 0.95 : 0.3;
}
