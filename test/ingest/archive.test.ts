import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../core/diagnostics.js';
import { expandArchives, type ArchiveLimits } from '../../core/ingest/archive/archive.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../core/ingest/archive/limits.js';
import { detectArchive, sniffArchive } from '../../core/ingest/archive/sniff.js';
import { checkMemberPath } from '../../core/ingest/archive/safe-path.js';
import { walkInputs, type WalkResult } from '../../core/ingest/walk.js';
import { buildZip } from '../helpers/zip.js';
import { TAR_MTIME, tarBytes, writeGzipBomb } from './archive-fixtures.js';

const PCAP = 'fixtures/samples/captures/tcpdump/dns_tcp.pcap';
const LSNS = 'fixtures/samples/node-tools/aks-snat-runbook/03_lsns_-t_net.txt';

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

/** A fresh root per test: inputs in `in/`, podcap's working folder `work/`, a decoy in `outside/`. */
function fresh() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'podcap-archive-')));
  roots.push(root);
  const input = join(root, 'in');
  const work = join(root, 'work');
  const outside = join(root, 'outside');
  mkdirSync(input);
  mkdirSync(outside);
  writeFileSync(join(outside, 'passwd'), 'root:x:0:0:decoy\n');
  return { root, input, work, outside };
}

async function expand(paths: string[], work: string, limits?: Partial<ArchiveLimits>): Promise<WalkResult> {
  return expandArchives(await walkInputs(paths), { workDir: work, limits });
}

/** Every path under `dir` (links not followed), relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      out.push(relative(dir, full));
      if (lstatSync(full).isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** What appeared under `root` since `before`, outside `work/extract/`. */
function createdOutsideExtract(root: string, before: string[]): string[] {
  const old = new Set(before);
  return tree(root).filter((p) => !old.has(p) && p !== 'work' && p !== join('work', 'extract') && !p.startsWith(join('work', 'extract') + sep));
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);
const shown = (r: WalkResult, root: string) => r.files.map((f) => [f.displayPath.slice(root.length + 1), f.node]);
const content = (r: WalkResult, suffix: string) => readFileSync(r.files.find((f) => f.displayPath.endsWith(suffix))!.fsPath);

describe('archive detection', () => {
  it('recognises archives by content, not by name', async () => {
    const { input } = fresh();
    const tar = tarBytes([{ path: 'a.txt', data: 'x' }]);
    const cases: [string, Uint8Array, string | undefined][] = [
      ['looks-like.txt', tar, 'tar'],
      ['x.bin', gzipSync(tar), 'tar.gz'],
      ['y.dat', buildZip([{ name: 'a.txt', data: Buffer.from('x') }]), 'zip'],
      ['empty.zip', buildZip([]), 'zip'],
      ['capture.pcap.gz', gzipSync(readFileSync(PCAP)), undefined],
      ['notes.tar.gz', gzipSync(Buffer.from('just text\n'.repeat(100))), undefined],
      ['capture.tar', readFileSync(PCAP), undefined],
    ];
    for (const [name, bytes, kind] of cases) {
      writeFileSync(join(input, name), bytes);
      expect([name, await detectArchive(join(input, name))]).toEqual([name, kind]);
    }
  });

  it('recognises an old v7 tar header (no ustar magic) by its checksum', () => {
    const tar = tarBytes([{ path: 'old.txt', data: 'x' }]);
    tar.fill(0, 257, 265); // drop magic + version
    let sum = 0;
    tar.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) sum += tar[i];
    tar.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    expect(sniffArchive(tar)).toBe('tar');
    tar[0] ^= 1; // checksum no longer holds
    expect(sniffArchive(tar)).toBeUndefined();
  });

  it('sniffs the tar inside a gzip bomb from its first bytes only', async () => {
    const { input } = fresh();
    const bomb = join(input, 'bomb.tgz');
    await writeGzipBomb(bomb, 0.25);
    expect(await detectArchive(bomb)).toBe('tar.gz');
  });
});

describe('member paths', () => {
  it('refuses names that leave the folder, on every platform', () => {
    const refused = ['../../evil', 'a/../../evil', '/tmp/evil', '\\\\server\\share\\x', 'C:\\evil', 'c:evil', 'a:b/x', 'a\\..\\..\\evil', '..', 'x/\0y', '', './', 'a/'.repeat(70) + 'x'];
    for (const name of refused) expect([name, checkMemberPath(name).ok]).toEqual([name, false]);
  });

  it('keeps the archive\'s names for display and makes them safe on disk', () => {
    expect(checkMemberPath('./node-a//ip-link.txt')).toEqual({ ok: true, parts: ['node-a', 'ip-link.txt'], diskParts: ['node-a', 'ip-link.txt'] });
    expect(checkMemberPath('node-a\\ip.txt')).toMatchObject({ ok: true, parts: ['node-a', 'ip.txt'] });
    expect(checkMemberPath('logs/CON')).toMatchObject({ diskParts: ['logs', '_CON'] });
    expect(checkMemberPath('x/a:b/y?.txt')).toMatchObject({ parts: ['x', 'a:b', 'y?.txt'], diskParts: ['x', 'a_b', 'y_.txt'] });
    expect(checkMemberPath('dir. /.. ')).toMatchObject({ parts: ['dir. ', '.. '], diskParts: ['dir__', '___'] });
  });
});

describe('bundles', () => {
  it('expands a nested bundle (a .tar.gz inside a .zip), one folder per node', async () => {
    const { root, input, work } = fresh();
    // The inner tarball is made by node-tar from real files, as `tar czf` would.
    const stage = join(root, 'stage');
    mkdirSync(join(stage, 'caps', 'sub'), { recursive: true });
    copyFileSync(PCAP, join(stage, 'caps', 'dns_tcp.pcap'));
    copyFileSync(LSNS, join(stage, 'caps', 'sub', 'lsns.txt'));
    await create({ gzip: true, file: join(stage, 'caps.tar.gz'), cwd: join(stage, 'caps'), portable: true }, ['dns_tcp.pcap', 'sub']);
    const zip = buildZip([
      { name: 'kubectl-get-pods.txt', data: Buffer.from('NAME READY\n') },
      { name: 'node-a/', method: 0 },
      { name: 'node-a/ip-link.txt', data: Buffer.from('1: lo: <LOOPBACK,UP>\n'), mtime: new Date(Date.UTC(2023, 0, 2, 3, 4, 6)) },
      { name: 'node-b/captures.tar.gz', data: readFileSync(join(stage, 'caps.tar.gz')), method: 0 },
    ]);
    writeFileSync(join(input, 'bundle.zip'), zip);

    const r = await expand([join(input, 'bundle.zip')], work);
    expect(r.diagnostics).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(shown(r, root)).toEqual([
      ['in/bundle.zip!/kubectl-get-pods.txt', null],
      ['in/bundle.zip!/node-a/ip-link.txt', 'node-a'],
      ['in/bundle.zip!/node-b/captures.tar.gz!/dns_tcp.pcap', 'node-b'],
      ['in/bundle.zip!/node-b/captures.tar.gz!/sub/lsns.txt', 'node-b'],
    ]);
    expect(r.files.every((f) => !f.direct && f.fsPath.startsWith(join(work, 'extract') + sep))).toBe(true);
    expect(content(r, 'dns_tcp.pcap').equals(readFileSync(PCAP))).toBe(true);
    expect(content(r, 'lsns.txt').equals(readFileSync(LSNS))).toBe(true);
    expect(r.files[1].mtimeUs).toBe(Date.UTC(2023, 0, 2, 3, 4, 6) * 1000);
    // node-tar stores whole seconds
    expect(r.files[2].mtimeUs).toBe(Math.floor(statSync(join(stage, 'caps', 'dns_tcp.pcap')).mtimeMs / 1000) * 1e6);
  });

  it('treats a tarball of one folder like that folder: the folders inside it name the nodes', async () => {
    const { root, input, work } = fresh();
    writeFileSync(join(input, 'b.tgz'), gzipSync(tarBytes([
      { path: 'bundle/', type: 'Directory' },
      { path: 'bundle/kubectl.txt', data: 'k' },
      { path: 'bundle/aks-node-1/ip-link.txt', data: 'l' },
      { path: 'bundle/aks-node-1/pods/api/iflink', data: '7\n' },
      { path: 'bundle/aks-node-2/ip-link.txt', data: 'm' },
    ])));
    const r = await expand([join(input, 'b.tgz')], work);
    expect(shown(r, root)).toEqual([
      ['in/b.tgz!/bundle/kubectl.txt', null],
      ['in/b.tgz!/bundle/aks-node-1/ip-link.txt', 'aks-node-1'],
      ['in/b.tgz!/bundle/aks-node-1/pods/api/iflink', 'aks-node-1'],
      ['in/b.tgz!/bundle/aks-node-2/ip-link.txt', 'aks-node-2'],
    ]);
    expect(r.files[0].mtimeUs).toBe(TAR_MTIME.getTime() * 1000);

    // One folder holding only files is the node's own folder.
    writeFileSync(join(input, 'aks-node-3.tgz'), gzipSync(tarBytes([{ path: 'aks-node-3/ip-link.txt', data: 'l' }, { path: 'aks-node-3/lsns.txt', data: 'n' }])));
    expect(shown(await expand([join(input, 'aks-node-3.tgz')], work), root)).toEqual([
      ['in/aks-node-3.tgz!/aks-node-3/ip-link.txt', 'aks-node-3'], ['in/aks-node-3.tgz!/aks-node-3/lsns.txt', 'aks-node-3'],
    ]);
  });

  it('finds archives inside folders, keeps the folder\'s node, and never walks its own working folder', async () => {
    const { root, input, work } = fresh();
    mkdirSync(join(input, 'node-c'));
    writeFileSync(join(input, 'node-c', 'dump.tar'), tarBytes([{ path: 'proc-net/tcp', data: 'sl local_address\n' }]));
    writeFileSync(join(input, 'node-c', 'plain.txt'), 'plain\n');
    const inside = join(input, 'case.db.work');
    const first = await expandArchives(await walkInputs([input], { skip: [inside] }), { workDir: inside });
    expect(shown(first, root)).toEqual([
      ['in/node-c/dump.tar!/proc-net/tcp', 'node-c'],
      ['in/node-c/plain.txt', 'node-c'],
    ]);
    const again = await expandArchives(await walkInputs([input], { skip: [inside] }), { workDir: inside });
    expect(shown(again, root)).toEqual(shown(first, root));
  });

  it('does not extract again when the folder for those bytes is complete', async () => {
    const { input, work } = fresh();
    writeFileSync(join(input, 'a.tgz'), gzipSync(tarBytes([{ path: 'x/a.txt', data: 'a' }, { path: '../evil', data: 'e' }])));
    copyFileSync(join(input, 'a.tgz'), join(input, 'renamed.tgz'));
    const one = await expand([join(input, 'a.tgz')], work);
    const before = statSync(one.files[0].fsPath);
    const two = await expand([join(input, 'renamed.tgz')], work);
    expect(two.files.map((f) => f.fsPath)).toEqual(one.files.map((f) => f.fsPath));
    expect(statSync(two.files[0].fsPath).ino).toBe(before.ino);
    // The archive's own problems are reported again, named after the path it came by this time.
    expect(two.diagnostics.map((d) => [d.code, d.source])).toEqual([['ARCHIVE_UNSAFE_PATH', join(input, 'renamed.tgz')]]);
    // Other caps: extracted afresh.
    const three = await expand([join(input, 'a.tgz')], work, { maxRatio: 100 });
    expect(statSync(three.files[0].fsPath).ino).not.toBe(before.ino);
  });
});

describe('hostile archives', () => {
  it('refuses zip-slip, absolute paths, drive letters and backslashes; writes nothing outside', async () => {
    const { root, input, work } = fresh();
    const abs = join(tmpdir(), `podcap-evil-${randomBytes(6).toString('hex')}`);
    const up = '../'.repeat(12) + `podcap-evil-${randomBytes(6).toString('hex')}`;
    writeFileSync(join(input, 'slip.zip'), buildZip([
      { name: 'ok/a.txt', data: Buffer.from('fine\n') },
      { name: up, data: Buffer.from('evil\n') },
      { name: '../evil-sibling', data: Buffer.from('evil\n') },
      { name: abs, data: Buffer.from('evil\n') },
      { name: 'C:\\Windows\\evil.txt', data: Buffer.from('evil\n') },
      { name: '..\\..\\evil-bs', data: Buffer.from('evil\n') },
      { name: 'ok/b.txt', data: Buffer.from('fine\n') },
      { name: 'ok\\win.txt', data: Buffer.from('made on Windows\n') },
    ]));
    writeFileSync(join(input, 'slip.tar'), tarBytes([
      { path: '../../../../../../../../evil-tar', data: 'evil' },
      { path: `${abs}-tar`, data: 'evil' },
      { path: 'ok/c.txt', data: 'fine' },
    ]));
    const before = tree(root);
    const r = await expand([join(input, 'slip.zip'), join(input, 'slip.tar')], work);
    expect(shown(r, root)).toEqual([
      ['in/slip.zip!/ok/a.txt', 'ok'], ['in/slip.zip!/ok/b.txt', 'ok'], ['in/slip.zip!/ok/win.txt', 'ok'], ['in/slip.tar!/ok/c.txt', 'ok'],
    ]);
    expect(codes(r.diagnostics)).toEqual(Array(7).fill('ARCHIVE_UNSAFE_PATH'));
    expect(r.diagnostics[0].message).toMatch(/"\.\..*" refused: "\.\." component/);
    expect(r.diagnostics[2].message).toMatch(/absolute path/);
    expect(r.diagnostics[3].message).toBe('entry "C:\\\\Windows\\\\evil.txt" refused: path starts with a drive letter');
    expect(r.diagnostics[4].message).toMatch(/^entry "\.\.\\\\\.\.\\\\evil-bs" refused: "\.\." component/);
    expect(createdOutsideExtract(root, before)).toEqual([]);
    expect(existsSync(abs) || existsSync(`${abs}-tar`) || existsSync(join(root, '..', 'evil-sibling'))).toBe(false);
  });

  it('never extracts links: a symlink to a folder outside, then a file "through" it', async () => {
    const { root, input, outside, work } = fresh();
    writeFileSync(join(input, 'links.tar'), tarBytes([
      { path: 'link', type: 'SymbolicLink', linkpath: outside },
      { path: 'real.txt', data: 'real\n' },
      { path: 'hard.txt', type: 'Link', linkpath: 'real.txt' },
      { path: 'link/passwd', data: 'pwned\n' },
    ]));
    writeFileSync(join(input, 'links.zip'), buildZip([
      { name: 'zlink', data: Buffer.from(outside), unixMode: 0o120777 },
      { name: 'zlink/passwd', data: Buffer.from('pwned\n'), unixMode: 0o100644 },
      { name: 'fine.txt', data: Buffer.from('fine\n'), unixMode: 0o100644 },
    ]));
    const before = tree(root);
    const r = await expand([join(input, 'links.tar'), join(input, 'links.zip')], work);
    expect(shown(r, root)).toEqual([['in/links.tar!/real.txt', null], ['in/links.zip!/fine.txt', null]]);
    expect(r.diagnostics.map((d) => [d.code, d.message.replace(outside, 'OUTSIDE')])).toEqual([
      ['ARCHIVE_SYMLINK', 'symbolic link "link" -> "OUTSIDE" refused: links inside archives are never extracted'],
      ['ARCHIVE_SYMLINK', 'hard link "hard.txt" -> "real.txt" refused: links inside archives are never extracted'],
      ['ARCHIVE_SYMLINK', 'entry "link/passwd" refused: its path goes through the refused link "link"'],
      ['ARCHIVE_SYMLINK', 'symbolic link "zlink" -> "OUTSIDE" refused: links inside archives are never extracted'],
      ['ARCHIVE_SYMLINK', 'entry "zlink/passwd" refused: its path goes through the refused link "zlink"'],
    ]);
    expect(readFileSync(join(outside, 'passwd'), 'utf8')).toBe('root:x:0:0:decoy\n');
    expect(createdOutsideExtract(root, before)).toEqual([]);
    const extracted = tree(join(work, 'extract'));
    expect(extracted.filter((p) => lstatSync(join(work, 'extract', p)).isSymbolicLink())).toEqual([]);
  });

  it('skips devices and FIFOs', async () => {
    const { root, input, work } = fresh();
    writeFileSync(join(input, 'dev.tar'), tarBytes([
      { path: 'dev/null', type: 'CharacterDevice' },
      { path: 'fifo', type: 'FIFO' },
      { path: 'ok.txt', data: 'ok' },
    ]));
    const r = await expand([join(input, 'dev.tar')], work);
    expect(shown(r, root)).toEqual([['in/dev.tar!/ok.txt', null]]);
    expect(codes(r.diagnostics)).toEqual(['ARCHIVE_SKIPPED_ENTRY', 'ARCHIVE_SKIPPED_ENTRY']);
    expect(DIAGNOSTIC_CODES.ARCHIVE_SKIPPED_ENTRY.severity).toBe('dataLoss');
  });

  it('stops a gzip bomb (1 GiB of zeros in ~1 MB) early, keeping the files before it', async () => {
    const { root, input, work } = fresh();
    const bomb = join(input, 'bomb.tar.gz');
    await writeGzipBomb(bomb, 1);
    expect(statSync(bomb).size).toBeLessThan(1.5e6);
    const before = tree(root);
    const t0 = Date.now();
    const r = await expand([bomb], work);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(shown(r, root)).toEqual([['in/bomb.tar.gz!/bundle/first.txt', 'bundle']]);
    expect(codes(r.diagnostics)).toEqual(['ARCHIVE_BOMB']);
    expect(r.diagnostics[0].message).toMatch(/"bundle\/zeros\.bin" expands more than 200:1/);
    expect(createdOutsideExtract(root, before)).toEqual([]);
    // The bomb's partial file is gone; only the kept file (and the manifest) remain.
    const left = tree(join(work, 'extract')).filter((p) => statSync(join(work, 'extract', p)).isFile());
    expect(left.map((p) => p.replace(/[0-9a-f]{64}/, 'SHA'))).toEqual(['SHA.json', join('SHA', 'bundle', 'first.txt')]);
  });

  it('refuses a zip entry whose declared ratio is a bomb, before reading it', async () => {
    const { root, input, work } = fresh();
    writeFileSync(join(input, 'ratio.zip'), buildZip([
      { name: 'a.txt', data: Buffer.from('kept\n') },
      { name: 'zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) },
      { name: 'z.txt', data: Buffer.from('after\n') },
    ]));
    const r = await expand([join(input, 'ratio.zip')], work);
    expect(shown(r, root)).toEqual([['in/ratio.zip!/a.txt', null]]);
    expect(codes(r.diagnostics)).toEqual(['ARCHIVE_BOMB']);
    expect(r.diagnostics[0].message).toMatch(/"zeros\.bin" would expand \d+:1 .* over the 200:1 cap; extraction of this archive stopped, the 1 file before it is kept/);
  });

  it('caps the bytes of one entry and of the whole archive, nested archives included', async () => {
    const { root, input, work } = fresh();
    const rnd = (n: number) => randomBytes(n);
    const inner = gzipSync(tarBytes([{ path: 'i1.bin', data: rnd(300_000) }, { path: 'i2.bin', data: rnd(300_000) }]));
    writeFileSync(join(input, 'big.zip'), buildZip([
      { name: 'a.bin', data: rnd(300_000) },
      { name: 'inner.tgz', data: inner, method: 0 },
      { name: 'b.bin', data: rnd(300_000) },
    ]));
    // The zip's own entries come first (a.bin 300k + inner.tgz ~600k + b.bin 300k = 1.2M); the
    // nested tarball then has ~100k left, and its first 300k entry stops it.
    const total = await expand([join(input, 'big.zip')], work, { maxTotalBytes: 1_300_000 });
    expect(shown(total, root)).toEqual([['in/big.zip!/a.bin', null], ['in/big.zip!/b.bin', null]]);
    expect(total.diagnostics.map((d) => [d.code, d.source])).toEqual([['ARCHIVE_BOMB', `${join(input, 'big.zip')}!/inner.tgz`]]);
    expect(total.diagnostics[0].message).toMatch(/"i1\.bin" declares 293 KiB, which would pass the cap of 1\.2 MiB extracted per input archive/);
    const bigger = await expand([join(input, 'big.zip')], work, { maxTotalBytes: 1_600_000 });
    expect(shown(bigger, root)).toEqual([['in/big.zip!/a.bin', null], ['in/big.zip!/inner.tgz!/i1.bin', null], ['in/big.zip!/b.bin', null]]);
    expect(bigger.diagnostics[0].message).toMatch(/"i2\.bin" declares/);

    const entry = await expand([join(input, 'big.zip')], join(root, 'work2'), { maxEntryBytes: 400_000 });
    expect(shown(entry, root)).toEqual([['in/big.zip!/a.bin', null]]);
    expect(entry.diagnostics[0].message).toMatch(/"inner\.tgz" declares .* over the per-entry cap/);
  });

  it('stops at the entry-count cap, counting nested archives\' entries too', async () => {
    const { root, input, work } = fresh();
    const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ path: `${prefix}${String(i).padStart(3, '0')}`, data: 'x' }));
    writeFileSync(join(input, 'many.tgz'), gzipSync(tarBytes(many('f', 150))));
    const r = await expand([join(input, 'many.tgz')], work, { maxEntries: 100 });
    expect(r.files).toHaveLength(100);
    expect(codes(r.diagnostics)).toEqual(['ARCHIVE_BOMB']);
    expect(r.diagnostics[0].message).toMatch(/more than 100 entries/);

    writeFileSync(join(input, 'nested.zip'), buildZip([
      { name: 'one.tgz', data: gzipSync(tarBytes(many('a', 60))), method: 0 },
      { name: 'two.tgz', data: gzipSync(tarBytes(many('b', 60))), method: 0 },
    ]));
    const n = await expand([join(input, 'nested.zip')], work, { maxEntries: 100 });
    expect(n.files).toHaveLength(98); // 2 zip entries + 60 + 38
    expect(shown(n, root).at(-1)).toEqual(['in/nested.zip!/two.tgz!/b037', null]);
    expect(DEFAULT_ARCHIVE_LIMITS.maxEntries).toBe(100_000);
  });

  it('keeps what precedes the damage in a truncated tar.gz, and names the cut entry', async () => {
    const { root, input, work } = fresh();
    const pcap = readFileSync(PCAP);
    const big = randomBytes(200_000);
    const whole = gzipSync(tarBytes([
      { path: 'node-a/dns_tcp.pcap', data: pcap },
      { path: 'node-a/lsns.txt', data: readFileSync(LSNS) },
      { path: 'node-a/big.bin', data: big },
      { path: 'node-a/after.txt', data: 'never reached\n' },
    ]));
    writeFileSync(join(input, 'cut.tgz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = await expand([join(input, 'cut.tgz')], work);
    expect(shown(r, root)).toEqual([
      ['in/cut.tgz!/node-a/dns_tcp.pcap', 'node-a'], ['in/cut.tgz!/node-a/lsns.txt', 'node-a'], ['in/cut.tgz!/node-a/big.bin', 'node-a'],
    ]);
    expect(content(r, 'dns_tcp.pcap').equals(pcap)).toBe(true);
    const cut = content(r, 'big.bin');
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(big.length);
    expect(cut.equals(big.subarray(0, cut.length))).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.source])).toEqual([['ARCHIVE_CORRUPT', `${join(input, 'cut.tgz')}!/node-a/big.bin`]]);
    expect(r.diagnostics[0].message).toMatch(/^the stream is damaged: .*unexpected end of file \(after entry "node-a\/lsns\.txt", near byte \d+ of the file\); the 2 files before it are kept; entry "node-a\/big\.bin" is cut at byte \d+ of 200000 and kept$/);
    expect(r.diagnostics[0].offset).toBeGreaterThan(0);
  });

  it('keeps what precedes the cut in a plain tar', async () => {
    const { root, input, work } = fresh();
    const tar = tarBytes([{ path: 'a.txt', data: 'a'.repeat(1000) }, { path: 'b.txt', data: 'b'.repeat(5000) }]);
    writeFileSync(join(input, 'cut.tar'), tar.subarray(0, 2048 + 512 + 1024));
    const r = await expand([join(input, 'cut.tar')], work);
    expect(shown(r, root)).toEqual([['in/cut.tar!/a.txt', null], ['in/cut.tar!/b.txt', null]]);
    expect(content(r, 'b.txt').length).toBe(3584 - 2048);
    expect(r.diagnostics.map((d) => [d.code, d.source])).toEqual([['ARCHIVE_CORRUPT', join(input, 'cut.tar') + '!/b.txt']]);
    expect(r.diagnostics[0].message).toMatch(/ends inside entry "b\.txt"/);
  });

  it('reports a zip cut short (no directory) as unreadable, and drops a damaged zip entry', async () => {
    const { root, input, work } = fresh();
    const zip = buildZip([{ name: 'a.txt', data: Buffer.from('aaaa'.repeat(100)) }, { name: 'b.txt', data: Buffer.from('bbbb') }]);
    writeFileSync(join(input, 'cut.zip'), zip.subarray(0, zip.length - 30));
    writeFileSync(join(input, 'crc.zip'), buildZip([
      { name: 'bad.txt', data: Buffer.from('payload'), crc: 0x1234 },
      { name: 'good.txt', data: Buffer.from('good') },
    ]));
    const r = await expand([join(input, 'cut.zip'), join(input, 'crc.zip')], work);
    expect(r.missing).toEqual([{ path: join(input, 'cut.zip'), reason: expect.stringMatching(/^not a readable zip: end of central directory/i), direct: true }]);
    expect(shown(r, root)).toEqual([['in/crc.zip!/good.txt', null]]);
    expect(r.diagnostics.map((d) => [d.code, d.source])).toEqual([
      ['ARCHIVE_CORRUPT', join(input, 'cut.zip')],
      ['ARCHIVE_CORRUPT', join(input, 'crc.zip') + '!/bad.txt'],
    ]);
    expect(r.diagnostics[1].message).toMatch(/CRC-32 mismatch/);
  });

  it('skips a file that would need an earlier file to be a folder', async () => {
    const { root, input, work } = fresh();
    writeFileSync(join(input, 'clash.tar'), tarBytes([{ path: 'a', data: 'file' }, { path: 'a/b', data: 'under a file' }, { path: 'c', data: 'c' }]));
    const r = await expand([join(input, 'clash.tar')], work);
    expect(shown(r, root)).toEqual([['in/clash.tar!/a', null], ['in/clash.tar!/c', null]]);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['ARCHIVE_SKIPPED_ENTRY', 'entry "a/b" skipped: an earlier entry is a file where it needs a folder']]);
  });

  it('stops when the ingest is cancelled, leaving no half-extracted folder behind', async () => {
    const { input, work } = fresh();
    writeFileSync(join(input, 'big.tgz'), gzipSync(tarBytes(Array.from({ length: 40 }, (_, i) => ({ path: `f${i}.bin`, data: randomBytes(256 * 1024) })))));
    const ac = new AbortController();
    const seen: string[] = [];
    const run = expandArchives(await walkInputs([join(input, 'big.tgz')]), {
      workDir: work, signal: ac.signal,
      onProgress: (p) => { seen.push(p.phase); ac.abort(); },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen[0]).toBe('sniff');
    expect(readdirSync(join(work, 'extract'))).toEqual([]);
  });

  it('skips encrypted zip entries', async () => {
    const { root, input, work } = fresh();
    writeFileSync(join(input, 'enc.zip'), buildZip([{ name: 'secret.txt', data: randomBytes(12 + 5), uncompressedSize: 5, flags: 0x801, method: 0 }, { name: 'open.txt', data: Buffer.from('y') }]));
    const r = await expand([join(input, 'enc.zip')], work);
    expect(shown(r, root)).toEqual([['in/enc.zip!/open.txt', null]]);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['ARCHIVE_SKIPPED_ENTRY', 'entry "secret.txt" skipped: encrypted']]);
  });

  it('expands three levels of nesting and no deeper', async () => {
    const { root, input, work } = fresh();
    const l4 = tarBytes([{ path: 'deep.txt', data: 'deep' }]);
    const l3 = buildZip([{ name: 'l4.tar', data: l4 }, { name: 'l3.txt', data: Buffer.from('3') }]);
    const l2 = gzipSync(tarBytes([{ path: 'l3.zip', data: l3 }]));
    writeFileSync(join(input, 'l1.zip'), buildZip([{ name: 'l2.tgz', data: l2, method: 0 }]));
    const r = await expand([join(input, 'l1.zip')], work);
    expect(shown(r, root)).toEqual([['in/l1.zip!/l2.tgz!/l3.zip!/l3.txt', null]]);
    expect(r.diagnostics.map((d) => [d.code, d.source])).toEqual([['ARCHIVE_BOMB', join(input, 'l1.zip') + '!/l2.tgz!/l3.zip!/l4.tar']]);
  });

  it('survives an archive cut or damaged anywhere: always finishes, never writes outside', async () => {
    const { root, input, work } = fresh();
    let seed = 12345;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const files = [
      { path: 'n1/dns_tcp.pcap', data: readFileSync(PCAP) },
      { path: 'n1/lsns.txt', data: readFileSync(LSNS) },
      { path: 'n2/inner.zip', data: buildZip([{ name: 'x/a.txt', data: Buffer.from('a'.repeat(3000)) }, { name: 'x/b.bin', data: randomBytes(3000) }]) },
    ];
    const originals = [gzipSync(tarBytes(files)), tarBytes(files), buildZip(files.map((f) => ({ name: f.path, data: f.data })))];
    const before = tree(root);
    let n = 0;
    for (const whole of originals) {
      for (let v = 0; v < 40; v++) {
        const bytes = Buffer.from(whole);
        const damaged = v % 2 === 0
          ? bytes.subarray(0, rand(bytes.length))
          : (() => { for (let k = 0; k < 1 + rand(4); k++) bytes[rand(bytes.length)] ^= 1 + rand(255); return bytes; })();
        const p = join(input, `v${n++}.bin`);
        writeFileSync(p, damaged);
        const r = await expand([p], work);
        // Damage that makes it no archive at all leaves it a plain file, read as itself.
        for (const f of r.files) expect(f.fsPath === p || f.fsPath.startsWith(join(work, 'extract') + sep)).toBe(true);
        for (const d of r.diagnostics) expect(Object.keys(DIAGNOSTIC_CODES)).toContain(d.code);
      }
    }
    expect(createdOutsideExtract(root, before).filter((p) => !p.startsWith('in' + sep))).toEqual([]);
  });

  it('a mixed hostile archive leaves every file outside the working folder as it was', async () => {
    const { root, input, outside, work } = fresh();
    const hostile = Buffer.concat([
      tarBytes([
        { path: 'etc-link', type: 'SymbolicLink', linkpath: '/etc' },
        { path: 'etc-link/passwd', data: 'pwned' },
        { path: '../../../outside/passwd', data: 'pwned' },
        { path: `${outside}/passwd`, data: 'pwned' },
        { path: 'a/../../outside/passwd', data: 'pwned' },
        { path: 'x', type: 'SymbolicLink', linkpath: outside },
        { path: 'x/passwd', data: 'pwned' },
        { path: 'ok/ok.txt', data: 'ok' },
        { path: 'ok/ok.txt', data: 'second copy' },
      ]),
    ]);
    writeFileSync(join(input, 'h.tgz'), gzipSync(hostile));
    writeFileSync(join(input, 'h.zip'), buildZip([{ name: 'in.tgz', data: gzipSync(hostile), method: 0 }]));
    const before = tree(root);
    const etcBefore = statSync('/etc/passwd').mtimeMs;
    const r = await expand([join(input, 'h.tgz'), join(input, 'h.zip')], work);
    expect(shown(r, root)).toEqual([['in/h.tgz!/ok/ok.txt', 'ok'], ['in/h.zip!/in.tgz!/ok/ok.txt', 'ok']]);
    expect(content(r, 'h.tgz!/ok/ok.txt').toString()).toBe('ok');
    expect(codes(r.diagnostics).slice(0, 8)).toEqual([
      'ARCHIVE_SYMLINK', 'ARCHIVE_SYMLINK', 'ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH',
      'ARCHIVE_SYMLINK', 'ARCHIVE_SYMLINK', 'ARCHIVE_SKIPPED_ENTRY',
    ]);
    expect(r.diagnostics).toHaveLength(16);
    expect(readFileSync(join(outside, 'passwd'), 'utf8')).toBe('root:x:0:0:decoy\n');
    expect(statSync('/etc/passwd').mtimeMs).toBe(etcBefore);
    expect(createdOutsideExtract(root, before)).toEqual([]);
  });
});
