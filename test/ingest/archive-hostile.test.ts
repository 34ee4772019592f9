import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandArchives } from '../../core/ingest/archive/archive.js';
import { walkInputs } from '../../core/ingest/walk.js';

/** The archives Python's tarfile/zipfile wrote (fixtures/hostile/make.py): an independent maker. */
const HOSTILE = 'fixtures/hostile';

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

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

const expected: Record<string, { files: string[]; codes: string[] }> = {
  'slip.tar': { files: ['node-1/ok.txt'], codes: ['ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH'] },
  'pax-slip.tar': { files: ['node-1/ok.txt'], codes: ['ARCHIVE_UNSAFE_PATH'] },
  'links.tar.gz': { files: ['node-1/ok.txt'], codes: ['ARCHIVE_SYMLINK', 'ARCHIVE_SYMLINK', 'ARCHIVE_SYMLINK', 'ARCHIVE_SKIPPED_ENTRY', 'ARCHIVE_SKIPPED_ENTRY'] },
  'slip.zip': { files: ['node-1/ok.txt'], codes: ['ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH', 'ARCHIVE_UNSAFE_PATH', 'ARCHIVE_SYMLINK', 'ARCHIVE_SYMLINK'] },
  'ratio-bomb.zip': { files: ['node-1/ok.txt'], codes: ['ARCHIVE_BOMB'] },
  'truncated.tar.gz': { files: ['node-1/ok.txt', 'node-1/random.bin'], codes: ['ARCHIVE_CORRUPT'] },
};

describe('hostile archives made by another tool (fixtures/hostile)', () => {
  it('the fixture set is complete', () => {
    expect(readdirSync(HOSTILE).filter((n) => !/\.(md|py)$/.test(n)).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: keeps the harmless file, refuses the rest, writes nothing outside`, async () => {
      const root = realpathSync(mkdtempSync(join(tmpdir(), 'podcap-hostile-')));
      roots.push(root);
      // Copied down a few levels so "../../" lands inside the temp root, where it is watched.
      const input = join(root, 'a', 'b', 'c', name);
      const work = join(root, 'a', 'b', 'c', 'work');
      mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
      copyFileSync(join(HOSTILE, name), input);
      const before = tree(root);
      const r = await expandArchives(await walkInputs([input]), { workDir: work });
      expect(r.files.map((f) => f.displayPath.slice(input.length + 2))).toEqual(want.files);
      expect(r.files.map((f) => f.node)).toEqual(want.files.map(() => 'node-1'));
      expect(r.diagnostics.map((d) => d.code)).toEqual(want.codes);
      expect(r.missing).toEqual([]);
      const workRel = relative(root, join(work, 'extract'));
      const created = tree(root).filter((p) => !before.includes(p) && !p.startsWith(workRel + sep) && p !== workRel && p !== relative(root, work));
      expect(created).toEqual([]);
      expect(existsSync('/tmp/podcap-hostile-evil.txt')).toBe(false);
      expect(readFileSync(r.files[0].fsPath, 'utf8')).toBe('harmless\n');
      if (name === 'truncated.tar.gz') {
        // The cut file is kept up to the cut, and the diagnostic names it.
        expect(statSync(r.files[1].fsPath).size).toBeGreaterThan(0);
        expect(statSync(r.files[1].fsPath).size).toBeLessThan(40_000);
        expect(r.diagnostics[0].source).toBe(`${input}!/node-1/random.bin`);
      }
    });
  }
});
