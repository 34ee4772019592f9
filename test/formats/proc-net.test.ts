import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { procNetFormat, type ProcSocketRecord } from '../../core/formats/proc-net/index.js';
import { procAddress } from '../../core/formats/proc-net/reader.js';
import { detectTextFormat } from '../../core/formats/registry.js';
import { netstatFormat } from '../../core/formats/netstat/index.js';

const DIR = 'fixtures/node-tools/lab/proc-net';
const read = (n: string) => readFileSync(join(DIR, n), 'utf8');
const sockets = (n: string) => {
  const r = procNetFormat.parse(read(n), { source: n });
  expect(r.diagnostics, n).toEqual([]);
  return r.records as ProcSocketRecord[];
};

describe('/proc/net socket tables (lab, fixtures/node-tools/lab/proc-net/README.md)', () => {
  it('are detected as proc-net, the counters too', () => {
    for (const n of ['proc_net_tcp', 'proc_net_tcp6', 'proc_net_udp', 'proc_net_udp6', 'proc_net_snmp']) expect(detectTextFormat(read(n), n)?.format.kind, n).toBe('proc-net');
  });

  it('hold the same sockets ss listed at the same moment', () => {
    const ours = ['proc_net_tcp', 'proc_net_tcp6', 'proc_net_udp', 'proc_net_udp6'].flatMap(sockets)
      .map((s) => `${s.proto} ${s.state} ${s.localIp}:${s.localPort} ${s.remoteIp}:${s.remotePort}`).sort();
    const ss = netstatFormat.parse(read('ss_-tuanp_same_moment.txt'), { source: 'ss' }).records
      .map((s) => `${s.proto} ${s.state} ${s.localIp === '*' ? (s.ipVersion === 4 ? '0.0.0.0' : '::') : s.localIp}:${s.localPort} ${s.remoteIp === '*' ? (s.localIp.includes(':') || s.localIp === '*' && s.ipVersion !== 4 ? '::' : '0.0.0.0') : s.remoteIp}:${s.remotePort ?? 0}`).sort();
    expect(ours).toEqual(ss);
  });

  it('read queues, uid, inode and the LISTEN backlog as the kernel keeps them', () => {
    const tcp = sockets('proc_net_tcp');
    expect(tcp[0]).toEqual({ type: 'socket', proto: 'tcp', ipVersion: 4, localIp: '10.99.13.1', localPort: 8080, remoteIp: '0.0.0.0', remotePort: 0, state: 'LISTEN', txQueue: 0, rxQueue: 2, uid: 0, inode: 64185, slot: 0, line: 2 });
    expect(tcp.find((s) => s.state === 'FIN_WAIT2')).toMatchObject({ inode: 0, remotePort: 46460 });
    expect(sockets('proc_net_tcp6')[0]).toMatchObject({ localIp: 'fd13::1', localPort: 8443, state: 'LISTEN' });
    expect(sockets('proc_net_udp')).toEqual([expect.objectContaining({ proto: 'udp', state: 'UNCONN', localIp: '0.0.0.0', localPort: 5353, slot: 9462 })]);
  });

  it('counters: one record per protocol line pair', () => {
    const r = procNetFormat.parse(read('proc_net_snmp'), { source: 'snmp' });
    expect(r.diagnostics).toEqual([]);
    const tcp = r.records.find((x) => x.type === 'counters' && x.group === 'Tcp');
    expect(tcp).toMatchObject({ type: 'counters', counters: expect.objectContaining({ ActiveOpens: 4, PassiveOpens: 4 }) });
  });

  it('addresses: little-endian words, IPv4-mapped IPv6; a cut row is reported', () => {
    expect(procAddress('0100007F')).toEqual({ ip: '127.0.0.1', version: 4 });
    expect(procAddress('0000000000000000FFFF00000100007F')).toEqual({ ip: '::ffff:127.0.0.1', version: 6 });
    const l = read('proc_net_tcp').split('\n');
    const cut = `${l[0]}\n${l[1]}\n${l[2].slice(0, 50)}`;
    expect(procNetFormat.parse(cut, { source: 'tcp' }).diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 3]]);
  });
});
