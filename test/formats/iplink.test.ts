import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipLinkFormat } from '../../core/formats/iplink/index.js';
import type { IpInterface } from '../../core/formats/iplink/index.js';
import { LAB, SAMPLES, codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string) => ipLinkFormat.parse(text, { source: 't' });
const ifaces = (path: string) => parseFile(ipLinkFormat, path).records as IpInterface[];
const named = (list: IpInterface[], name: string) => list.find((i) => i.name === name)!;

describe('iplink: samples', () => {
  it('reads `ip addr` from a container with two veth interfaces (@ifN, link-netnsid, tunnel @NONE)', () => {
    const r = parseFile(ipLinkFormat, join(SAMPLES, 'netns-iplink/docker_container_ip_addr_two_if__id29021193144.txt'));
    expect(r.diagnostics).toEqual([]);
    const [vti, eth0, eth1] = r.records as IpInterface[];
    expect(vti).toEqual({ type: 'interface', index: 2, name: 'ip_vti0', flags: ['NOARP'], mtu: 1480, state: 'DOWN', linkType: 'ipip', addresses: [], line: 1 });
    expect(eth0).toEqual({
      type: 'interface', index: 14702, name: 'eth0', peerIndex: 14703, flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, state: 'UP',
      linkType: 'ether', mac: '02:42:0a:01:00:07', peerNetnsId: 0, line: 3,
      addresses: [{ family: 'inet', address: '10.1.0.7', prefixLen: 16, broadcast: '10.1.255.255', scope: 'global', label: 'eth0', line: 5 }],
    });
    expect(eth1!.addresses[0]).toMatchObject({ address: '192.64.164.2', prefixLen: 24, line: 9 });
  });

  it('reads two pasted listings and takes the netns from the `ip netns exec` prompt', () => {
    const r = parseFile(ipLinkFormat, join(SAMPLES, 'netns-iplink/veth_pair_netns_ip_link_list__id42333524964.txt'));
    expect(r.diagnostics).toEqual([]);
    expect((r.records as IpInterface[]).map((i) => [i.index, i.name, i.peerIndex, i.netns, i.line])).toEqual([
      [1, 'lo', undefined, 'ns1', 2],
      [8, 'veth1', 7, 'ns1', 4],
      [7, 'veth2', 8, undefined, 8],
    ]);
  });
});

describe('iplink: lab outputs', () => {
  it('reads the node: veth peers in named netns, bridge ports, vxlan', () => {
    const list = ifaces(join(LAB, 'node_ip_link.txt'));
    expect(list.map((i) => i.index)).toEqual([1, 3, 4, 5, 6, 7]);
    expect(named(list, 'veth1a2b3c4d')).toEqual({
      type: 'interface', index: 5, name: 'veth1a2b3c4d', peerIndex: 2, flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, master: 'cni0',
      state: 'UP', linkType: 'ether', mac: '26:74:0b:bf:d5:b1', peerNetns: 'cni-6f1d7f0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a', addresses: [], line: 7,
    });
    expect(named(list, 'eth0')).toMatchObject({ peerIndex: 2, peerNetns: 'pnt-ext', mac: '00:0d:3a:5c:4e:21' });
  });

  it('takes device kinds from -d', () => {
    const list = ifaces(join(LAB, 'node_ip_-d_link.txt'));
    expect(list.map((i) => [i.name, i.kind, i.slaveKind])).toEqual([
      ['lo', undefined, undefined],
      ['eth0', 'veth', undefined],
      ['cni0', 'bridge', undefined],
      ['veth1a2b3c4d', 'veth', 'bridge_slave'],
      ['veth5e6f7a8b', 'veth', 'bridge_slave'],
      ['flannel.1', 'vxlan', undefined],
    ]);
  });

  it('reads addresses of `ip addr` (IPv4 label, IPv6 flags and scopes)', () => {
    const list = ifaces(join(LAB, 'node_ip_addr.txt'));
    expect(named(list, 'cni0').addresses).toEqual([
      { family: 'inet', address: '10.66.0.1', prefixLen: 24, scope: 'global', label: 'cni0', line: 15 },
      { family: 'inet6', address: 'fd66::1', prefixLen: 64, scope: 'global', flags: ['nodad'], line: 17 },
      { family: 'inet6', address: 'fe80::3c1f:5aff:fe11:2233', prefixLen: 64, scope: 'link', line: 19 },
    ]);
  });

  it('gives the same interfaces from text, -o and -j', () => {
    const strip = (list: IpInterface[]) =>
      list.map((i) => ({ index: i.index, name: i.name, peerIndex: i.peerIndex, mac: i.mac, mtu: i.mtu, state: i.state, master: i.master }));
    const text = ifaces(join(LAB, 'node_ip_link.txt'));
    const oneLine = parseFile(ipLinkFormat, join(LAB, 'node_ip_-o_link.txt'));
    expect(oneLine.diagnostics).toEqual([]);
    expect(strip(oneLine.records as IpInterface[])).toEqual(strip(text));
    expect((oneLine.records as IpInterface[]).map((i) => i.line)).toEqual([1, 2, 3, 4, 5, 6]);
    const json = parseFile(ipLinkFormat, join(LAB, 'node_ip_-j_link.json'));
    expect(json.diagnostics).toEqual([]);
    expect(strip(json.records as IpInterface[])).toEqual(strip(text));
    // JSON gives the peer's netns as an id, never as a name.
    expect(named(json.records as IpInterface[], 'veth1a2b3c4d')).toMatchObject({ peerNetnsId: 1 });
    const jd = ifaces(join(LAB, 'node_ip_-j_-d_link.json'));
    expect(named(jd, 'veth5e6f7a8b')).toMatchObject({ kind: 'veth', slaveKind: 'bridge_slave', peerNetnsId: 2 });
  });

  it('merges `ip -o addr` lines into one interface per index, and matches `ip -j addr`', () => {
    const o = ifaces(join(LAB, 'node_ip_-o_addr.txt'));
    const j = ifaces(join(LAB, 'node_ip_-j_addr.json'));
    expect(o.map((i) => [i.index, i.addresses.map((a) => `${a.address}/${a.prefixLen}`)])).toEqual(
      j.map((i) => [i.index, i.addresses.map((a) => `${a.address}/${a.prefixLen}`)]).filter(([, a]) => (a as string[]).length > 0),
    );
    expect(named(o, 'eth0').addresses[0]).toMatchObject({ family: 'inet', address: '10.240.0.4', prefixLen: 16, label: 'eth0', line: 3 });
  });

  it('ties a pod to its node veth: pod eth0@if5 and iflink 5 → node ifindex 5', () => {
    const pod = ifaces(join(LAB, 'pod-a_ip_addr.txt'));
    const eth0 = named(pod, 'eth0');
    expect(eth0).toMatchObject({ index: 2, peerIndex: 5, peerNetns: 'pnt-node', mac: 'f6:e8:35:10:b8:e1' });
    expect(eth0.addresses.map((a) => a.address)).toEqual(['10.66.0.5', 'fd66::5', 'fe80::f4e8:35ff:fe10:b8e1']);
    const iflink = parseFile(ipLinkFormat, join(LAB, 'pod-a_sys_class_net_eth0/iflink'));
    expect(iflink.records).toEqual([{ type: 'iflink', ifindex: 5, line: 1 }]);
    const node = ifaces(join(LAB, 'node_ip_link.txt'));
    expect(node.find((i) => i.index === 5)!.name).toBe('veth1a2b3c4d');
    expect(ifaces(join(LAB, 'pod-a_ip_-d_link.txt')).find((i) => i.name === 'eth0')!.kind).toBe('veth');
  });
});

describe('iplink: sniffing the one-number iflink file', () => {
  it('claims a lone integer only when the file is named iflink', () => {
    expect(ipLinkFormat.sniff('5\n', 'iflink')).toBe(0.9);
    expect(ipLinkFormat.sniff('5\n', 'pod-a/sys/class/net/eth0/iflink')).toBe(0.9);
    expect(ipLinkFormat.sniff('5\n', 'iflink.txt')).toBe(0);
    expect(ipLinkFormat.sniff('5\n', 'nf_conntrack_max')).toBe(0);
    expect(ipLinkFormat.sniff('262144\n', 'count.txt')).toBe(0);
  });
});

describe('iplink: damaged and hostile input', () => {
  it('reports garbage lines, a detail line before any interface, and a cut last line', () => {
    const text = read(join(LAB, 'node_ip_addr.txt'));
    const lines = text.split('\n');
    lines.splice(4, 0, 'complete garbage here');
    lines.splice(0, 0, '    link/ether 00:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@1', 'TEXT_MALFORMED_LINE@6']);
    expect(r.records).toHaveLength(6);
    const cut = parse(cutEnd(read(join(LAB, 'node_ip_-j_addr.json')), 400));
    expect(cut.diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
    expect((cut.records as IpInterface[]).map((i) => i.name)).toEqual(['lo', 'eth0', 'cni0', 'veth1a2b3c4d', 'veth5e6f7a8b']);
  });

  it('flags masked addresses and MACs but keeps the interface', () => {
    const r = parse('3: eth0@if7: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP group default\n    link/ether 02:42:xx:xx:xx:xx brd ff:ff:ff:ff:ff:ff\n    inet 10.x.x.x/16 brd 10.x.255.255 scope global eth0\n');
    expect(codes(r.diagnostics)).toEqual(['TEXT_MASKED_VALUE@2', 'TEXT_MASKED_VALUE@3']);
    const i = r.records[0] as IpInterface;
    expect(i).toMatchObject({ index: 3, peerIndex: 7, masked: ['mac', 'address'] });
    expect(i.addresses[0]).toMatchObject({ address: '10.x.x.x', masked: true });
  });

  it('keeps hostile interface names and altnames verbatim', () => {
    const r = parse('9: <img>: <BROADCAST> mtu 1500 state DOWN\n    link/ether 00:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff\n    altname "><script>\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toMatchObject({ name: '<img>', altnames: ['"><script>'] });
  });
});
