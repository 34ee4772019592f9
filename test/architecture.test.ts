/**
 * The layering of core/, electron/ and renderer/ as data (CODE.md draws the same map), checked
 * against the imports as written: allowed imports per part, no import circle, SQL only where it
 * belongs, and the renderer's run-time imports from core only from pure modules. The checks are
 * pure functions over {path: source}, so the last block runs them on a synthetic tree with one
 * violation of each kind and expects each to be reported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/**
 * What each part may import (besides itself and npm/node modules). A part is a folder of core/,
 * a top-level file of core/, or electron/ / renderer/. Bottom to top:
 * errors, diagnostics, net → formats, decode → flows, correlate → db → analysis, filter → ingest →
 * export → api → host → cli, electron, renderer.
 */
const LEAF = ['core/errors.ts', 'core/diagnostics.ts', 'core/net'];
const ALLOWED: Record<string, string[]> = {
  'core/errors.ts': [],
  'core/diagnostics.ts': [],
  'core/net': [],
  'core/formats': [...LEAF],
  'core/decode': [...LEAF],
  'core/flows': [...LEAF, 'core/decode'],
  'core/correlate': [...LEAF, 'core/formats'],
  // db: schema, writers and shared SQL fragments; never analysis or correlate.
  'core/db': [...LEAF, 'core/formats', 'core/decode', 'core/flows'],
  // analysis reads stored records in their formats' shapes (the RST verdict matches iptables/nft REJECT rules).
  'core/analysis': [...LEAF, 'core/formats', 'core/db'],
  'core/filter': [...LEAF, 'core/db'],
  'core/ingest': [...LEAF, 'core/formats', 'core/decode', 'core/flows', 'core/correlate', 'core/db', 'core/analysis'],
  'core/export': [...LEAF, 'core/formats', 'core/decode', 'core/db', 'core/ingest'],
  'core/api': [...LEAF, 'core/db', 'core/analysis', 'core/filter', 'core/ingest', 'core/export'],
  'core/host': [...LEAF, 'core/db', 'core/ingest', 'core/api'],
  'core/cli': [...LEAF, 'core/db', 'core/analysis', 'core/filter', 'core/ingest', 'core/export', 'core/api', 'core/host'],
  electron: ['core/db', 'core/ingest', 'core/api', 'core/host'],
  // The renderer: types from core/api; run-time code only from RENDERER_RUNTIME below.
  renderer: ['core/api', 'core/filter', 'core/net'],
};

/** Where SQL may be written: the schema and writers, each question's queries, the API's listings. */
const SQL_HOMES = [/^core\/db\//, /^core\/analysis\/(?!cells\/)/, /^core\/api\/queries\//];
/**
 * Files that held SQL before the rule was written, each to move into core/db; the list may only
 * shrink (a file on it that no longer holds SQL fails the test, so the list cannot go stale).
 */
const SQL_GRANDFATHERED = new Set([
  'core/ingest/ingest.ts', // source de-dup lookups and the per-source transaction: to core/db/case-writer.ts
  'core/export/flow-pcap.ts', // the flow and its sightings: to a query in core/db
]);

/** Modules of core the renderer may run (the rest of core it may import only as types). */
const RENDERER_RUNTIME = [/^core\/api\/views\.ts$/, /^core\/filter\/display-filter\.ts$/, /^core\/net\//];

type Tree = Record<string, string>;
interface Import { from: string; to: string; typeOnly: boolean }

function partOf(path: string): string {
  const s = path.split('/');
  if (s[0] !== 'core') return s[0];
  return s.length === 2 ? path : `core/${s[1]}`;
}

/** Comments out, string contents kept (an import specifier is a string). */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Relative imports of every file, resolved to tree paths (.js → .ts/.tsx, extensionless → .ts/.tsx/index.ts). */
function importsOf(tree: Tree): Import[] {
  const out: Import[] = [];
  const resolve = (from: string, spec: string): string | null => {
    const base = posix.normalize(posix.join(posix.dirname(from), spec));
    const stem = base.replace(/\.(js|ts|tsx)$/, '');
    for (const c of [`${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`]) if (c in tree) return c;
    return null;
  };
  for (const [from, src] of Object.entries(tree)) {
    const text = stripComments(src);
    // import/export … from '…' (static), import('…') (dynamic or type position), import '…' (side effect)
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*['"](\.[^'"]+)['"]/gm)) {
      const to = resolve(from, m[4]);
      if (to) out.push({ from, to, typeOnly: !!m[2] || /^\{\s*(type\s+[^,}]+,?\s*)+\}$/.test(m[3]) });
    }
    for (const m of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)(\.\w+)?/g)) {
      const to = resolve(from, m[1]);
      // `import('./x.js').T` in a type position names a type; a bare import('./x.js') loads code.
      if (to) out.push({ from, to, typeOnly: !!m[2] && /^\.[A-Z]/.test(m[2]) });
    }
    for (const m of text.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) {
      const to = resolve(from, m[1]);
      if (to) out.push({ from, to, typeOnly: false });
    }
  }
  return out;
}

/** Imports from one part to another that ALLOWED does not list. */
function layerViolations(imports: Import[], allowed = ALLOWED): string[] {
  const bad: string[] = [];
  for (const i of imports) {
    const a = partOf(i.from);
    const b = partOf(i.to);
    if (a === b) continue;
    if (!(a in allowed)) bad.push(`${i.from}: its part ${a} is not in ALLOWED`);
    else if (!allowed[a].includes(b)) bad.push(`${i.from} → ${i.to} (${a} may not import ${b})`);
  }
  return bad;
}

/** Every import circle between files (type imports included: a circle of types is still a knot to read). */
function circles(imports: Import[]): string[][] {
  const next = new Map<string, string[]>();
  for (const i of imports) next.set(i.from, [...(next.get(i.from) ?? []), i.to]);
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (next.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of next.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/**
 * SQL is detected two ways: a statement prepared on a database (`.prepare(`), or a string or
 * template literal that reads as a SQL statement (upper-case keywords in statement shape). A
 * RegExp's `.exec(` does not count; `db.exec(` with literal text is caught by the literal.
 */
const SQL_TEXT = /\b(SELECT\s[\s\S]*?\bFROM\b|INSERT\s+(OR\s+[A-Z]+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(TABLE|(UNIQUE\s+)?INDEX|VIEW|TRIGGER)\b|ALTER\s+TABLE\b|DROP\s+(TABLE|INDEX)\b)/;
function holdsSql(src: string): boolean {
  const text = stripComments(src);
  if (/\.prepare\(/.test(text)) return true;
  for (const m of text.matchAll(/`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g)) if (SQL_TEXT.test(m[0])) return true;
  return false;
}

function sqlViolations(tree: Tree, homes = SQL_HOMES, grandfathered = SQL_GRANDFATHERED): string[] {
  const bad: string[] = [];
  for (const [path, src] of Object.entries(tree)) {
    if (!path.startsWith('core/') || homes.some((h) => h.test(path))) continue;
    const has = holdsSql(src);
    if (has && !grandfathered.has(path)) bad.push(`${path} holds SQL outside core/db, core/analysis, core/api/queries`);
    if (!has && grandfathered.has(path)) bad.push(`${path} no longer holds SQL: take it off SQL_GRANDFATHERED`);
  }
  return bad;
}

/**
 * The renderer's run-time imports from core (type imports are erased and may name anything in
 * core/api), and what those modules pull in at run time: all within RENDERER_RUNTIME, and free of
 * node:, electron and better-sqlite3.
 */
function rendererViolations(tree: Tree, imports: Import[], runtime = RENDERER_RUNTIME): string[] {
  const bad: string[] = [];
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const i of imports) {
    if (!i.from.startsWith('renderer/') || !i.to.startsWith('core/') || i.typeOnly) continue;
    if (!runtime.some((r) => r.test(i.to))) bad.push(`${i.from} runs ${i.to} (only types may come from there)`);
    else queue.push(i.to);
  }
  while (queue.length) {
    const m = queue.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    for (const spec of stripComments(tree[m] ?? '').matchAll(/^\s*import\s+(?!type\s)[^;]*?from\s*['"]([^.'"][^'"]*)['"]/gm)) {
      if (/^(node:|electron$|better-sqlite3$)/.test(spec[1]) || !spec[1].includes('/') && ['fs', 'path', 'os', 'child_process'].includes(spec[1])) bad.push(`${m} (run by the renderer) imports ${spec[1]}`);
    }
    for (const i of imports) {
      if (i.from !== m || i.typeOnly) continue;
      if (!runtime.some((r) => r.test(i.to))) bad.push(`${m} (run by the renderer) runs ${i.to}`);
      else queue.push(i.to);
    }
  }
  return bad;
}

function readTree(): Tree {
  const tree: Tree = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) tree[relative(ROOT, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  for (const d of ['core', 'electron', 'renderer']) walk(join(ROOT, d));
  return tree;
}

describe('architecture (CODE.md)', () => {
  const tree = readTree();
  const imports = importsOf(tree);

  it('reads the tree and its imports', () => {
    expect(Object.keys(tree).length).toBeGreaterThan(150);
    expect(imports.length).toBeGreaterThan(300);
  });

  it('every import between parts is one ALLOWED lists (nothing runs back up the layers)', () => {
    expect(layerViolations(imports)).toEqual([]);
  });

  it('ALLOWED itself is a layering: no two parts may import each other, even through others', () => {
    const asImports = Object.entries(ALLOWED).flatMap(([a, bs]) => bs.map((b) => ({ from: a, to: b, typeOnly: false })));
    expect(circles(asImports)).toEqual([]);
  });

  it('has no import circle between files', () => {
    expect(circles(imports)).toEqual([]);
  });

  it('each analysis question lives in one folder and the questions over rollups form no circle of folders', () => {
    const folderOf = (p: string) => p.split('/').slice(0, 3).join('/');
    const folderImports = imports
      .filter((i) => i.from.startsWith('core/analysis/') && i.to.startsWith('core/analysis/'))
      .map((i) => ({ from: folderOf(i.from), to: folderOf(i.to), typeOnly: i.typeOnly }))
      .filter((i) => i.from !== i.to);
    expect(circles(folderImports)).toEqual([]);
    // The pure reducers import nothing that touches a database.
    expect(imports.filter((i) => i.from.startsWith('core/analysis/cells/') && !i.to.startsWith('core/analysis/cells/')).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('SQL is written only in core/db, core/analysis (not its pure cells) and core/api/queries', () => {
    expect(sqlViolations(tree)).toEqual([]);
  });

  it("the renderer runs only pure modules of core (core/api/views.ts, core/filter's display filter, core/net)", () => {
    expect(rendererViolations(tree, imports)).toEqual([]);
    // It does use them: the rule is not vacuous.
    expect(imports.some((i) => i.from.startsWith('renderer/') && i.to === 'core/api/views.ts' && !i.typeOnly)).toBe(true);
  });

  it('core imports nothing from electron/ or renderer/', () => {
    expect(imports.filter((i) => i.from.startsWith('core/') && !i.to.startsWith('core/')).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });
});

describe('the checks catch a new violation', () => {
  // A miniature tree, clean, then each kind of violation added to it.
  const clean: Tree = {
    'core/errors.ts': 'export class PodcapError extends Error {}',
    'core/net/ip.ts': 'export const ip = 1;',
    'core/db/open-case.ts': "import { PodcapError } from '../errors.js';\nexport const open = () => db.prepare('SELECT 1 FROM flows');",
    'core/analysis/fanout/fanout.ts': "import type { X } from '../../db/open-case.js';\nexport const q = `SELECT count(*) FROM flows`;",
    'core/ingest/ingest.ts': "import { open } from '../db/open-case.js';\nconst m = /x/.exec('SELECT');",
    'core/api/views.ts': 'export const VIEWS = [];',
    'core/api/handlers.ts': "import { q } from '../analysis/fanout/fanout.js';",
    'renderer/app.tsx': "import { VIEWS } from '../core/api/views';\nimport type { Y } from '../core/api/handlers';",
  };
  const check = (t: Tree) => ({
    layers: layerViolations(importsOf(t)),
    circles: circles(importsOf(t)),
    sql: sqlViolations(t, SQL_HOMES, new Set()),
    renderer: rendererViolations(t, importsOf(t)),
  });

  it('the miniature is clean', () => {
    expect(check(clean)).toEqual({ layers: [], circles: [], sql: [], renderer: [] });
  });

  it('db importing analysis (an arrow back up) is reported', () => {
    const t = { ...clean, 'core/db/open-case.ts': `${clean['core/db/open-case.ts']}\nimport { q } from '../analysis/fanout/fanout.js';` };
    expect(check(t).layers).toEqual(['core/db/open-case.ts → core/analysis/fanout/fanout.ts (core/db may not import core/analysis)']);
  });

  it('a circle is reported', () => {
    const t = { ...clean, 'core/net/ip.ts': "import { v } from './v.js';\nexport const ip = 1;", 'core/net/v.ts': "import type { ip } from './ip.js';\nexport const v = 2;" };
    expect(check(t).circles).toEqual([['core/net/ip.ts', 'core/net/v.ts']]);
  });

  it('SQL in ingest is reported, as a literal and as a prepared statement; a RegExp exec is not SQL', () => {
    expect(check({ ...clean, 'core/ingest/ingest.ts': "const n = db.exec('DELETE FROM answers');" }).sql).toEqual(['core/ingest/ingest.ts holds SQL outside core/db, core/analysis, core/api/queries']);
    expect(check({ ...clean, 'core/ingest/ingest.ts': 'const s = db.prepare(sql);' }).sql).toHaveLength(1);
    expect(holdsSql("const m = /^SELECT/.exec(line); // SELECT x FROM y")).toBe(false);
  });

  it('the renderer running handlers (not only its types) is reported, and so is a pure module that reaches Node', () => {
    const t = { ...clean, 'renderer/app.tsx': "import { VIEWS } from '../core/api/views';\nimport { q } from '../core/api/handlers';" };
    expect(check(t).renderer).toEqual(['renderer/app.tsx runs core/api/handlers.ts (only types may come from there)']);
    const t2 = { ...clean, 'core/api/views.ts': "import { readFileSync } from 'node:fs';\nexport const VIEWS = [];" };
    expect(check(t2).renderer).toEqual(["core/api/views.ts (run by the renderer) imports node:fs"]);
  });
});
