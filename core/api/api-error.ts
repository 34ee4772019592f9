/** How a failed call is reported to the UI, over HTTP (JSON body) and IPC (envelope) alike. */
import { PodcapError } from '../errors.js';
import { DisplayFilterError } from '../filter/display-filter.js';
import { ValidationError } from './validate.js';

export type ApiErrorCode = 'BAD_REQUEST' | 'FILTER' | 'NOT_IMPLEMENTED' | 'NOT_FOUND' | 'FORBIDDEN' | 'CASE' | 'NO_CASE' | 'INTERNAL';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  /** Filter errors: 1-based column and length of the bad token. */
  column?: number;
  length?: number;
}

export interface ApiErrorBody { error: ApiError }

export class NotImplementedError extends Error {
  constructor(channel: string) {
    super(`${channel} is not implemented yet`);
  }
}

/** An error a host raises on purpose, with its HTTP status. */
export class HostError extends Error {
  constructor(readonly status: number, readonly code: ApiErrorCode, message: string) {
    super(message);
  }
}

export function toApiError(e: unknown): { status: number; error: ApiError } {
  if (e instanceof HostError) return { status: e.status, error: { code: e.code, message: e.message } };
  if (e instanceof ValidationError) return { status: 400, error: { code: 'BAD_REQUEST', message: e.message } };
  if (e instanceof DisplayFilterError) return { status: 400, error: { code: 'FILTER', message: e.problem, column: e.column, length: e.length } };
  if (e instanceof NotImplementedError) return { status: 501, error: { code: 'NOT_IMPLEMENTED', message: e.message } };
  // Export and case errors: a missing flow or capture is a 404, an oversized export a 413, a bad case file 422.
  if (e instanceof PodcapError && (e.code === 'NOT_FOUND' || e.code === 'CASE_NOT_FOUND')) return { status: 404, error: { code: 'NOT_FOUND', message: e.message } };
  if (e instanceof PodcapError && e.code === 'TOO_LARGE') return { status: 413, error: { code: 'BAD_REQUEST', message: e.message } };
  if (e instanceof PodcapError) return { status: 422, error: { code: 'CASE', message: e.message } };
  return { status: 500, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } };
}
