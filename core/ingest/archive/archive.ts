import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { Extraction, type LevelBudget, type LevelDiag, type LevelEntry } from './extraction.js';
import { archiveLimits, type ArchiveLimits } from './limits.js';
import { detectArchive, type ArchiveKind } from './sniff.js';
import { extractTar } from './tar.js';
import { extractZip } from './zip.js';
import { contentChunks } from '../chunks.js';
import { hasherFor } from '../hasher.js';
import { throttle, type ProgressFn } from '../progress.js';
import { checkMemberPath } from './safe-path.js';
import { nodeFromPath, type InputFile, type WalkResult } from '../walk.js';

export type { ArchiveKind } from './sniff.js';
export type { ArchiveLimits } from './limits.js';

export interface ArchiveOptions {
  /** podcap's working folder for the case; members are extracted under `extract/<sha256>/`. */
  workDir: string;
  /** Least time between progress reports (throttle default when absent). */
  progressEveryMs?: number;
  limits?: Partial<ArchiveLimits>;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Called as each archive starts being read. */
  onInput?: (path: string) => void;
}

/**
 * Replaces every archive among the walked files (given directly or found in a folder; recognised
 * by content) with the regular files inside it, nested archives included. Members are named
 * `<archive>!/<member>`. An archive that cannot be read at all becomes a `missing` input.
 */
export async function expandArchives(walked: WalkResult, opts: ArchiveOptions): Promise<WalkResult> {
  const out: WalkResult = { files: [], missing: [...walked.missing], partial: [...(walked.partial ?? [])], empty: [...(walked.empty ?? [])], diagnostics: [...walked.diagnostics] };
  const limits = archiveLimits(opts.limits);
  let extractDir: string | undefined;
  const progress = throttle(opts.onProgress, opts.progressEveryMs);
  for (let i = 0; i < walked.files.length; i++) {
    const f = walked.files[i];
    opts.signal?.throwIfAborted();
    let kind: ArchiveKind | undefined;
    try {
      kind = await detectArchive(f.fsPath);
    } catch {
      kind = undefined; // unreadable files are reported when they are ingested
    }
    if (!kind) {
      out.files.push(f);
      continue;
    }
    opts.onInput?.(f.displayPath);
    try {
      extractDir ??= await prepareExtractDir(opts.workDir);
    } catch (e) {
      out.missing.push({ path: f.displayPath, reason: `cannot create the working folder ${opts.workDir}: ${(e as Error).message}`, direct: f.direct });
      continue;
    }
    const ctx: Ctx = {
      extractDir, limits, signal: opts.signal,
      budget: { bytes: limits.maxTotalBytes, entries: limits.maxEntries },
      deadlineMs: Date.now() + limits.maxSeconds * 1000,
      progress: (path, bytesRead, bytesTotal) => progress({ phase: 'sniff', path, bytesRead, bytesTotal, records: 0, diagnostics: 0, filesDone: i, filesTotal: walked.files.length }),
    };
    let r: Expanded;
    try {
      r = await expandOne(f, kind, ctx, 1, []);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError' || opts.signal?.aborted) throw e;
      const reason = `cannot extract: ${(e as Error).message}`;
      r = { files: [], diagnostics: [diag('INGEST_FAILED', reason, { source: f.displayPath })], unreadable: reason };
    }
    out.files.push(...r.files);
    out.diagnostics.push(...r.diagnostics);
    if (r.unreadable) out.missing.push({ path: f.displayPath, reason: r.unreadable, direct: f.direct });
    else {
      const lost = r.diagnostics.filter((d) => d.code === 'ARCHIVE_BOMB' || d.code === 'ARCHIVE_CORRUPT');
      if (r.files.length === 0 && lost.length === 0) {
        // Found by fuzzing: a zip whose end record says 0 entries gave no result and no word at all.
        const why = r.diagnostics.length > 0 ? ' (what was in it: podcap diagnostics)' : '';
        out.empty!.push({ path: f.displayPath, reason: `the archive holds no file to read${why}`, direct: f.direct });
      }
      if (lost.length > 0) {
        const more = lost.length > 1 ? ` (and ${lost.length - 1} more problem${lost.length > 2 ? 's' : ''}: podcap diagnostics)` : '';
        const where = lost[0].source && lost[0].source !== f.displayPath ? `${lost[0].source.slice(f.displayPath.length + 2)}: ` : '';
        out.partial!.push({ path: f.displayPath, reason: `read in part: ${where}${lost[0].message}${more}`, direct: f.direct });
      }
    }
  }
  return out;
}

/** `<case file>.work`; an in-memory case gets a temporary folder removed when the process exits. */
export function workDirFor(casePath: string): string {
  if (casePath === '' || casePath === ':memory:') return processWorkDir();
  return `${casePath}.work`;
}

let tempWorkDir: string | undefined;
function processWorkDir(): string {
  if (!tempWorkDir) {
    const dir = mkdtempSync(join(tmpdir(), 'podcap-work-'));
    tempWorkDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return tempWorkDir;
}

interface Ctx {
  /** realpath of `<workDir>/extract`. */
  extractDir: string;
  limits: ArchiveLimits;
  signal?: AbortSignal;
  /** What the input archive (with all it nests) may still use. */
  budget: LevelBudget;
  /** When the input archive (with all it nests) must stop extracting. */
  deadlineMs: number;
  progress: (path: string, bytesRead: number, bytesTotal: number) => void;
}

interface Expanded {
  files: InputFile[];
  diagnostics: Diagnostic[];
  unreadable?: string;
}

const STALE_TMP_MS = 24 * 3600 * 1000;

async function prepareExtractDir(workDir: string): Promise<string> {
  const dir = join(workDir, 'extract');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Folders left by an extraction that was killed (a live one is never a day old).
  for (const name of await readdir(dir)) {
    if (!name.startsWith('.tmp-')) continue;
    const p = join(dir, name);
    try {
      if (Date.now() - (await stat(p)).mtimeMs > STALE_TMP_MS) await rm(p, { recursive: true, force: true });
    } catch { /* another process removed it */ }
  }
  return realpath(dir);
}

async function expandOne(f: InputFile, kind: ArchiveKind, ctx: Ctx, depth: number, enclosing: string[]): Promise<Expanded> {
  const sha = await hashFile(f.fsPath, ctx.signal);
  if (enclosing.includes(sha)) {
    return { files: [], diagnostics: [diag('ARCHIVE_BOMB', 'this archive is a copy of an archive that encloses it; not expanded again', { source: f.displayPath })] };
  }
  const level = await extractLevel(f, kind, sha, ctx);
  ctx.budget.bytes -= level.used.bytes;
  ctx.budget.entries -= level.used.entries;
  const diagnostics = level.diagnostics.map((d) => toDiagnostic(d, f.displayPath));
  if (level.unreadable) return { files: [], diagnostics, unreadable: level.unreadable };

  const files: InputFile[] = [];
  const nodeOf = nodeNamer(level.entries.map((e) => e.member), f.displayPath);
  const dir = join(ctx.extractDir, sha);
  for (const e of level.entries) {
    const child: InputFile = {
      fsPath: join(dir, ...e.disk.split('/')),
      displayPath: `${f.displayPath}!/${e.member}`,
      // A node folder outside the archive wins over folders inside it (e.g. node-a/capture.tar.gz).
      node: f.node ?? nodeOf(e.member),
      direct: false,
      mtimeUs: e.mtimeUs,
    };
    if (!e.archive) {
      files.push(child);
      continue;
    }
    if (depth >= ctx.limits.maxDepth) {
      diagnostics.push(diag('ARCHIVE_BOMB', `archive nested more than ${ctx.limits.maxDepth} levels deep is not expanded (extracted as ${child.fsPath})`, { source: child.displayPath }));
      continue;
    }
    const sub = await expandOne(child, e.archive, ctx, depth + 1, [...enclosing, sha]);
    files.push(...sub.files);
    diagnostics.push(...sub.diagnostics);
  }
  return { files, diagnostics };
}

/**
 * What extracting one archive level produced. Kept as `<sha>.json` next to the `<sha>/` folder,
 * written last, so a present manifest means a complete folder and re-ingesting skips the work.
 */
interface Manifest {
  v: 1;
  kind: ArchiveKind;
  limits: Pick<ArchiveLimits, 'maxEntryBytes' | 'maxRatio' | 'ratioMinBytes'>;
  /** The budget it was given and what it used; a cut extraction is only reused with the same budget. */
  budget: LevelBudget;
  used: LevelBudget;
  cut: boolean;
  unreadable?: string;
  entries: LevelEntry[];
  diagnostics: LevelDiag[];
}

async function extractLevel(f: InputFile, kind: ArchiveKind, sha: string, ctx: Ctx): Promise<Manifest> {
  const manifestPath = join(ctx.extractDir, `${sha}.json`);
  const finalDir = join(ctx.extractDir, sha);
  const { maxEntryBytes, maxRatio, ratioMinBytes } = ctx.limits;
  const limits = { maxEntryBytes, maxRatio, ratioMinBytes };
  const budget = { ...ctx.budget };
  const cached = await readManifest(manifestPath);
  if (cached && fits(cached, kind, limits, budget) && (await isDir(finalDir))) return cached;

  const tmp = await mkdtemp(join(ctx.extractDir, `.tmp-${sha.slice(0, 12)}-`));
  try {
    const ext = new Extraction(await realpath(tmp), ctx.limits, budget, ctx.deadlineMs);
    const size = (await stat(f.fsPath)).size;
    const onBytes = (n: number): void => ctx.progress(f.displayPath, n, size);
    if (kind === 'zip') await extractZip(f.fsPath, ext, ctx.signal, onBytes);
    else await extractTar(f.fsPath, ext, ctx.signal, onBytes);
    for (const e of ext.entries) e.archive = await detectArchive(join(tmp, ...e.disk.split('/')));
    if (ext.empty > 0) ext.note('ARCHIVE_EMPTY_ENTRIES', `${ext.empty} empty file${ext.empty === 1 ? '' : 's'} not extracted (nothing to read)`);
    const nothingRead = ext.count === 0 && ext.diagnostics.some((d) => d.code === 'ARCHIVE_CORRUPT');
    const m: Manifest = {
      v: 1, kind, limits, budget, used: { bytes: ext.bytes, entries: ext.count }, cut: ext.cut,
      unreadable: ext.unreadable ?? (nothingRead ? ext.diagnostics.find((d) => d.code === 'ARCHIVE_CORRUPT')!.message : undefined),
      entries: ext.entries, diagnostics: ext.diagnostics,
    };
    // Manifest gone first: a crash between these steps leaves a folder without one (redone next time).
    await rm(manifestPath, { force: true });
    await rm(finalDir, { recursive: true, force: true });
    await rename(tmp, finalDir);
    // Cut by the clock: another run (a less busy machine) may get further, so nothing is reused.
    if (!ext.timedOut) {
      await writeFile(`${manifestPath}.tmp`, JSON.stringify(m));
      await rename(`${manifestPath}.tmp`, manifestPath);
    }
    return m;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function fits(m: Manifest, kind: ArchiveKind, limits: Manifest['limits'], budget: LevelBudget): boolean {
  if (m.kind !== kind || m.limits.maxEntryBytes !== limits.maxEntryBytes || m.limits.maxRatio !== limits.maxRatio || m.limits.ratioMinBytes !== limits.ratioMinBytes) return false;
  return m.cut
    ? m.budget.bytes === budget.bytes && m.budget.entries === budget.entries
    : m.used.bytes <= budget.bytes && m.used.entries <= budget.entries;
}

/** The manifest if it is one podcap wrote; its paths are re-checked since they become file paths. */
async function readManifest(path: string): Promise<Manifest | undefined> {
  let m: Manifest;
  try {
    m = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (m?.v !== 1 || !Array.isArray(m.entries) || !Array.isArray(m.diagnostics) || !m.used || !m.budget || !m.limits) return undefined;
  for (const e of m.entries) {
    if (typeof e?.disk !== 'string' || typeof e.member !== 'string') return undefined;
    const p = checkMemberPath(e.disk);
    if (!p.ok || p.diskParts.join('/') !== e.disk) return undefined;
  }
  return m;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const size = (await stat(path)).size;
  const h = hasherFor(size);
  for await (const _ of contentChunks(path, false, { hash: h, signal })) { /* hashing only */ }
  return h.digest();
}

/**
 * Which node a member belongs to, from the archive's layout. A tarball of a folder (`tar czf
 * b.tgz bundle/`) puts everything under one folder: like ingesting that folder, the folders inside
 * it name the nodes (`bundle/aks-node-1/ip-link.txt`). When that one folder holds only files, it
 * is itself the node's folder (`tar czf aks-node-1.tgz aks-node-1/`).
 */
function nodeNamer(members: string[], archive: string): (member: string) => string | null {
  const retina = retinaCaptureNode(members, archive);
  if (retina) return () => retina;
  const periscope = periscopeZipNode(members, archive);
  if (periscope) return () => periscope;
  let top: string | undefined;
  for (const m of members) {
    const i = m.indexOf('/');
    const t = i < 0 ? undefined : m.slice(0, i);
    if (t === undefined || (top !== undefined && t !== top)) return nodeFromPath;
    top = t;
  }
  if (top === undefined) return nodeFromPath;
  const wrapper = top;
  const inner = (m: string): string => m.slice(wrapper.length + 1);
  if (members.every((m) => !inner(m).includes('/'))) return () => wrapper;
  return (m) => nodeFromPath(inner(m));
}

/** Folders AKS Periscope's collectors and diagnosers write into its per-node zip (pkg/collector, pkg/diagnoser). */
const PERISCOPE_COLLECTORS = new Set([
  'containerlogs', 'containerdlogs', 'dns', 'helm', 'iptables', 'kubeletcmd', 'kubeobjects', 'networkconfig', 'networkoutbound', 'nodelogs',
  'osm', 'osmlogs', 'pdb', 'pods-containerlogs', 'smi', 'systemlogs', 'systemperf', 'windowslogs', 'customresources', 'inspektor-gadget-dns',
  'inspektor-gadget-tcp', 'ondemandlogs',
]);

/**
 * AKS Periscope zips each node's data as `<hostname>.zip` holding `<collector>/<key>` (pkg/exporter
 * zip.go): one node's, named by the zip; the collector folders are not nodes.
 */
export function periscopeZipNode(members: string[], archive: string): string | null {
  const base = archive.split(/[\\/]|!\//).pop() ?? '';
  if (!/\.zip$/i.test(base)) return null;
  const tops = new Set(members.map((m) => m.replace(/^\.\//, '').split('/')).filter((p) => p.length > 1).map((p) => p[0]!));
  if (tops.size === 0 || [...tops].some((t) => !PERISCOPE_COLLECTORS.has(t))) return null;
  return base.replace(/\.zip$/i, '') || null;
}

/**
 * A Retina capture tarball (microsoft/retina pkg/capture: `<capture>-<node>-<20060102150405UTC>`
 * holding `<same>.pcap`, `ip-resources.txt`, `proc-net/…` at its root) is one node's: the node is
 * in the tarball's (or the pcap's) name, never a folder inside it (`proc-net` is not a node).
 */
export function retinaCaptureNode(members: string[], archive: string): string | null {
  const root = members.filter((m) => !m.replace(/^\.\//, '').includes('/')).map((m) => m.replace(/^\.\//, ''));
  const pcap = root.find((m) => /-\d{14}UTC\.pcap$/.test(m));
  if (!pcap || !root.includes('ip-resources.txt')) return null;
  const base = archive.split(/[\\/]|!\//).pop() ?? '';
  return nodeFromRetinaName(base) ?? nodeFromRetinaName(pcap);
}

/**
 * The node in `<capture name>-<node>-<timestamp>`: both names may hold dashes, so the node is
 * taken by the shapes cloud node names have (AKS, EKS, GKE, kind, minikube); otherwise the
 * capture name's first word is dropped (Retina's CLI names captures `retina-capture-…` or one word).
 */
export function nodeFromRetinaName(name: string): string | null {
  const m = /^(.+)-\d{14}UTC(?:\.(?:pcap|tar\.gz|tgz))?$/.exec(name);
  if (!m) return null;
  const rest = m[1];
  const shapes = [/(aks-[a-z0-9]+-\d+-vmss[0-9a-z]{6})$/, /(aks-[a-z0-9]+-\d+-\d+)$/, /(gke-[a-z0-9-]+-[0-9a-f]{8}-[a-z0-9]{4})$/,
    /(ip-\d+-\d+-\d+-\d+(?:\.[a-z0-9-]+)*)$/, /([a-z0-9-]+-(?:control-plane|worker\d*))$/, /(minikube(?:-m\d+)?)$/];
  for (const re of shapes) {
    const x = re.exec(rest);
    if (x && x[1] !== rest) return x[1];
  }
  const cut = rest.startsWith('retina-capture-') ? 'retina-capture-'.length : rest.indexOf('-') + 1;
  return cut > 0 && cut < rest.length ? rest.slice(cut) : null;
}

function toDiagnostic(d: LevelDiag, archive: string): Diagnostic {
  return diag(d.code, d.message, { source: d.member !== undefined ? `${archive}!/${d.member}` : archive, offset: d.offset });
}
