import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../core/formats/netstat/address.js';
import { netstatFormat, type SocketRecord } from '../../core/formats/netstat/index.js';
import { head, interleave, lab, sample, shifted, truncate } from './net-text-helpers.js';

const parse = (text: string) => netstatFormat.parse(text, { source: 'test' });
const noLine = (r: SocketRecord) => {
  const { line: _line, ...rest } = r;
  return rest;
};
const tuple = (r: SocketRecord) => `${r.localIp}:${r.localPort} ${r.remoteIp}:${r.remotePort} ${r.state}`;

describe('netstat/ss samples', () => {
  it('reads the runbook netstat -ptn | grep ESTABLISHED line with its masks', () => {
    const r = parse(sample('aks-snat-runbook/06_netstat_-ptn_established.txt'));
    expect(r.records).toEqual([{
      tool: 'netstat', platform: 'linux', proto: 'tcp', ipVersion: 4, recvQ: 0, sendQ: 0,
      localIp: '10.x.x.x', localPort: null, remoteIp: '20.x.x.x', remotePort: 443,
      state: 'ESTABLISHED', rawState: 'ESTABLISHED', program: 'telnet',
      masked: ['localIp', 'localPort', 'remoteIp', 'pid'], line: 1,
    }]);
    expect(r.diagnostics).toMatchObject([{ code: 'TEXT_MASKED_VALUE', line: 1 }]);
  });

  it('reads the Windows netstat -aon transcript', () => {
    const r = parse(sample('aks-snat-runbook/07_windows_netstat_-aon_established.txt'));
    expect(r.records.map((x) => [x.platform, x.proto, x.localPort, x.remotePort, x.state, x.pid, x.line])).toEqual([
      ['windows', 'tcp', 80, 9818, 'ESTABLISHED', 4, 2],
      ['windows', 'tcp', 80, 15892, 'ESTABLISHED', 4, 3],
      ['windows', 'tcp', 80, 55785, 'ESTABLISHED', 4, 4],
      ['windows', 'tcp', 49167, 80, 'ESTABLISHED', 9188, 5],
    ]);
    expect(r.records[3]).toMatchObject({ localIp: '10.x.x.x', remoteIp: '13.x.x.x', ipVersion: 4, masked: ['localIp', 'remoteIp'] });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([2, 3, 4, 5].map((l) => ['TEXT_MASKED_VALUE', l]));
  });
});

describe('netstat/ss lab captures (see fixtures/node-tools/lab/README.md)', () => {
  it('reads ss -tanp with users:(("…",pid=…,fd=…)) and IPv6 in brackets', () => {
    const r = parse(lab('ss_-tanp_client.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toEqual({
      tool: 'ss', platform: 'linux', proto: 'tcp', protoGuessed: true, ipVersion: 4, recvQ: 0, sendQ: 0,
      localIp: '10.77.0.2', localPort: 58230, remoteIp: '10.88.0.2', remotePort: 8080,
      state: 'ESTABLISHED', rawState: 'ESTAB', pid: 13753, program: 'python3',
      processes: [{ program: 'python3', pid: 13753, fd: 3 }], line: 2,
    });
    expect(r.records[1]).toMatchObject({ state: 'TIME_WAIT', rawState: 'TIME-WAIT', localPort: 58234 });
    expect(r.records[1].pid).toBeUndefined();
    expect(r.records[4]).toMatchObject({ ipVersion: 6, localIp: 'fd77::2', remoteIp: 'fd88::2', remotePort: 8443 });
  });

  it('reads listening sockets: 0.0.0.0:*, *:8443, :::8443', () => {
    const ss = parse(lab('ss_-tanp_server.txt')).records;
    expect(ss.filter((x) => x.state === 'LISTEN').map((x) => [x.localIp, x.localPort, x.remoteIp, x.remotePort])).toEqual([
      ['0.0.0.0', 8080, '0.0.0.0', null], ['0.0.0.0', 9090, '0.0.0.0', null], ['*', 8443, '*', null],
    ]);
    const ns = parse(lab('netstat_-ant_server.txt')).records;
    expect(ns.find((x) => x.localPort === 8443 && x.state === 'LISTEN')).toMatchObject({ localIp: '::', remoteIp: '::', remotePort: null, ipVersion: 6, line: 7 });
  });

  it('sees the same connections through ss and netstat', () => {
    const ss = parse(lab('ss_-tanp_client.txt')).records;
    const ns = parse(lab('netstat_-tanp_client.txt')).records;
    expect(new Set(ns.map(tuple))).toEqual(new Set(ss.map(tuple)));
    expect(ns.filter((x) => x.pid !== undefined).map((x) => x.pid)).toEqual(ss.filter((x) => x.pid !== undefined).map((x) => x.pid));
    const ptn = parse(lab('netstat_-ptn_server.txt')).records;
    expect(ptn.map((x) => [x.localIp, x.localPort, x.remoteIp, x.remotePort, x.pid, x.program, x.line])).toEqual([
      ['10.88.0.2', 9090, '10.88.0.1', 47092, 13694, 'python3', 3],
      ['10.88.0.2', 8080, '10.88.0.1', 58230, 13694, 'python3', 4],
      ['fd88::2', 8443, 'fd88::1', 35646, 13694, 'python3', 5],
    ]);
  });
});

describe('netstat/ss shapes', () => {
  it('reads a full Windows netstat -aon and -b owner lines', () => {
    const text = [
      '',
      'Active Connections',
      '',
      '  Proto  Local Address          Foreign Address        State           PID',
      '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       912',
      '  TCP    10.240.0.4:49712       52.239.1.10:443        TIME_WAIT       0',
      '  TCP    [::]:135               [::]:0                 LISTENING       912',
      '  UDP    0.0.0.0:123            *:*                                    1460',
      '  TCP    10.240.0.4:49713       20.50.2.1:443          SYN_SENT        3120',
      '  RpcSs',
      ' [svchost.exe]',
    ].join('\r\n') + '\r\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.proto, x.localIp, x.localPort, x.remoteIp, x.remotePort, x.state, x.pid, x.platform])).toEqual([
      ['tcp', '0.0.0.0', 135, '0.0.0.0', 0, 'LISTEN', 912, 'windows'],
      ['tcp', '10.240.0.4', 49712, '52.239.1.10', 443, 'TIME_WAIT', 0, 'windows'],
      ['tcp', '::', 135, '::', 0, 'LISTEN', 912, 'windows'],
      ['udp', '0.0.0.0', 123, '*', null, 'UNCONN', 1460, 'windows'],
      ['tcp', '10.240.0.4', 49713, '20.50.2.1', 443, 'SYN_SENT', 3120, 'windows'],
    ]);
    expect(r.records[4].program).toBe('svchost.exe');
  });

  it('reads ss with a Netid column, several owners, IPv4-mapped and scoped addresses, skipping unix sockets', () => {
    const text = [
      'Netid State  Recv-Q Send-Q          Local Address:Port     Peer Address:Port Process',
      'u_str ESTAB  0      0                            * 23456               * 23457 users:(("dbus-daemon",pid=1,fd=12))',
      'udp   UNCONN 0      0              10.0.0.5%eth0:68            0.0.0.0:*     users:(("dhclient",pid=77,fd=6))',
      'tcp   LISTEN 0      511                          *:80                  *:*     users:(("nginx",pid=201,fd=6),("nginx",pid=200,fd=6))',
      'tcp   ESTAB  0      36     [::ffff:10.244.1.7]:80   [::ffff:10.244.2.9]:51234 users:(("nginx",pid=201,fd=11))',
      'tcp   ESTAB  0      0          [fe80::1]%eth0:22          [fe80::2]:50000',
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.proto, x.localIp, x.localZone, x.localPort, x.remoteIp, x.state, x.pid])).toEqual([
      ['udp', '10.0.0.5', 'eth0', 68, '0.0.0.0', 'UNCONN', 77],
      ['tcp', '*', undefined, 80, '*', 'LISTEN', 201],
      ['tcp', '::ffff:10.244.1.7', undefined, 80, '::ffff:10.244.2.9', 'ESTABLISHED', 201],
      ['tcp', 'fe80::1', 'eth0', 22, 'fe80::2', 'ESTABLISHED', undefined],
    ]);
    expect(r.records[1].processes).toEqual([{ program: 'nginx', pid: 201, fd: 6 }, { program: 'nginx', pid: 200, fd: 6 }]);
    expect(r.records[0].protoGuessed).toBeUndefined();
  });

  it('reads netstat -taupeo (User/Inode/Timer columns, UDP without state) and skips the UNIX section', () => {
    const text = [
      '(Not all processes could be identified, non-owned process info',
      ' will not be shown, you would have to be root to see it all.)',
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name',
      'tcp        0      0 127.0.0.1:631           0.0.0.0:*               LISTEN      root       24587      -',
      'tcp        0      0 10.0.2.15:43210         140.82.112.3:443        ESTABLISHED alice      81234      4321/Web Content',
      'udp        0      0 0.0.0.0:68              0.0.0.0:*                           root       19876      812/dhclient',
      'tcp        0      0 10.0.2.15:43211         140.82.112.4:443        ESTABLISHED alice      81235      4321/Web Content     keepalive (7190.05/0/0)',
      'Active UNIX domain sockets (servers and established)',
      'Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path',
      'unix  2      [ ACC ]     STREAM     LISTENING     20134    1/systemd            /run/systemd/private',
    ].join('\n') + '\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.proto, x.localPort, x.state, x.pid, x.program])).toEqual([
      ['tcp', 631, 'LISTEN', undefined, undefined],
      ['tcp', 43210, 'ESTABLISHED', 4321, 'Web Content'],
      ['udp', 68, 'UNCONN', 812, 'dhclient'],
      ['tcp', 43211, 'ESTABLISHED', 4321, 'Web Content'],
    ]);
  });

  it('refuses names where numbers are needed (netstat without -n)', () => {
    const r = parse('tcp        0      0 node-1:ssh              laptop.lan:52344        ESTABLISHED\n');
    expect(r.records).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ code: 'TEXT_MALFORMED_LINE', line: 1 }]);
    expect(r.diagnostics[0].message).toMatch(/-n/);
  });

  it('splits endpoints the way each tool prints them', () => {
    expect(parseEndpoint('fd88::2:8443')).toMatchObject({ ip: 'fd88::2', port: 8443, version: 6 });
    expect(parseEndpoint(':::*')).toMatchObject({ ip: '::', port: null });
    expect(parseEndpoint('[2001:DB8:0:0:0:0:0:1]:443')).toMatchObject({ ip: '2001:db8::1', port: 443 });
    expect(parseEndpoint('10.x.x.x:xxxx')).toMatchObject({ ip: '10.x.x.x', port: null, ipMasked: true, portMasked: true });
    expect(parseEndpoint('1.2.3.4:70000')).toBeNull();
    expect(parseEndpoint('localhost:http')).toBeNull();
  });
});

describe('netstat robustness', () => {
  const original = lab('netstat_-tanp_client.txt');

  it('reports interleaved garbage at its 1-based line numbers and keeps every row', () => {
    const { text, at } = interleave(original, ['tcp 0 0 garbage', '!!', 'ESTAB 0 0 nope'], 2);
    const r = parse(text);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual(at.map((l) => ['TEXT_MALFORMED_LINE', l]));
    const want = parse(original).records;
    expect(r.records.map(noLine)).toEqual(want.map(noLine));
    expect(r.records.map((x) => x.line)).toEqual(want.map((x) => shifted(x.line, 2)));
  });

  it('reports a last row cut inside its addresses as truncated, and one cut later as possibly cut', () => {
    const last = original.trimEnd().split('\n').at(-1)!;
    const inAddr = parse(truncate(original, last.length - 30));
    expect(inAddr.records).toHaveLength(4);
    expect(inAddr.diagnostics).toMatchObject([{ code: 'TEXT_TRUNCATED', severity: 'dataLoss', line: 7 }]);
    const inProgram = parse(truncate(original, 12));
    expect(inProgram.records).toHaveLength(5);
    expect(inProgram.diagnostics).toMatchObject([{ code: 'TEXT_TRUNCATED', line: 7 }]);
  });

  it('is not fooled by conntrack lines that start like netstat rows', () => {
    expect(netstatFormat.sniff(head(lab('conntrack_-L.txt')), 'x')).toBe(0);
  });
});

describe('ss variants made in the lab (fixtures/node-tools/lab/variants/README.md)', () => {
  const V = 'fixtures/node-tools/lab/variants';
  const parseV = async (n: string) => {
    const { netstatFormat } = await import('../../core/formats/netstat/index.js');
    const { readFileSync } = await import('node:fs');
    return netstatFormat.parse(readFileSync(`${V}/${n}`, 'utf8'), { source: n });
  };

  it('ss -teipn: the second line (tcp_info) and -e fields belong to the socket above them', async () => {
    const r = await parseV('ss_-teipn.txt');
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.localPort, x.remotePort, x.recvQ, x.inode, x.cookie, x.pid, x.tcpInfo?.bytesReceived ?? null, x.tcpInfo?.bytesSent ?? null, x.line])).toEqual([
      [8080, 45114, 5, 79336, '1002', 17438, 5, null, 2],
      [45114, 8080, 0, 79335, '1003', 17438, null, 5, 4],
    ]);
    expect(r.records[0].tcpInfo).toMatchObject({ rttMs: 0.027, rttVarMs: 0.013, rtoMs: 204, cwnd: 10, lastRecvMs: 92 });
  });

  it("ss -tapionume (Retina's socket-stats.txt) keeps skmem; ss -H without its header still reads", async () => {
    const r = await parseV('ss_-tapionume.txt');
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toHaveLength(3);
    expect(r.records[1].tcpInfo?.skmem).toBe('r837,rb131072,t0,tb3939840,f3259,w0,o0,bl0,d0');
    const h = await parseV('ss_-tanH_no_header.txt');
    expect(h.diagnostics).toEqual([]);
    expect(h.records.map((x) => [x.state, x.localPort, x.remotePort])).toEqual([['LISTEN', 8080, null], ['ESTABLISHED', 8080, 45114], ['ESTABLISHED', 45114, 8080]]);
  });
});
