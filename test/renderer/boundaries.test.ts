import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function files(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, exts));
    else if (exts.test(name)) out.push(p);
  }
  return out;
}

const IMPORT = /^\s*import\s+(type\s+)?([^'"]*?)\s*from\s*['"]([^'"]+)['"]/gm;
function imports(file: string): { typeOnly: boolean; what: string; from: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => ({ typeOnly: !!m[1] || /^\{\s*type\s[^,]*\}$/.test(m[2]), what: m[2], from: m[3] }));
}

// Pure, browser-safe modules of core the renderer may run (no Node imports inside them); test/architecture.test.ts holds the general rule.
const RUNTIME_OK = new Set(['core/api/views', 'core/filter/display-filter', 'core/net/ip-cidr', 'core/net/ip-text']);
// ...and what those pull in.
const PURE = new Set([...RUNTIME_OK, 'core/net/conn-state', 'core/net/ip-text']);

describe('dependency rules (DESIGN.md)', () => {
  const rendererFiles = files(join(ROOT, 'renderer'), /\.(ts|tsx)$/);

  it('the renderer imports only types from core, apart from the pure filter and validator', () => {
    const bad: string[] = [];
    for (const f of rendererFiles) {
      for (const imp of imports(f)) {
        if (imp.from.startsWith('node:') || imp.from === 'electron' || imp.from === 'better-sqlite3') bad.push(`${relative(ROOT, f)} imports ${imp.from}`);
        if (!imp.from.includes('/core/')) continue;
        const target = relative(ROOT, join(f, '..', imp.from)).replace(/\.(js|ts)$/, '');
        if (!imp.typeOnly && !RUNTIME_OK.has(target)) bad.push(`${relative(ROOT, f)} imports ${target} at run time`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the runtime-imported core modules are themselves free of Node imports', () => {
    for (const m of PURE) {
      for (const imp of imports(join(ROOT, `${m}.ts`))) {
        if (imp.typeOnly) continue;
        expect(imp.from.startsWith('node:') || imp.from === 'better-sqlite3', `${m} imports ${imp.from}`).toBe(false);
        if (imp.from.startsWith('.')) expect(PURE.has(relative(ROOT, join(ROOT, m, '..', imp.from)).replace(/\.(js|ts)$/, '')), `${m} imports ${imp.from}`).toBe(true);
      }
    }
  });

  it('core imports nothing from electron/ or renderer/', () => {
    const bad = files(join(ROOT, 'core'), /\.ts$/).flatMap((f) => imports(f).filter((i) => /(^|\/)(electron|renderer)\//.test(i.from) || i.from === 'electron').map((i) => `${relative(ROOT, f)} → ${i.from}`));
    expect(bad).toEqual([]);
  });

  it('hostile strings are rendered as text: no raw HTML sinks in the renderer', () => {
    const sinks = /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|\.html\(|document\.write|\beval\(|new Function\(/;
    const bad = rendererFiles.filter((f) => sinks.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(bad).toEqual([]);
  });

  it('the preload exposes only window.api, never ipcRenderer', () => {
    const text = readFileSync(join(ROOT, 'electron/preload.ts'), 'utf8');
    expect([...text.matchAll(/exposeInMainWorld\(\s*'([^']+)'\s*,\s*(\w+)\s*\)/g)].map((m) => [m[1], m[2]])).toEqual([['api', 'api']]);
    expect(text).not.toMatch(/ipcRenderer\s*[,}]\s*\)|:\s*ipcRenderer\b|send\s*:\s*ipcRenderer/);
  });

  it('every BrowserWindow takes the one webPreferences factory', () => {
    const main = files(join(ROOT, 'electron'), /\.ts$/).map((f) => readFileSync(f, 'utf8')).join('\n');
    const windows = [...main.matchAll(/new BrowserWindow\(/g)].length;
    const factory = [...main.matchAll(/webPreferences:\s*secureWebPreferences\(/g)].length;
    expect(windows).toBeGreaterThan(0);
    expect(factory).toBe(windows);
    expect(main).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false/);
  });
});
