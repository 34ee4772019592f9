import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { listDiagnostics, listSources } from '../../core/api/queries/sources.js';
import { openCase } from '../../core/db/open-case.js';
import { workDirFor } from '../../core/ingest/archive/archive.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { buildZip } from '../helpers/zip.js';
import { tarBytes } from './archive-fixtures.js';

const PCAP = 'fixtures/samples/captures/tcpdump/dns_tcp.pcap';
const LSNS = 'fixtures/samples/node-tools/aks-snat-runbook/03_lsns_-t_net.txt';
const LAB = 'fixtures/lab/bundles';

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });
const tmp = (): string => {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'podcap-archive-ingest-')));
  roots.push(d);
  return d;
};
const count = (db: ReturnType<typeof openCase>, table: string) => (db.prepare(`SELECT count(*) n FROM ${table}`).get() as { n: number }).n;

describe('ingesting bundles', () => {
  it('ingests a capture and a text dump from a tar.gz, named archive!/member, its folder kept and no node from the folder name alone', async () => {
    const d = tmp();
    mkdirSync(join(d, 'stage', 'aks-nodepool1-38164255-vmss000002'), { recursive: true });
    copyFileSync(PCAP, join(d, 'stage', 'aks-nodepool1-38164255-vmss000002', 'dns_tcp.pcap'));
    copyFileSync(LSNS, join(d, 'stage', 'aks-nodepool1-38164255-vmss000002', '03_lsns_-t_net.txt'));
    const tgz = join(d, 'bundle.tar.gz');
    await create({ gzip: true, file: tgz, cwd: join(d, 'stage'), portable: true }, ['aks-nodepool1-38164255-vmss000002']);
    const db = openCase(join(d, 'c.db'));

    const res = await ingestPaths(db, [tgz]);
    expect(res.map((r) => [r.path, r.status, r.kind, r.direct])).toEqual([
      [`${tgz}!/aks-nodepool1-38164255-vmss000002/03_lsns_-t_net.txt`, 'ingested', 'lsns', false],
      [`${tgz}!/aks-nodepool1-38164255-vmss000002/dns_tcp.pcap`, 'ingested', 'pcap', false],
    ]);
    const sources = listSources(db);
    // nothing in lsns or the capture says which node this is (issue 12: a folder name is not a node)
    expect(sources.map((s) => [s.path.slice(tgz.length), s.kind, s.node, s.folder, s.bytes])).toEqual([
      ['!/aks-nodepool1-38164255-vmss000002/03_lsns_-t_net.txt', 'lsns', null, 'aks-nodepool1-38164255-vmss000002', statSync(LSNS).size],
      ['!/aks-nodepool1-38164255-vmss000002/dns_tcp.pcap', 'pcap', null, 'aks-nodepool1-38164255-vmss000002', statSync(PCAP).size],
    ]);
    expect([...iterateFlows(db)].map((f) => [f.orig_ip, f.resp_ip, f.resp_port, f.state])).toEqual([['192.168.1.11', '209.87.249.18', 53, 'SF']]);
    // Extracted into the case's own working folder, next to the case file.
    expect(readdirSync(join(d, 'c.db.work', 'extract')).filter((n) => n.endsWith('.json'))).toHaveLength(1);

    // The same bundle again (even renamed): every member is a duplicate, nothing is added.
    copyFileSync(tgz, join(d, 'again.tgz'));
    const diagsBefore = count(db, 'diagnostics');
    const again = await ingestPaths(db, [join(d, 'again.tgz')]);
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(count(db, 'sources')).toBe(2);
    expect(count(db, 'diagnostics')).toBe(diagsBefore);
  });

  it('stores archive problems in the case once, however often the archive is ingested', async () => {
    const d = tmp();
    const tgz = join(d, 'hostile.tgz');
    writeFileSync(tgz, gzipSync(tarBytes([
      { path: '../../../../evil.pcap', data: readFileSync(PCAP) },
      { path: 'link', type: 'SymbolicLink', linkpath: '/etc' },
      { path: 'n1/dns_tcp.pcap', data: readFileSync(PCAP) },
    ])));
    const db = openCase(join(d, 'c.db'));
    const res = await ingestPaths(db, [tgz]);
    expect(res.map((r) => [r.path, r.status, r.direct])).toEqual([[`${tgz}!/n1/dns_tcp.pcap`, 'ingested', false]]);
    expect(listSources(db).map((s) => [s.node, s.folder])).toEqual([[null, 'n1']]);
    const diags = () => listDiagnostics(db).map((r) => [r.code, r.path]);
    expect(diags()).toEqual([['ARCHIVE_UNSAFE_PATH', tgz], ['ARCHIVE_SYMLINK', tgz]]);
    await ingestPaths(db, [tgz]);
    expect(diags()).toEqual([['ARCHIVE_UNSAFE_PATH', tgz], ['ARCHIVE_SYMLINK', tgz]]);
    expect(existsSync(join(d, '..', '..', '..', 'evil.pcap'))).toBe(false);
  });

  it('reports an archive that cannot be read at all as a failed input', async () => {
    const d = tmp();
    const zip = buildZip([{ name: 'a.pcap', data: readFileSync(PCAP) }]);
    writeFileSync(join(d, 'cut.zip'), zip.subarray(0, zip.length - 10));
    const db = openCase(join(d, 'c.db'));
    const res = await ingestPaths(db, [join(d, 'cut.zip')]);
    expect(res).toEqual([expect.objectContaining({ path: join(d, 'cut.zip'), status: 'failed', direct: true, reason: expect.stringMatching(/^not a readable zip/) })]);
    expect(listDiagnostics(db).map((r) => r.code)).toEqual(['ARCHIVE_CORRUPT']);
  });

  it('an in-memory case extracts into a temporary folder of its own', async () => {
    const d = tmp();
    writeFileSync(join(d, 'b.zip'), buildZip([{ name: 'n/dns.pcap', data: readFileSync(PCAP) }]));
    const db = openCase(':memory:');
    const res = await ingestPaths(db, [join(d, 'b.zip')]);
    expect(res.map((r) => [r.status, r.kind])).toEqual([['ingested', 'pcap']]);
    expect(readdirSync(d)).toEqual(['b.zip']);
    roots.push(workDirFor(':memory:')); // removed at process exit; a test worker may not get one
    expect(workDirFor(':memory:')).toMatch(new RegExp(`^${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.podcap-work-`));
    expect(workDirFor('/cases/c.db')).toBe('/cases/c.db.work');
  });

  it('uses the given working folder', async () => {
    const d = tmp();
    const db = openCase(join(d, 'c.db'));
    writeFileSync(join(d, 'b.zip'), buildZip([{ name: 'n/dns.pcap', data: readFileSync(PCAP) }]));
    const res = await ingestPaths(db, [join(d, 'b.zip')], { workDir: join(d, 'elsewhere') });
    expect(res[0].status).toBe('ingested');
    expect(existsSync(join(d, 'elsewhere', 'extract'))).toBe(true);
    expect(existsSync(join(d, 'c.db.work'))).toBe(false);

    // A working folder that cannot be made fails the archive (with the reason), not the ingest.
    writeFileSync(join(d, 'a-file'), 'x');
    writeFileSync(join(d, 'other.zip'), buildZip([{ name: 'n/lsns.txt', data: readFileSync(LSNS) }]));
    const bad = await ingestPaths(db, [join(d, 'other.zip'), PCAP], { workDir: join(d, 'a-file', 'work') });
    expect(bad.map((r) => [r.status, r.direct])).toEqual([['failed', true], ['duplicate', true]]);
    expect(bad[0].reason).toMatch(/^cannot create the working folder .*a-file.work: ENOTDIR/);
  });

  it('a lab bundle as a tar.gz gives the same sources, kinds and nodes as the same bundle as a folder', async () => {
    const d = tmp();
    const fromTar = openCase(join(d, 'tar.db'));
    const fromDir = openCase(join(d, 'dir.db'));
    await ingestPaths(fromTar, [join(LAB, 'rst-mix.tar.gz')]);
    await ingestPaths(fromDir, [join(LAB, 'rst-mix')]);
    const view = (db: ReturnType<typeof openCase>, prefix: string) => listSources(db)
      .map((s) => [s.path.slice(prefix.length), s.kind, s.node, s.sha256, s.records])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const tarView = view(fromTar, `${join(LAB, 'rst-mix.tar.gz')}!/rst-mix`);
    expect(tarView.length).toBeGreaterThan(10);
    expect(tarView).toEqual(view(fromDir, join(LAB, 'rst-mix')));
    expect(tarView.filter((s) => s[2] === 'aks-nodepool1-38164255-vmss000002').length).toBeGreaterThan(5);
    expect(count(fromTar, 'flows')).toBe(count(fromDir, 'flows'));
  });
});
