import type { TextParseContext } from '../text-format.js';
import type { Column } from './columns.js';
import type { DiagnosticSink } from './report.js';
import { parseRelativeAge } from './time.js';

/** What a table row reader needs besides the row: where to report, and how to anchor ages. */
export interface TableRowContext {
  ctx: TextParseContext;
  sink: DiagnosticSink;
  /** The row comes from a markdown code fence (records get `embedded: true`). */
  embedded: boolean;
  /** Called when an age was turned into an instant with the context's base time (→ one TEXT_NO_DATE). */
  anchored: () => void;
}

/** `cell('NAME')` for a row split by `splitRow`; undefined when the table has no such column. */
export function cellLookup(cols: readonly Column[], cells: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    const i = cols.findIndex((c) => c.name === name);
    return i < 0 ? undefined : cells[i];
  };
}

/** An age column ("6 hours ago", "5d3h") as epoch µs, when the context has a base time. */
export function anchorAge(age: string | undefined, rc: TableRowContext): number | undefined {
  if (!age || rc.ctx.baseTimeUs === undefined) return undefined;
  const a = parseRelativeAge(age);
  if (!a) return undefined;
  rc.anchored();
  return rc.ctx.baseTimeUs - a.seconds * 1_000_000;
}
