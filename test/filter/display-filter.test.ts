import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDisplayFilter, compileDisplayFilter, DisplayFilterError, flowDisplayFilter } from '../../core/filter/display-filter.js';
import { cidrContains, ipText, parseCidr, parseIp } from '../../core/net/ip-cidr.js';
import { listFlowPage } from '../../core/api/queries/flow-page.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';

interface F { proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number; state: string; history: string; dur: number; orig_bytes: number; rst_by: string | null }

// A small case whose rows cover each field's edge: every filter below is checked against a plain
// JavaScript predicate over the same rows, so the SQL must select exactly what the words say.
const FLOWS: F[] = [
  { proto: 'tcp', orig_ip: '10.244.0.5', orig_port: 40000, resp_ip: '10.96.0.10', resp_port: 443, state: 'SF', history: 'ShADadFf', dur: 0.5, orig_bytes: 100, rst_by: null },
  { proto: 'tcp', orig_ip: '10.244.0.5', orig_port: 40001, resp_ip: '52.1.2.3', resp_port: 443, state: 'RSTR', history: 'ShADadr', dur: 3, orig_bytes: 2000, rst_by: 'resp' },
  { proto: 'tcp', orig_ip: '10.244.1.7', orig_port: 50000, resp_ip: '10.244.0.5', resp_port: 8080, state: 'REJ', history: 'Sr', dur: 0.001, orig_bytes: 0, rst_by: 'resp' },
  { proto: 'udp', orig_ip: '10.244.1.7', orig_port: 53000, resp_ip: '10.96.0.10', resp_port: 53, state: 'SF', history: 'Dd', dur: 0.01, orig_bytes: 40, rst_by: null },
  { proto: 'tcp', orig_ip: '10.245.0.1', orig_port: 443, resp_ip: '192.168.1.1', resp_port: 1234, state: 'S0', history: 'S', dur: 0, orig_bytes: 0, rst_by: null },
  { proto: 'tcp', orig_ip: 'fd00:10:244::5', orig_port: 41000, resp_ip: '2001:db8::20', resp_port: 80, state: 'RSTO', history: 'ShADR', dur: 1.5, orig_bytes: 10, rst_by: 'orig' },
  { proto: 'icmp', orig_ip: '10.244.0.200', orig_port: 8, resp_ip: '10.244.3.1', resp_port: 0, state: 'OTH', history: '', dur: 2, orig_bytes: 56, rst_by: null },
  { proto: 'tcp', orig_ip: '10.244.127.9', orig_port: 40100, resp_ip: '10.244.128.9', resp_port: 9000, state: 'SF', history: 'ShADadFf', dur: 1, orig_bytes: 5, rst_by: 'both' },
];

let db: CaseDb;
beforeAll(() => {
  db = openCase(':memory:');
  db.prepare(`INSERT INTO sources (id, path, kind, sha256, bytes, records, ingested_at) VALUES (1, 'x.pcap', 'pcap', 'h', 1, 1, 0)`).run();
  const ins = db.prepare(`INSERT INTO flows (source_id, proto, orig_ip, orig_port, resp_ip, resp_port, start_us, end_us, state, history, orig_pkts, resp_pkts,
    orig_bytes, resp_bytes, orig_ip_bytes, resp_ip_bytes, missed_bytes, origin_guessed, rst_by, orig_isn, resp_isn, orig_ttl, resp_ttl, dup_pkts, icmp_errors)
    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, 0, 0, 0, 0, 0, ?, 0, 0, 64, 64, 0, 0)`);
  FLOWS.forEach((f, i) => {
    const start = 1_700_000_000_000_000 + i * 1_000_000;
    ins.run(f.proto, f.orig_ip, f.orig_port, f.resp_ip, f.resp_port, start, start + Math.round(f.dur * 1e6), f.state, f.history, f.orig_bytes, f.rst_by);
  });
});
afterAll(() => db.close());

function select(filter: string): number[] {
  const res = listFlowPage(db, { filter, limit: 1000 });
  expect(res.total).toBe(res.rows.length);
  return res.rows.map((r) => r.id - 1).sort((a, b) => a - b);
}
function expected(pred: (f: F) => boolean): number[] {
  return FLOWS.map((f, i) => (pred(f) ? i : -1)).filter((i) => i >= 0);
}
const inNet = (ip: string, net: string) => { const a = parseIp(ip); return a !== null && cidrContains(parseCidr(net)!, a); };

describe('display filter on a case', () => {
  const cases: [string, (f: F) => boolean][] = [
    ['ip.addr == 10.244.0.5', (f) => f.orig_ip === '10.244.0.5' || f.resp_ip === '10.244.0.5'],
    ['ip.addr != 10.244.0.5', (f) => !(f.orig_ip === '10.244.0.5' || f.resp_ip === '10.244.0.5')],
    ['ip.src == 10.244.0.5', (f) => f.orig_ip === '10.244.0.5'],
    ['ip.dst == 10.244.0.5', (f) => f.resp_ip === '10.244.0.5'],
    ['ip.addr == 10.244.0.5 && tcp.flags.reset == 1', (f) => (f.orig_ip === '10.244.0.5' || f.resp_ip === '10.244.0.5') && f.rst_by !== null],
    ['tcp.flags.reset == 0', (f) => f.rst_by === null],
    ['tcp.flags.reset', (f) => f.rst_by !== null],
    ['state == REJ', (f) => f.state === 'REJ'],
    ['state == rej', (f) => f.state === 'REJ'],
    ['state in {S0 REJ}', (f) => f.state === 'S0' || f.state === 'REJ'],
    ['history contains "R"', (f) => f.history.includes('R')],
    ['history contains "r"', (f) => f.history.includes('r')],
    ['history == "Sr"', (f) => f.history === 'Sr'],
    ['proto == tcp', (f) => f.proto === 'tcp'],
    ['udp', (f) => f.proto === 'udp'],
    ['!tcp', (f) => f.proto !== 'tcp'],
    ['not tcp and not udp', (f) => f.proto !== 'tcp' && f.proto !== 'udp'],
    ['duration > 1', (f) => f.dur > 1],
    ['duration >= 1', (f) => f.dur >= 1],
    ['duration < 0.01', (f) => f.dur < 0.01],
    ['orig_bytes <= 40', (f) => f.orig_bytes <= 40],
    ['orig_bytes eq 2000', (f) => f.orig_bytes === 2000],
    ['tcp.port == 443', (f) => f.proto === 'tcp' && (f.orig_port === 443 || f.resp_port === 443)],
    ['udp.port == 53', (f) => f.proto === 'udp' && (f.orig_port === 53 || f.resp_port === 53)],
    ['port == 53', (f) => f.orig_port === 53 || f.resp_port === 53],
    ['tcp.srcport == 443', (f) => f.proto === 'tcp' && f.orig_port === 443],
    ['tcp.dstport == 443', (f) => f.proto === 'tcp' && f.resp_port === 443],
    ['tcp.port in {80 8000..9000}', (f) => f.proto === 'tcp' && [f.orig_port, f.resp_port].some((p) => p === 80 || (p >= 8000 && p <= 9000))],
    ['tcp.dstport > 1000', (f) => f.proto === 'tcp' && f.resp_port > 1000],
    ['ip.addr == 10.244.0.0/16', (f) => inNet(f.orig_ip, '10.244.0.0/16') || inNet(f.resp_ip, '10.244.0.0/16')],
    ['ip.src == 10.244.0.0/24', (f) => inNet(f.orig_ip, '10.244.0.0/24')],
    ['ip.addr == 10.244.0.0/17', (f) => inNet(f.orig_ip, '10.244.0.0/17') || inNet(f.resp_ip, '10.244.0.0/17')],
    ['ip.addr == 10.244.0.0/15', (f) => inNet(f.orig_ip, '10.244.0.0/15') || inNet(f.resp_ip, '10.244.0.0/15')],
    ['ip.addr == 10.0.0.0/8 && !(ip.addr == 10.244.0.0/16)', (f) => [f.orig_ip, f.resp_ip].some((a) => inNet(a, '10.0.0.0/8')) && ![f.orig_ip, f.resp_ip].some((a) => inNet(a, '10.244.0.0/16'))],
    ['ipv6.addr == fd00:10:244:0::5', (f) => f.orig_ip === 'fd00:10:244::5' || f.resp_ip === 'fd00:10:244::5'],
    ['ip.addr == 2001:db8::/32', (f) => inNet(f.orig_ip, '2001:db8::/32') || inNet(f.resp_ip, '2001:db8::/32')],
    ['ip.addr in {52.1.2.3 192.168.1.1}', (f) => ['52.1.2.3', '192.168.1.1'].some((a) => f.orig_ip === a || f.resp_ip === a)],
    ['state == SF || state == REJ && duration < 1', (f) => f.state === 'SF' || (f.state === 'REJ' && f.dur < 1)],
    ['(state == SF || state == REJ) && duration < 1', (f) => (f.state === 'SF' || f.state === 'REJ') && f.dur < 1],
    ['rst_by == both', (f) => f.rst_by === 'both'],
    ['   ', () => true],
  ];
  for (const [filter, pred] of cases) {
    it(filter, () => expect(select(filter)).toEqual(expected(pred)));
  }

  it('only ever sends values as parameters', () => {
    const hostile = `history == "x' OR 1=1 --" || history contains "\\"); DROP TABLE flows; --"`;
    const c = compileDisplayFilter(hostile)!;
    expect(c.sql).not.toMatch(/OR 1=1|DROP/);
    expect(c.params).toContain("x' OR 1=1 --");
    expect(select(hostile)).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n).toBe(FLOWS.length);
  });

  it('sorts, pages and counts the filtered set', () => {
    const all = listFlowPage(db, { filter: 'tcp', sort: { column: 'duration', desc: true }, limit: 2 });
    expect(all.total).toBe(FLOWS.filter((f) => f.proto === 'tcp').length);
    expect(all.rows.map((r) => r.duration)).toEqual([3, 1.5]);
    const next = listFlowPage(db, { filter: 'tcp', sort: { column: 'duration', desc: true }, limit: 2, offset: 2 });
    expect(next.rows.map((r) => r.duration)).toEqual([1, 0.5]);
    const byIp = listFlowPage(db, { sort: { column: 'orig_ip' }, limit: 1 });
    expect(byIp.rows[0].orig_ip).toBe([...FLOWS.map((f) => f.orig_ip)].sort()[0]);
  });

  it('applies the time window with the filter', () => {
    const from = 1_700_000_000_000_000 + 2 * 1_000_000;
    const res = listFlowPage(db, { filter: 'tcp', fromUs: from, toUs: from + 3_000_000 });
    // Overlap: flow 1 (start +1 s, 3 s long) is still open at +2 s.
    expect(res.rows.map((r) => r.id - 1)).toEqual([1, 2, 4, 5]);
  });
});

describe('display filter errors point at the bad token', () => {
  const errs: [string, RegExp, number][] = [
    ['ip.adr == 1.2.3.4', /unknown field "ip.adr" \(did you mean ip.addr\?\)/, 1],
    ['ip.addr == 1.2.3', /not an IP address/, 12],
    ['ip.addr == 10.0.0.0/33', /not an IP address/, 12],
    ['state == FOO', /not one of S0/, 10],
    ['state > SF', /cannot be compared with ">"/, 7],
    ['tcp.port == 70000', /not a port/, 13],
    ['duration > abc', /not a number/, 12],
    ['(state == SF', /expected \) to close the \( at column 1/, 13],
    ['state == SF)', /expected && or \|\| before "\)"/, 12],
    ['state ==', /expected a value after ==/, 9],
    ['&& tcp', /expected a field name/, 1],
    ['history contains "abc', /unterminated string/, 18],
    ['tcp.port in {}', /set is empty/, 13],
    ['proto == tcp $', /unexpected character "\$"/, 14],
    ['tcp.flags.reset == 2', /must be 0 or 1/, 20],
    ['tcp == 1', /cannot be compared/, 5],
  ];
  for (const [filter, msg, column] of errs) {
    it(filter, () => {
      const e = checkDisplayFilter(filter);
      expect(e).toBeInstanceOf(DisplayFilterError);
      expect(e!.problem).toMatch(msg);
      expect(e!.column).toBe(column);
      expect(() => listFlowPage(db, { filter })).toThrow(DisplayFilterError);
    });
  }
});

describe('ip-cidr', () => {
  it('parses and prints addresses as the case stores them', () => {
    expect(ipText(parseIp('fd00:10:244:0:0:0:0:5')!)).toBe('fd00:10:244::5');
    expect(ipText(parseIp('2001:DB8::1')!)).toBe('2001:db8::1');
    expect(ipText(parseIp('::ffff:10.0.0.1')!)).toBe('::ffff:10.0.0.1');
    expect(ipText(parseIp('1:0:1:0:1:0:1:0')!)).toBe('1:0:1:0:1:0:1:0');
    for (const bad of ['1.2.3.256', '1.2.3', '01234.1.1.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '']) expect(parseIp(bad)).toBeNull();
  });
  it('contains', () => {
    expect(cidrContains(parseCidr('10.244.0.0/14')!, parseIp('10.247.255.255')!)).toBe(true);
    expect(cidrContains(parseCidr('10.244.0.0/14')!, parseIp('10.248.0.0')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!)).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!)).toBe(false);
    expect(cidrContains(parseCidr('fd00::/8')!, parseIp('fdff::1')!)).toBe(true);
  });
  it('builds a per-flow filter that the compiler accepts and that selects the flow', () => {
    const f = FLOWS[1];
    const filter = flowDisplayFilter(f);
    expect(filter).toBe('ip.addr == 10.244.0.5 && ip.addr == 52.1.2.3 && tcp.port == 40001 && tcp.port == 443');
    expect(select(filter)).toEqual([1]);
    expect(select(flowDisplayFilter(FLOWS[5]))).toEqual([5]);
  });
});
