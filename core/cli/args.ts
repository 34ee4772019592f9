/** What the commands share: argument checks, the case opened read-only, time and address text. */
import { parseArgs } from 'node:util';
import type { TimeWindow } from '../api/contract.js';
import { type CaseDb, openCase } from '../db/open-case.js';

export class UsageError extends Error {}

export function fail(msg: string): never {
  throw new UsageError(msg);
}

export function needCase(v: { case?: string }): string {
  if (!v.case) fail('--case FILE is required');
  return v.case;
}

export function int(s: string | undefined, name: string): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) fail(`${name} takes a whole number, not "${s}"`);
  return n;
}

export const fmtTime = (s: number | null) => (s === null ? '-' : new Date(s * 1000).toISOString().replace('T', ' ').replace('Z', ''));

export function withCase<T>(args: string[], extra: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>, fn: (db: CaseDb, v: Record<string, string | boolean | undefined>) => T): T {
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' }, ...extra } });
  const db = openCase(needCase(values as { case?: string }), { readonly: true });
  try {
    return fn(db, values as Record<string, string | boolean | undefined>);
  } finally {
    db.close();
  }
}

/** `FROM..TO`, each epoch seconds or an ISO 8601 time (UTC unless it says otherwise); either side may be empty. */
export function parseWindow(s: string): TimeWindow {
  const m = /^(.*)\.\.(.*)$/.exec(s);
  if (!m) fail(`--window takes FROM..TO, not "${s}"`);
  const t = (x: string): number | undefined => {
    if (x.trim() === '') return undefined;
    if (/^\d+(\.\d+)?$/.test(x.trim())) return Math.round(Number(x) * 1e6);
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(x) ? x : x + 'Z');
    if (Number.isNaN(ms)) fail(`cannot read the time "${x}" (use epoch seconds or ISO 8601)`);
    return ms * 1000;
  };
  return { fromUs: t(m[1]), toUs: t(m[2]) };
}

export function fmtWindowEnd(us: number): string {
  return Number.isFinite(us) ? new Date(Math.floor(us / 1000)).toISOString() : '';
}
