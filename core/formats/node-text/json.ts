/**
 * JSON dumps: kubectl -o json, crictl inspect (one object per id, printed one after another),
 * docker inspect, lsns -J and ip -j. `readJsonDocuments` accepts one value or several
 * concatenated, remembers the line where each element of a top-level array (or of an array under
 * a top-level key, like `items`) starts, and salvages the complete elements of a cut file.
 */
export interface JsonDocument {
  value: unknown;
  /** 1-based line where the document starts. */
  line: number;
  /** Start lines of array elements: key '' for a root array, else the top-level key (`items`). */
  elementLines: Map<string, number[]>;
  /** True when this document was cut and rebuilt from its complete elements. */
  partial: boolean;
}

export interface JsonReadResult {
  documents: JsonDocument[];
  /** The text ends inside a value (cut file). */
  truncated: boolean;
  /** A syntax error (not a cut): message and 1-based line. */
  error?: { message: string; line: number };
}

interface Frame {
  kind: '{' | '[';
  key: string;
  /** Top-level key this array hangs under, when depth allows tracking its elements. */
  track?: string;
  expectingKey: boolean;
  lastKey: string;
}

export function readJsonDocuments(text: string): JsonReadResult {
  const documents: JsonDocument[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c !== '{' && c !== '[') {
      return { documents, truncated: false, error: { message: `unexpected character ${JSON.stringify(c)} between JSON values`, line } };
    }
    const scanned = scanValue(text, i, line);
    if (scanned.end === undefined) {
      const repaired = repair(text, i, scanned);
      if (repaired) documents.push({ ...repaired, line: scanned.startLine, elementLines: scanned.elementLines, partial: true });
      return { documents, truncated: true };
    }
    const slice = text.slice(i, scanned.end);
    let value: unknown;
    try {
      value = JSON.parse(slice);
    } catch (e) {
      return { documents, truncated: false, error: { message: (e as Error).message, line: scanned.startLine } };
    }
    documents.push({ value, line: scanned.startLine, elementLines: scanned.elementLines, partial: false });
    i = scanned.end;
    line = scanned.endLine;
  }
  return { documents, truncated: false };
}

interface ScanResult {
  startLine: number;
  end?: number;
  endLine: number;
  elementLines: Map<string, number[]>;
  /** Offsets just after a complete element of a tracked array, with the open containers there. */
  cuts: { offset: number; closers: string }[];
}

function scanValue(text: string, start: number, startLine: number): ScanResult {
  const elementLines = new Map<string, number[]>();
  const cuts: ScanResult['cuts'] = [];
  const stack: Frame[] = [];
  let line = startLine;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let pendingElement = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        const top = stack[stack.length - 1];
        if (top && top.kind === '{' && top.expectingKey) {
          top.lastKey = text.slice(stringStart + 1, i);
          top.expectingKey = false;
        }
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (pendingElement && top && top.kind === '[' && top.track !== undefined && !/\s/.test(c) && c !== ']') {
      elementLines.get(top.track)!.push(line);
      pendingElement = false;
    }
    switch (c) {
      case '"':
        inString = true;
        stringStart = i;
        break;
      case '{':
      case '[': {
        const depth = stack.length;
        let track: string | undefined;
        if (c === '[' && depth === 0) track = '';
        else if (c === '[' && depth === 1 && top?.kind === '{') track = top.lastKey;
        if (track !== undefined) {
          elementLines.set(track, []);
          pendingElement = true;
        }
        stack.push({ kind: c, key: top?.lastKey ?? '', track, expectingKey: c === '{', lastKey: '' });
        break;
      }
      case '}':
      case ']': {
        stack.pop();
        if (stack.length === 0) return { startLine, end: i + 1, endLine: line, elementLines, cuts };
        const parent = stack[stack.length - 1]!;
        if (parent.kind === '[' && parent.track !== undefined) {
          cuts.push({ offset: i + 1, closers: closersFor(stack) });
        }
        break;
      }
      case ',': {
        if (top?.kind === '{') top.expectingKey = true;
        if (top?.kind === '[' && top.track !== undefined) pendingElement = true;
        break;
      }
      default:
        break;
    }
  }
  return { startLine, endLine: line, elementLines, cuts };
}

function closersFor(stack: Frame[]): string {
  return stack
    .slice()
    .reverse()
    .map((f) => (f.kind === '{' ? '}' : ']'))
    .join('');
}

/** Rebuilds a cut document from its last complete tracked element; undefined when none is complete. */
function repair(text: string, start: number, scanned: ScanResult): { value: unknown } | undefined {
  // A few tries only: if the text before the last cut does not parse, earlier cuts rarely help and
  // each try re-parses the whole prefix.
  for (let k = scanned.cuts.length - 1; k >= Math.max(0, scanned.cuts.length - 3); k--) {
    const cut = scanned.cuts[k]!;
    try {
      const value: unknown = JSON.parse(text.slice(start, cut.offset) + cut.closers);
      // Elements after the cut were not complete: forget their start lines.
      for (const [key, lines] of scanned.elementLines) {
        const complete = countElements(value, key);
        if (complete !== undefined) lines.length = Math.min(lines.length, complete);
      }
      return { value };
    } catch {
      // Try an earlier cut.
    }
  }
  return undefined;
}

function countElements(value: unknown, key: string): number | undefined {
  if (key === '') return Array.isArray(value) ? value.length : undefined;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = (value as Record<string, unknown>)[key];
    return Array.isArray(v) ? v.length : undefined;
  }
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

export function obj(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}
