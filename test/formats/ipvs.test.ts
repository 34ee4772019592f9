import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipvsFormat } from '../../core/formats/ipvs/index.js';
import type { IpvsRealServer, IpvsVirtualService } from '../../core/formats/ipvs/index.js';
import { HAND, codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string) => ipvsFormat.parse(text, { source: 't' });
const FILE = join(HAND, 'ipvs/ipvsadm_-Ln.txt');

describe('ipvsadm -Ln', () => {
  it('reads virtual services and their real servers', () => {
    const r = parseFile(ipvsFormat, FILE);
    expect(r.diagnostics).toEqual([]);
    const virtuals = r.records.filter((x): x is IpvsVirtualService => x.type === 'virtual');
    const reals = r.records.filter((x): x is IpvsRealServer => x.type === 'real');
    expect(virtuals).toHaveLength(9);
    expect(reals).toHaveLength(10);
    expect(r.records[0]).toEqual({ type: 'virtual', protocol: 'TCP', address: '10.0.0.1', port: 443, scheduler: 'rr', flags: [], line: 4 });
    expect(r.records[1]).toEqual({
      type: 'real', virtual: { protocol: 'TCP', address: '10.0.0.1', port: 443 }, address: '10.240.0.10', port: 6443, forward: 'Masq', weight: 1,
      activeConn: 12, inactConn: 0, line: 5,
    });
    expect(reals.filter((x) => x.virtual.address === '10.0.45.12').map((x) => `${x.address}:${x.port} ${x.activeConn}/${x.inactConn}`)).toEqual([
      '10.244.0.12:8080 3/117',
      '10.244.1.7:8080 2/98',
    ]);
  });

  it('reads persistence, IPv6, a service without backends and a firewall mark', () => {
    const recs = parseFile(ipvsFormat, FILE).records;
    expect(recs.find((x) => x.type === 'virtual' && x.address === '20.50.60.70')).toMatchObject({ scheduler: 'sh', flags: ['persistent', '10800'], persistentTimeout: 10800 });
    expect(recs.find((x) => x.type === 'real' && x.virtual.address === 'fd00:10:96::1')).toMatchObject({ address: 'fd00:10:240::a', port: 6443 });
    const noBackends = recs.findIndex((x) => x.type === 'virtual' && x.address === '10.0.77.3');
    expect(recs[noBackends + 1]).toMatchObject({ type: 'virtual', protocol: 'FWM', fwmark: 258 });
    expect(recs[noBackends + 2]).toMatchObject({ type: 'real', virtual: { protocol: 'FWM', fwmark: 258 }, address: '10.244.1.7', port: 0 });
  });

  it('reads names printed without -n', () => {
    const r = parse('IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  ip-10-45-0-1.ap-southeast-1. rr\n');
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@4']);
    const ok = parse('TCP  kubernetes.default:https rr\n  -> master01:6443                Masq    1      5          19        \n');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.records).toEqual([
      { type: 'virtual', protocol: 'TCP', address: 'kubernetes.default', portName: 'https', scheduler: 'rr', flags: [], line: 1 },
      { type: 'real', virtual: { protocol: 'TCP', address: 'kubernetes.default', portName: 'https' }, address: 'master01', port: 6443, forward: 'Masq', weight: 1, activeConn: 5, inactConn: 19, line: 2 },
    ]);
  });

  it('reports garbage and a cut last line', () => {
    const lines = read(FILE).split('\n');
    lines.splice(5, 0, 'garbage');
    lines.splice(2, 0, '  -> not enough fields');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3', 'TEXT_MALFORMED_LINE@7']);
    const cut = parse(cutEnd(read(FILE), 30));
    expect(cut.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 22]]);
  });
});

/** Public ipvsadm --stats / --rate listings (fixtures/node-tools/iproute-ss-ipvs/README.md). */
const PUB = join(__dirname, '../../fixtures/node-tools/iproute-ss-ipvs');

describe('ipvsadm --stats and --rate', () => {
  it('keeps the real servers of a --stats listing with their counters, K/M values scaled', () => {
    const r = parseFile(ipvsFormat, join(PUB, 'ipvsadm_-l_--stats_loxilb.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toHaveLength(4);
    expect(r.records[0]).toEqual({
      type: 'virtual', protocol: 'TCP', address: '20.20.20.1', port: 2020, flags: [], line: 4,
      stats: { conns: 401, inPkts: 8939187, outPkts: 8953980, inBytes: 830843000, outBytes: 1135000000, rounded: ['inBytes', 'outBytes'] },
    });
    expect(r.records[2]).toEqual({
      type: 'real', virtual: { protocol: 'TCP', address: '20.20.20.1', port: 2020 }, address: '1.31.31.31.dyn.idknet.com', port: 50, line: 6,
      stats: { conns: 133, inPkts: 2959491, outPkts: 2964454, inBytes: 275069000, outBytes: 375809000, rounded: ['inBytes', 'outBytes'] },
    });
    const reals = r.records.filter((x): x is IpvsRealServer => x.type === 'real');
    expect(reals.reduce((s, x) => s + (x.stats?.conns ?? 0), 0)).toBe(401);
  });

  it('reads a kube-proxy --rate listing: every service and backend with its rates', () => {
    const r = parseFile(ipvsFormat, join(PUB, 'ipvsadm_-Ln_--rate_kube-proxy.txt'));
    expect(r.diagnostics).toEqual([]);
    const virtuals = r.records.filter((x): x is IpvsVirtualService => x.type === 'virtual');
    const reals = r.records.filter((x): x is IpvsRealServer => x.type === 'real');
    expect(virtuals).toHaveLength(17);
    expect(reals).toHaveLength(28);
    const busy = reals.filter((x) => x.virtual.address === '10.49.120.28');
    expect(busy.map((x) => `${x.address}:${x.port} ${x.rate?.inPps}/${x.rate?.outBps}`)).toEqual(['10.48.0.18:80 2/332', '10.48.0.201:80 2/332', '10.48.0.202:80 2/332']);
    expect(virtuals.find((x) => x.address === '10.49.120.28')?.rate).toEqual({ cps: 1, inPps: 6, outPps: 4, inBps: 399, outBps: 995 });
    expect(virtuals.at(-1)).toMatchObject({ protocol: 'UDP', address: '10.49.0.10', port: 53 });
  });

  it('rejects a counter line with a missing or non-numeric column', () => {
    const head = 'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n';
    const r = parse(`${head}TCP  10.0.0.1:80  1 2 3 4\n  -> 10.0.0.2:80  1 2 3 4 x\nTCP  10.0.0.3:80  1 2 3 4 5\n`);
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3', 'TEXT_MALFORMED_LINE@4']);
    expect(r.records).toEqual([{ type: 'virtual', protocol: 'TCP', address: '10.0.0.3', port: 80, flags: [], line: 5, stats: { conns: 1, inPkts: 2, outPkts: 3, inBytes: 4, outBytes: 5 } }]);
  });
});
