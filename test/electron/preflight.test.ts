import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// An empty folder as Electron's unpacked distribution: the binary is missing on every machine,
// whether or not this one downloaded Electron.
const noElectron = () => ({ ...process.env, ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(tmpdir(), 'podcap-no-electron-')) });

describe('desktop app without Electron binary', () => {
  it('the preflight says so in one line, with how to get it, and exits non-zero', () => {
    const r = spawnSync(process.execPath, ['scripts/electron-preflight.mjs'], { env: noElectron(), encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^podcap: cannot build the desktop app: .*binary.*npm install electron.*podcap serve/);
    expect(lines.every((l) => l.startsWith('podcap: '))).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('npm start stops before building anything', () => {
    const r = spawnSync('npm', ['start', '--silent'], { env: noElectron(), encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^podcap: cannot build the desktop app: /m);
    expect(r.stdout + r.stderr).not.toMatch(/electron-vite|vite v|building/i);
  });
});
