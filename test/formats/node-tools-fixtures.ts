/** Shared by the tests of the crictl/lsns/pstree/iplink/kubectl/iptables/ipvs/ufw formats. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../core/diagnostics.js';
import type { TextFormat, TextParseContext, TextParseResult } from '../../core/formats/text-format.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Real tool outputs shared by the project (read-only). */
export const SAMPLES = join(here, '../../fixtures/samples/node-tools');
/** Real outputs made in network/PID namespaces (fixtures/node-tools/lab/netns-tools/README.md). */
export const LAB = join(here, '../../fixtures/node-tools/lab/netns-tools');
/** Hand-written content laid out by the real clients or their printing code (…/handwritten/README.md). */
export const HAND = join(here, '../../fixtures/node-tools/handwritten');

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

export function parseFile<K extends string, R>(
  format: TextFormat<K, R>,
  path: string,
  ctx: Partial<TextParseContext> = {},
): TextParseResult<R> & { text: string } {
  const text = read(path);
  return { ...format.parse(text, { source: path, ...ctx }), text };
}

export function codes(diags: Diagnostic[]): string[] {
  return diags.map((d) => `${d.code}@${d.line ?? '-'}`);
}

/** The 1-based line `n` of a text. */
export function lineOf(text: string, n: number): string {
  return text.split('\n')[n - 1] ?? '';
}

/** Text cut `chars` characters before its end, without the final newline (a killed collection script). */
export function cutEnd(text: string, chars: number): string {
  return text.replace(/\n$/, '').slice(0, -chars);
}
