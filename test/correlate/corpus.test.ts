import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { listSources } from '../../core/api/queries/sources.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { supported, type StyleFacts } from './corpus-support.js';

/**
 * fixtures/corpus: bundles collected in styles podcap was not written against (README there).
 * Every pod ↔ IP ↔ veth ↔ ifindex ↔ netns ↔ node link must come out exactly as the ground truth
 * recorded it, and removing one file type must keep every link the other files still support.
 */
interface TruthPod { namespace: string; name: string; ip: string; node: string; veth: string; ifindex: number; netns_name: string; netns_inode: number }
interface Truth { style: string; naming: string; runtime: string; node: { name: string | null }; nodes?: { name: string }[]; pods: TruthPod[]; file_types: Record<string, string> }

const DIR = 'fixtures/corpus/bundles';
const work = mkdtempSync(join(tmpdir(), 'podcap-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Unpacks a GNU/ustar .tar.gz (regular files only) into `into`. */
function untar(path: string, into: string): void {
  const tar = gunzipSync(readFileSync(path));
  let longName: string | null = null;
  for (let o = 0; o + 512 <= tar.length; ) {
    const field = (a: number, b: number) => tar.subarray(o + a, o + b).toString('utf8').replace(/\0.*$/s, '');
    const name = longName ?? field(0, 100);
    if (!field(0, 100)) break;
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const type = field(156, 157);
    const body = tar.subarray(o + 512, o + 512 + size);
    longName = null;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '') {
      mkdirSync(dirname(join(into, name)), { recursive: true });
      writeFileSync(join(into, name), body);
    }
    o += 512 + Math.ceil(size / 512) * 512;
  }
}

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

function patternRe(p: string): RegExp {
  return new RegExp(`^${p.split(/\{\w+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
}

type Link = 'ip' | 'veth' | 'ifindex' | 'netns' | 'node';
const LINKS: Link[] = ['ip', 'veth', 'ifindex', 'netns', 'node'];

interface Score { right: number; total: number; wrong: string[]; missing: string[] }

/** Ingests `dir` and scores the links of `expected` (per pod, the links that must be right). */
async function score(dir: string, t: Truth, expected: (p: TruthPod) => Set<Link>) {
  const db = openCase(join(mkdtempSync(join(work, 'case-')), 'c.db'));
  const res = await ingestPaths(db, [dir]);
  expect(res.filter((r) => r.status === 'failed')).toEqual([]);
  const rows = listCorrelations(db).filter((r) => r.kind === 'pod');
  const s: Score = { right: 0, total: 0, wrong: [], missing: [] };
  for (const p of t.pods) {
    const want = expected(p);
    const row = rows.find((r) => r.pod === p.name && (r.namespace === null || r.namespace === p.namespace) && r.ip === p.ip)
      ?? rows.find((r) => r.pod === p.name && (r.namespace === null || r.namespace === p.namespace));
    const got: Record<Link, unknown> = { ip: row?.ip ?? null, veth: row?.veth ?? null, ifindex: row?.ifindex ?? null, netns: row?.netns_inode ?? null, node: row?.node ?? null };
    const truth: Record<Link, unknown> = { ip: p.ip, veth: p.veth, ifindex: p.ifindex, netns: p.netns_inode, node: p.node };
    for (const l of LINKS) {
      if (got[l] !== null && got[l] !== truth[l]) s.wrong.push(`${p.name} ${l}: ${String(got[l])} (truth ${String(truth[l])})`);
      if (!want.has(l)) continue;
      s.total++;
      if (got[l] === truth[l]) s.right++;
      else if (got[l] === null) s.missing.push(`${p.name} ${l}`);
    }
  }
  const sources = listSources(db);
  const nodes = new Set(sources.map((x) => x.node));
  // files only a node produces: each must say which node (by its folder's content)
  const unnamedLocal = sources.filter((x) => ['pcap', 'iplink', 'lsns', 'pstree', 'conntrack', 'iptables'].includes(x.kind) && x.node === null).map((x) => x.path);
  // a folder's node is the node of the pods whose files sit there (two-node bundle: n0/, n1/)
  const byFolder = new Map<string, Set<string | null>>();
  for (const x of sources) if (x.folder) byFolder.set(x.folder, (byFolder.get(x.folder) ?? new Set()).add(x.node));
  db.close();
  return { ...s, nodes, unnamedLocal, byFolder };
}

const bundles = readdirSync(DIR).filter((f) => f.endsWith('.tar.gz')).sort();
const report: string[] = [];
afterAll(() => console.log(`corpus links right:\n${report.join('\n')}`));

describe.each(bundles)('corpus bundle %s', (file) => {
  const root = join(work, file.replace(/\.tar\.gz$/, ''));
  untar(join(DIR, file), root);
  const style = readdirSync(root)[0]!;
  const base = join(root, style);
  const truthPath = files(base).find((f) => /truth\.json$/.test(f))!;
  const t = JSON.parse(readFileSync(join(base, truthPath), 'utf8')) as Truth;
  const all = files(base);
  const nodeNames = new Set(t.pods.map((p) => p.node));
  const podFolder = Object.values(t.file_types).some((p) => p.includes('{pod}/')) ? 'pod' : Object.values(t.file_types).some((p) => p.includes('{netns}/')) ? 'netns' : null;
  const facts: StyleFacts = { naming: t.naming, runtime: t.runtime, podFolder, pods: t.pods.length };
  const types = Object.keys(t.file_types);
  // the node is named by the folder's own hostname or kubelet log, kubectl's NODE column, or
  // kubectl's node address on the folder's own interfaces
  const nodeNamed = (present: Set<string>) => present.has('hostname') || present.has('kubelet-log') || present.has('kubectl-pods')
    || (present.has('kubectl-nodes') && (present.has('ip-addr') || present.has('ip-o-addr')));
  const expectedFor = (present: Set<string>) => {
    const a = supported(present, facts, nodeNamed(present));
    const inode = present.has('lsns') && a.has('netns');
    const links = new Set<Link>();
    if (!a.has('name')) return () => links;
    if (a.has('ip')) links.add('ip');
    if (a.has('veth')) links.add('veth');
    if (a.has('ifindex')) links.add('ifindex');
    if (inode) links.add('netns');
    if (a.has('node')) links.add('node');
    return () => links;
  };

  it('ties every pod to its IP, veth, ifindex, netns and node, and names the node from content', async () => {
    const s = await score(base, t, expectedFor(new Set(types)));
    report.push(`${style}: ${s.right}/${s.total}${s.wrong.length ? ` WRONG ${s.wrong.join('; ')}` : ''}`);
    expect(s.wrong).toEqual([]);
    expect(s.missing).toEqual([]);
    // `podcap sources`: a folder is a node only when its content names it
    expect([...s.nodes].filter((n) => n !== null && !nodeNames.has(n))).toEqual([]);
    for (const n of nodeNames) expect(s.nodes.has(n), n).toBe(true);
    expect(s.unnamedLocal).toEqual([]);
    for (const [folder, ns] of s.byFolder) expect(ns.size, `folder ${folder}: ${[...ns].join(', ')}`).toBe(1);
    if (t.nodes) {
      // the two-node bundle: n<i>/ holds the i-th node of the ground truth
      t.nodes.forEach((n, i) => expect(s.byFolder.get(`n${i}`)).toEqual(new Set([n.name])));
    }
  });

  it.each(types)('keeps every link the other files support without %s', async (type) => {
    const dir = join(root, `without-${type}`);
    const re = patternRe(t.file_types[type]!);
    for (const f of all) if (!re.test(f)) cpSync(join(base, f), join(dir, f));
    const present = new Set(types.filter((x) => x !== type));
    const s = await score(dir, t, expectedFor(present));
    report.push(`${style} without ${type}: ${s.right}/${s.total}${s.wrong.length ? ` WRONG ${s.wrong.join('; ')}` : ''}`);
    expect(s.wrong).toEqual([]);
    expect(s.missing).toEqual([]);
    expect([...s.nodes].filter((n) => n !== null && !nodeNames.has(n))).toEqual([]);
  });
});
