/**
 * Runtime validation of every channel's request, shared by Electron IPC and `podcap serve`:
 * whatever reaches a handler has the contract's shape, bounded sizes and no unknown keys.
 * Pure (no Node imports) so the renderer can check a request before sending it.
 */
import { API_CHANNELS, type ApiChannel, type ApiRequest } from './contract.js';

export class ValidationError extends Error {
  constructor(readonly channel: string, readonly path: string, problem: string) {
    super(`${channel}: ${path || 'request'} ${problem}`);
    this.name = 'ValidationError';
  }
}

/** A check returns the value (typed) or throws a message for `path`. */
type Check<T> = { (v: unknown, path: string): T; optional?: true };
type Out<C> = C extends Check<infer T> ? T : never;

class Bad extends Error {
  constructor(readonly path: string, problem: string) {
    super(problem);
  }
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** Whole number within [min, max] (epoch µs fit in a double's 53 bits). */
export function int(min: number, max: number): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new Bad(path, `must be a whole number, not ${describe(v)}`);
    if (v < min || v > max) throw new Bad(path, `must be between ${min} and ${max}`);
    return v;
  };
}

export function str(maxLength: number, pattern?: RegExp, what?: string): Check<string> {
  return (v, path) => {
    if (typeof v !== 'string') throw new Bad(path, `must be a string, not ${describe(v)}`);
    if (v.length > maxLength) throw new Bad(path, `is longer than ${maxLength} characters`);
    // NUL has no place in a path, address or filter, and would be cut by C code further down.
    if (v.includes('\u0000')) throw new Bad(path, 'contains a NUL character');
    if (pattern && !pattern.test(v)) throw new Bad(path, `is not ${what ?? `of the form ${pattern}`}`);
    return v;
  };
}

export function bool(): Check<boolean> {
  return (v, path) => {
    if (typeof v !== 'boolean') throw new Bad(path, `must be true or false, not ${describe(v)}`);
    return v;
  };
}

export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new Bad(path, `must be one of ${values.join(', ')}`);
    return v as T;
  };
}

export function arr<T>(item: Check<T>, maxItems: number, minItems = 0): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new Bad(path, `must be an array, not ${describe(v)}`);
    if (v.length > maxItems) throw new Bad(path, `has more than ${maxItems} items`);
    if (v.length < minItems) throw new Bad(path, `needs at least ${minItems} item${minItems === 1 ? '' : 's'}`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

export function opt<T>(c: Check<T>): Check<T | undefined> {
  const o: Check<T | undefined> = (v, path) => (v === undefined ? undefined : c(v, path));
  o.optional = true;
  return o;
}

type Shape = Record<string, Check<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type ObjOut<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Out<S[K]> } & { [K in OptionalKeys<S>]?: Out<S[K]> };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An object with exactly these keys (optional ones may be missing); anything else is rejected. */
export function obj<S extends Shape>(shape: S, refine?: (o: ObjOut<S>, path: string) => void): Check<ObjOut<S>> {
  return (v, path) => {
    if (!isPlainObject(v)) throw new Bad(path, `must be an object, not ${describe(v)}`);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (!Object.prototype.hasOwnProperty.call(shape, k)) throw new Bad(path ? `${path}.${k}` : k, 'is not a known field');
    }
    for (const [k, check] of Object.entries(shape)) {
      const p = path ? `${path}.${k}` : k;
      if (v[k] === undefined && !check.optional) throw new Bad(p, 'is required');
      const val = check(v[k], p);
      if (val !== undefined) out[k] = val;
    }
    refine?.(out as ObjOut<S>, path);
    return out as ObjOut<S>;
  };
}

// Bounds: epoch microseconds up to year ~2255 keep well inside 2^53.
const US = int(0, 9e15);
const LIMIT = int(1, 100_000);
const IP_TEXT = str(64, /^[0-9A-Fa-f:.]+$/, 'an IPv4 or IPv6 address');
const PATH = str(4096);
const JOB_ID = str(64, /^[A-Za-z0-9_-]+$/, 'a job id');

function windowOrder(o: { fromUs?: number; toUs?: number }, path: string): void {
  if (o.fromUs !== undefined && o.toUs !== undefined && o.fromUs > o.toUs) throw new Bad(path ? `${path}.fromUs` : 'fromUs', 'is after toUs');
}

const windowShape = { fromUs: opt(US), toUs: opt(US) };
const timeWindow = obj(windowShape, windowOrder);

/** Columns the flows table can be sorted by (every scalar FlowOut field). */
export const FLOW_SORT_COLUMNS = [
  'id', 'proto', 'orig_ip', 'orig_port', 'resp_ip', 'resp_port', 'start', 'end', 'duration', 'state', 'history',
  'orig_pkts', 'resp_pkts', 'orig_bytes', 'resp_bytes', 'rst_by', 'source', 'orig_pod', 'resp_pod', 'origin_guessed',
] as const;

export const FLOW_FILTER_MAX = 4000;

const VALIDATORS: { [C in ApiChannel]: Check<ApiRequest<C>> } = {
  'case.info': obj({}),
  'sources.list': obj({}),
  'diagnostics.list': obj({ sourceId: opt(int(1, Number.MAX_SAFE_INTEGER)) }),
  'flows.list': obj({
    ...windowShape,
    filter: opt(str(FLOW_FILTER_MAX)),
    sort: opt(obj({ column: oneOf(FLOW_SORT_COLUMNS), desc: opt(bool()) })),
    offset: opt(int(0, 1_000_000_000)),
    limit: opt(int(1, 5_000)),
  }, windowOrder),
  'flows.pcap': obj({ id: int(1, Number.MAX_SAFE_INTEGER), all_sightings: opt(bool()) }),
  'rst.list': obj({ ...windowShape, senderIp: opt(IP_TEXT), limit: opt(LIMIT) }, windowOrder),
  'rst.summary': obj({ ...windowShape, bucketSeconds: opt(int(1, 31 * 86_400)) }, windowOrder),
  'fanout.list': obj({ ...windowShape, limit: opt(LIMIT) }, windowOrder),
  'drops.list': obj({ ...windowShape, limit: opt(LIMIT) }, windowOrder),
  'ports.list': obj({ ...windowShape, allocation: opt(int(1, 1_048_576)), limit: opt(LIMIT) }, windowOrder),
  'ports.heatmap': obj({ ...windowShape, dstIp: IP_TEXT, dstPort: int(0, 65_535) }, windowOrder),
  'conntrack.timeline': timeWindow,
  'correlate.list': obj({ ip: opt(IP_TEXT) }),
  'findings.list': timeWindow,
  'compare.run': obj({ against: opt(PATH), windows: opt(obj({ before: timeWindow, after: timeWindow })) }, (o, path) => {
    if (o.against === undefined && o.windows === undefined) throw new Bad(path, 'needs `against` (another case) or `windows` (two time windows)');
  }),
  'ingest.start': obj({ paths: arr(PATH, 10_000, 1) }),
  'ingest.status': obj({ jobId: JOB_ID }),
  'ingest.cancel': obj({ jobId: JOB_ID }),
};

export function isApiChannel(c: unknown): c is ApiChannel {
  return typeof c === 'string' && (API_CHANNELS as readonly string[]).includes(c);
}

/**
 * Checks `req` against `channel`'s request type and returns a clean copy (unknown keys rejected,
 * absent optional keys dropped). A missing request (`undefined`) is taken as `{}`.
 */
export function validateRequest<C extends ApiChannel>(channel: C, req: unknown): ApiRequest<C>;
export function validateRequest(channel: string, req: unknown): ApiRequest<ApiChannel>;
export function validateRequest(channel: string, req: unknown): unknown {
  if (!isApiChannel(channel)) throw new ValidationError(String(channel).slice(0, 64), '', 'is not a known channel');
  try {
    return (VALIDATORS[channel] as Check<unknown>)(req === undefined ? {} : req, '');
  } catch (e) {
    if (e instanceof Bad) throw new ValidationError(channel, e.path, e.message);
    throw e;
  }
}
