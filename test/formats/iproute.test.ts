import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipRouteFormat } from '../../core/formats/iproute/index.js';
import type { IpNeighbour, IpRoute, IpRouteRecord, IpRule } from '../../core/formats/iproute/index.js';
import { detectTextFormat } from '../../core/formats/registry.js';
import { codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

/** Made by iproute2 in a lab namespace (fixtures/node-tools/iproute-ss-ipvs/README.md). */
const LAB = join(__dirname, '../../fixtures/node-tools/iproute-ss-ipvs');
const f = (name: string) => join(LAB, name);
const parse = (text: string) => ipRouteFormat.parse(text, { source: 't' });
const routes = (r: IpRouteRecord[]) => r.filter((x): x is IpRoute => x.type === 'route');

describe('ip route / rule / neigh', () => {
  it('is detected for every lab listing, text and JSON', () => {
    for (const name of ['ip_route.txt', 'ip_-6_route.txt', 'ip_route_show_table_all.txt', 'ip_rule.txt', 'ip_neigh.txt', 'ip_-j_neigh.json', 'ip_-d_-j_neigh.json', 'ip_-j_route.json', 'ip_-j_rule.json']) {
      expect(detectTextFormat(read(f(name)), name)?.format.kind, name).toBe('iproute');
    }
  });

  it('reads routes with via, dev, proto, scope, src, table and metric', () => {
    const r = parseFile(ipRouteFormat, f('ip_route_show_table_all.txt'));
    expect(r.diagnostics).toEqual([]);
    const rs = routes(r.records);
    expect(rs).toHaveLength(16);
    expect(rs[0]).toEqual({ type: 'route', dst: '192.168.50.0/24', routeType: 'unicast', via: '10.213.0.2', dev: 'pcf2va', table: '100', flags: [], line: 1 });
    expect(rs[1]).toMatchObject({ dst: 'default', via: '10.213.0.2', metric: 100, table: 'main' });
    expect(rs[2]).toMatchObject({ dst: '10.96.0.0/12', proto: 'static', src: '10.213.0.1' });
    expect(rs[3]).toMatchObject({ dst: '10.213.0.0/24', proto: 'kernel', scope: 'link', src: '10.213.0.1' });
    expect(rs[4]).toEqual({ type: 'route', dst: '10.250.0.0/16', routeType: 'blackhole', table: 'main', flags: [], line: 5 });
    expect(rs[5]).toMatchObject({ routeType: 'local', dst: '10.213.0.1', table: 'local', scope: 'host' });
    expect(rs.filter((x) => x.dst.includes(':')).map((x) => `${x.routeType} ${x.dst} ${x.via ?? '-'} ${x.metric}`)).toEqual([
      'unicast fd13::/64 - 256', 'unicast fd96::/108 fd13::2 1024', 'unicast fe80::/64 - 256', 'local ::1 - 0', 'local fd13::1 - 0', 'multicast ff00::/8 - 256',
    ]);
  });

  it('reads the same routes from ip -j route as from the text', () => {
    const j = routes(parseFile(ipRouteFormat, f('ip_-j_route.json')).records);
    const t = routes(parseFile(ipRouteFormat, f('ip_route_show_table_all.txt')).records);
    const key = (x: IpRoute) => [x.routeType, x.dst, x.via, x.dev, x.proto, x.scope, x.src, x.table, x.metric].join(' ');
    expect(j.map(key)).toEqual(t.map(key));
  });

  it('reads rules, text and JSON alike', () => {
    const t = parseFile(ipRouteFormat, f('ip_rule.txt'));
    expect(t.diagnostics).toEqual([]);
    const rules = t.records as IpRule[];
    expect(rules.map((x) => `${x.priority} ${x.selector} ${x.action} ${x.table}`)).toEqual([
      '0 from all lookup local', '1000 from 10.213.0.0/24 lookup 100', '1001 from all fwmark 0x4000/0x4000 lookup 100', '32766 from all lookup main', '32767 from all lookup default',
    ]);
    expect(rules[2]).toMatchObject({ from: 'all', fwmark: '0x4000/0x4000' });
    const j = parseFile(ipRouteFormat, f('ip_-j_rule.json')).records as IpRule[];
    expect(j.map((x) => `${x.priority} ${x.from} ${x.fwmark ?? '-'} ${x.table}`)).toEqual(rules.map((x) => `${x.priority} ${x.from} ${x.fwmark ?? '-'} ${x.table}`));
  });

  it('reads neighbours with their link-layer address and state', () => {
    const t = parseFile(ipRouteFormat, f('ip_neigh.txt'));
    expect(t.diagnostics).toEqual([]);
    const ns = t.records as IpNeighbour[];
    expect(ns[0]).toEqual({ type: 'neigh', dst: '10.213.0.77', dev: 'pcf2va', lladdr: '02:00:00:00:00:77', state: ['PERMANENT'], line: 1 });
    expect(ns[1]).toEqual({ type: 'neigh', dst: '10.213.0.78', dev: 'pcf2va', state: ['FAILED'], line: 2 });
    expect(ns.map((x) => x.dst)).toEqual(['10.213.0.77', '10.213.0.78', '10.213.0.2', 'fd13::2']);
    const j = parseFile(ipRouteFormat, f('ip_-d_-j_neigh.json')).records as IpNeighbour[];
    expect(j).toHaveLength(5);
    expect(j[2]).toEqual({ type: 'neigh', dst: '10.213.0.2', dev: 'pcf2va', lladdr: '42:4d:7d:fe:f3:50', state: ['STALE'], line: 1 });
  });

  it('reads multipath next hops and IPv4 routes over an IPv6 gateway', () => {
    const r = parse('default proto bird metric 20\n\tnexthop via 10.0.0.1 dev eth0 weight 1\n\tnexthop via 10.0.1.1 dev eth1 weight 2\n10.2.0.0/16 via inet6 fe80::1 dev eth0 proto bgp onlink\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toMatchObject({ dst: 'default', proto: 'bird', nexthops: [{ via: '10.0.0.1', dev: 'eth0', weight: 1 }, { via: '10.0.1.1', dev: 'eth1', weight: 2 }] });
    expect(r.records[1]).toMatchObject({ dst: '10.2.0.0/16', via: 'fe80::1', proto: 'bgp', flags: ['onlink'] });
  });

  it('reports garbage, a cut last line and a cut JSON array', () => {
    const lines = read(f('ip_route.txt')).split('\n');
    lines.splice(2, 0, 'garbage here');
    expect(codes(parse(lines.join('\n')).diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3']);
    expect(codes(parse(cutEnd(read(f('ip_neigh.txt')), 12)).diagnostics)).toEqual(['TEXT_TRUNCATED@4']);
    const cut = parse(read(f('ip_-j_neigh.json')).slice(0, 150));
    expect(cut.records).toHaveLength(2);
    expect(cut.diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
  });
});

describe('ip netns', () => {
  const IR = 'fixtures/node-tools/iproute-ss-ipvs';
  it('reads names with their nsid from content, and bare names only in a file named for ip netns (real lab outputs)', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseIpRoute, sniffIpRoute } = await import('../../core/formats/iproute/index.js');
    const noid = readFileSync(`${IR}/ip_netns.txt`, 'utf8');
    const mixed = readFileSync(`${IR}/ip_netns_one_with_nsid.txt`, 'utf8');
    expect(sniffIpRoute(noid, 'sosreport-x/sos_commands/networking/ip_netns')).toBe(0.9);
    expect(sniffIpRoute(noid, 'names.txt')).toBe(0);
    expect(parseIpRoute(noid, { source: 'sos_commands/networking/ip_netns' }).records).toEqual([{ type: 'netns', name: 'ps-b', line: 1 }, { type: 'netns', name: 'ps-a', line: 2 }]);
    expect(parseIpRoute(mixed, { source: 'x/ip_netns' }).records).toEqual([{ type: 'netns', name: 'ps-b', id: 0, line: 1 }, { type: 'netns', name: 'ps-a', line: 2 }]);
    const elsewhere = parseIpRoute(mixed, { source: 'notes.txt' });
    expect(elsewhere.records).toEqual([{ type: 'netns', name: 'ps-b', id: 0, line: 1 }]);
    expect(elsewhere.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_MALFORMED_LINE', 2]]);
  });
});
