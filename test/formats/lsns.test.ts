import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lsnsFormat } from '../../core/formats/lsns/index.js';
import { LAB, SAMPLES, codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string) => lsnsFormat.parse(text, { source: 't' });

describe('lsns', () => {
  it('reads the AKS runbook sample (default columns, hand-aligned)', () => {
    const r = parseFile(lsnsFormat, join(SAMPLES, 'aks-snat-runbook/03_lsns_-t_net.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([{ inode: 4026532785, type: 'net', nprocs: 3, pid: 19832, user: 'root', command: 'bash', line: 2 }]);
  });

  it('reads `lsns -t net` with right-aligned numbers, "unassigned" NETNSID and NSFS paths', () => {
    const r = parseFile(lsnsFormat, join(LAB, 'lsns_-t_net.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { inode: 4026532537, type: 'net', nprocs: 6, pid: 1, user: 'root', nsfs: '/run/netns/pnt-node', command: '/tmp/pntlab/bin/systemd', line: 2 },
      {
        inode: 4026532744, type: 'net', nprocs: 4, pid: 18, user: 'root', netnsid: 1,
        nsfs: '/run/netns/cni-6f1d7f0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a', command: '/tmp/pntlab/bin/pause', line: 3,
      },
      {
        inode: 4026532813, type: 'net', nprocs: 3, pid: 27, user: 'root', netnsid: 2,
        nsfs: '/run/netns/cni-a3c4e5f6-7081-4293-a4b5-c6d7e8f90a1b', command: '/tmp/pntlab/bin/pause', line: 4,
      },
    ]);
  });

  it('gives the same namespaces from -J, the runbook columns and the full listing', () => {
    const table = parseFile(lsnsFormat, join(LAB, 'lsns_-t_net.txt')).records;
    const json = parseFile(lsnsFormat, join(LAB, 'lsns_-t_net_-J.json'));
    expect(json.diagnostics).toEqual([]);
    expect(json.records.map(({ line: _l, ...r }) => r)).toEqual(table.map(({ line: _l, ...r }) => r));
    expect(json.records.map((r) => r.line)).toEqual([3, 12, 21]);
    const runbook = parseFile(lsnsFormat, join(LAB, 'lsns_-t_net_-o_runbook.txt')).records;
    expect(runbook.map((r) => [r.inode, r.pid, r.command])).toEqual(table.map((r) => [r.inode, r.pid, r.command]));
    const all = parseFile(lsnsFormat, join(LAB, 'lsns.txt'));
    expect(all.diagnostics).toEqual([]);
    expect(all.records.map((r) => r.type)).toEqual(['time', 'cgroup', 'user', 'uts', 'ipc', 'net', 'net', 'net', 'mnt', 'pid']);
  });

  it('keeps a COMMAND with spaces whole', () => {
    const r = parse('        NS TYPE NPROCS   PID USER COMMAND\n4026532785 net       3 19832 root /usr/bin/python3 -m http.server 8080\n');
    expect(r.records[0]).toMatchObject({ pid: 19832, command: '/usr/bin/python3 -m http.server 8080' });
  });

  it('reports masked values, drops a namespace whose inode is masked', () => {
    const r = parse('NS         TYPE NPROCS PID   USER  COMMAND\n40265xxxx5 net  3      19832 root  bash\n4026532785 net  3      1xxx2 root  bash\n');
    expect(codes(r.diagnostics)).toEqual(['TEXT_MASKED_VALUE@2', 'TEXT_MASKED_VALUE@3']);
    expect(r.records).toEqual([{ inode: 4026532785, type: 'net', nprocs: 3, user: 'root', command: 'bash', line: 3, masked: ['pid'] }]);
  });

  it('reports garbage with line numbers and a cut last row as truncated', () => {
    const text = read(join(LAB, 'lsns_-t_net.txt'));
    const lines = text.split('\n');
    lines.splice(2, 0, 'garbage garbage');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3']);
    expect(r.records).toHaveLength(3);
    const cut = parse(cutEnd(text, 90));
    expect(cut.records).toHaveLength(2);
    expect(cut.diagnostics.map((d) => [d.code, d.line, d.severity])).toEqual([['TEXT_TRUNCATED', 4, 'dataLoss']]);
  });

  it('salvages a cut lsns -J and reports it', () => {
    const json = read(join(LAB, 'lsns_-t_net_-J.json'));
    const r = parse(json.slice(0, json.lastIndexOf('"command"')));
    expect(r.records.map((x) => x.pid)).toEqual([1, 18]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
  });
});
