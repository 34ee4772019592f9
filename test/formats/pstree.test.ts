import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findShimAncestor, pstreeFormat } from '../../core/formats/pstree/index.js';
import type { PstreeRecord } from '../../core/formats/pstree/index.js';
import { LAB, SAMPLES, codes, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string) => pstreeFormat.parse(text, { source: 't' });
const SANDBOX_A = '0b3e6a3c9f1d4e2a8c7b5d6e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a';
const SANDBOX_B = '5d2f9e8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e';
const byPid = (records: PstreeRecord[], pid: number) => records.find((r) => r.pid === pid)!;

describe('pstree', () => {
  it('reads the AKS runbook sample and flags its masked shim id', () => {
    const r = parseFile(pstreeFormat, join(SAMPLES, 'aks-snat-runbook/04_pstree_-aps_19832.txt'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MASKED_VALUE@2']);
    expect(r.records).toEqual([
      { pid: 1, name: 'systemd', depth: 0, isThread: false, line: 1 },
      { pid: 20946, name: 'containerd-shim', args: '-namespace k8s.io -id 2xxxf...', parentPid: 1, depth: 1, isThread: false, line: 2, masked: ['shimId'] },
    ]);
    const shim = findShimAncestor(r.records, 20946)!;
    // The masked id is kept verbatim and flagged: correlation may only use it through its masks.
    expect(shim).toMatchObject({ pid: 20946, namespace: 'k8s.io', idMasked: true, id: '2xxxf...' });
  });

  it('reads `pstree -apl`: parents, depths, threads, zombie, hostile names kept verbatim', () => {
    const r = parseFile(pstreeFormat, join(LAB, 'pstree_-apl.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toHaveLength(24);
    expect(byPid(r.records, 14)).toEqual({
      pid: 14, name: 'containerd-shim', args: `-namespace k8s.io -id ${SANDBOX_A} -address /run/containerd/containerd.sock`,
      parentPid: 1, depth: 1, isThread: false, line: 6,
    });
    expect(byPid(r.records, 20)).toEqual({ pid: 20, name: 'nginx', parentPid: 19, depth: 3, isThread: false, line: 8 });
    expect(byPid(r.records, 16)).toEqual({ pid: 16, name: 'containerd-shim', parentPid: 14, depth: 2, isThread: true, line: 11 });
    expect(byPid(r.records, 31)).toEqual({
      pid: 31, name: '<img src=x oner', args: '--title=<script>alert(1)</script> a b', parentPid: 23, depth: 2, isThread: false, line: 14,
    });
    expect(byPid(r.records, 32)).toMatchObject({ name: 'containerd-shim', noCommandLine: true, parentPid: 23 });
    expect(byPid(r.records, 12)).toMatchObject({ name: 'kubelet', isThread: true, parentPid: 9, depth: 2, line: 24 });
  });

  it('finds the shim above a pod process and its -id (the pod sandbox id for runc v2)', () => {
    const r = parseFile(pstreeFormat, join(LAB, 'pstree_-apl.txt')).records;
    expect(findShimAncestor(r, 20)).toEqual({
      pid: 14, name: 'containerd-shim', id: SANDBOX_A, idIsPrefix: false, idTruncated: false, namespace: 'k8s.io',
      address: '/run/containerd/containerd.sock', line: 6,
    });
    expect(findShimAncestor(r, 31)?.id).toBe(SANDBOX_B);
    expect(findShimAncestor(r, 14)?.pid).toBe(14);
    expect(findShimAncestor(r, 9)).toBeUndefined(); // kubelet runs under systemd, not a shim
    expect(findShimAncestor(r, 99999)).toBeUndefined();
  });

  it('reads -aps output without -l, where pstree cut the line and glued "-addr" onto the id', () => {
    const r = parseFile(pstreeFormat, join(LAB, 'pstree_-aps_nginx.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.pid, x.parentPid, x.depth])).toEqual([
      [1, undefined, 0],
      [14, 1, 1],
      [19, 14, 2],
      [20, 19, 3],
      [21, 19, 3],
    ]);
    expect(findShimAncestor(r.records, 19)).toMatchObject({ id: SANDBOX_A, idIsPrefix: false, idTruncated: true });
  });

  it('reads UTF-8 line drawing (-U) exactly like ASCII', () => {
    const ascii = parseFile(pstreeFormat, join(LAB, 'pstree_-ap.txt'));
    const utf8 = parseFile(pstreeFormat, join(LAB, 'pstree_-apU.txt'));
    expect(utf8.diagnostics).toEqual([]);
    expect(utf8.records).toEqual(ascii.records);
  });

  it('keeps -S namespace transitions', () => {
    const r = parseFile(pstreeFormat, join(LAB, 'pstree_-apS.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(byPid(r.records, 18)).toMatchObject({ name: 'pause', namespaces: ['net'] });
    expect(byPid(r.records, 31)).toMatchObject({ name: '<img src=x oner', namespaces: ['net'], args: '--title=<script>alert(1)</script> a b' });
    expect(byPid(r.records, 20).namespaces).toBeUndefined();
  });

  it('reads two pasted trees separated by prompt lines', () => {
    const one = read(join(LAB, 'pstree_-aps_nginx.txt'));
    const r = parse(`$ pstree -aps 19\n${one}$ pstree -aps 20\n${one}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toHaveLength(10);
    expect(r.records[5]).toMatchObject({ pid: 1, depth: 0, line: 8 });
    expect(r.records[6]!.parentPid).toBe(1);
  });

  it('reports garbage, impossible depth and a cut last line', () => {
    const r = parse('systemd,1\n  |-a,2\nnot a tree line\n          |-b,3\n  `-c,4 --flag\n');
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@3', 'TEXT_MALFORMED_LINE@4']);
    expect(r.records.map((x) => x.pid)).toEqual([1, 2, 4]);
    const cut = parse('systemd,1\n  `-containerd-shim,14 -namespace k8s.io -id 0b3e6a');
    expect(cut.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 2]]);
    expect(findShimAncestor(cut.records, 14)).toMatchObject({ id: '0b3e6a', idIsPrefix: true });
  });

  it('reads a v1 shim (-workdir) and CRI-O conmon (-c)', () => {
    const id = 'a'.repeat(64);
    const r = parse(
      `systemd,1\n  |-containerd-shim,50 -namespace moby -workdir /var/lib/containerd/io.containerd.runtime.v1.linux/moby/${id} -address /run/containerd/containerd.sock\n  |   \`-nginx,51\n  \`-conmon,60 -b /x -c ${'b'.repeat(64)} -n k8s_x\n      \`-pause,61\n`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(findShimAncestor(r.records, 51)).toMatchObject({ pid: 50, id, namespace: 'moby' });
    expect(findShimAncestor(r.records, 61)).toMatchObject({ pid: 60, name: 'conmon', id: 'b'.repeat(64) });
  });
});
