/** Shared by the node-tool text format tests: where the real samples are, and line-level mutators. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conntrackFormat } from '../../core/formats/conntrack/index.js';
import { kernlogFormat } from '../../core/formats/kernlog/index.js';
import { netstatFormat } from '../../core/formats/netstat/index.js';
import { sysctlFormat } from '../../core/formats/sysctl/index.js';
import { tcptracerCountFormat, tcptracerFormat } from '../../core/formats/tcptracer/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Real tool outputs shared by the project (read-only). */
export const SAMPLES = join(here, '../../fixtures/samples/node-tools');
/** Our own lab captures (see fixtures/node-tools/lab/README.md). */
export const LAB = join(here, '../../fixtures/node-tools/lab');

export const FORMATS = [tcptracerFormat, tcptracerCountFormat, conntrackFormat, kernlogFormat, netstatFormat, sysctlFormat] as const;
export type Kind = (typeof FORMATS)[number]['kind'];

/** Every file under `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The lab files capture.sh writes (the folder also holds another fixture set in a subfolder). */
export function labFiles(): string[] {
  return readdirSync(LAB).filter((n) => statSync(join(LAB, n)).isFile() && n !== 'README.md' && n !== 'capture.sh').sort();
}

export function sample(rel: string): string {
  return readFileSync(join(SAMPLES, rel), 'utf8');
}

export function lab(name: string): string {
  return readFileSync(join(LAB, name), 'utf8');
}

export function head(text: string): string {
  return text.slice(0, 65536);
}

/**
 * Inserts `garbage` after every `every`-th line and returns the new text with the 1-based line
 * numbers the garbage lines end up on.
 */
export function interleave(text: string, garbage: string[], every: number): { text: string; at: number[] } {
  const lines = text.split('\n');
  const trailing = lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  const out: string[] = [];
  const at: number[] = [];
  let g = 0;
  lines.forEach((l, i) => {
    out.push(l);
    if ((i + 1) % every === 0) {
      out.push(garbage[g++ % garbage.length]);
      at.push(out.length);
    }
  });
  return { text: out.join('\n') + (trailing ? '\n' : ''), at };
}

/** The line number in the interleaved text of original line `n`. */
export function shifted(n: number, every: number): number {
  return n + Math.floor((n - 1) / every);
}

/** Cuts `chars` characters off the end and drops the final newline: a dump whose writer was killed. */
export function truncate(text: string, chars: number): string {
  const t = text.endsWith('\n') ? text.slice(0, -1) : text;
  return t.slice(0, t.length - chars);
}
