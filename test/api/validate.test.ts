import { describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../core/api/contract.js';
import { isApiChannel, validateRequest, ValidationError } from '../../core/api/validate.js';

function bad(channel: string, req: unknown): ValidationError {
  try {
    validateRequest(channel, req);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error(`${channel} accepted ${JSON.stringify(req)}`);
}

describe('validateRequest', () => {
  it('knows every channel of the contract and nothing else', () => {
    for (const c of API_CHANNELS) expect(isApiChannel(c)).toBe(true);
    expect(isApiChannel('flows.drop')).toBe(false);
    expect(isApiChannel('__proto__')).toBe(false);
    expect(bad('flows.drop', {}).message).toMatch(/not a known channel/);
  });

  it('accepts the contract shapes and returns a clean copy', () => {
    expect(validateRequest('case.info', undefined)).toEqual({});
    expect(validateRequest('flows.list', { filter: 'state == REJ', sort: { column: 'duration', desc: true }, offset: 0, limit: 200, fromUs: 1, toUs: 2 }))
      .toEqual({ filter: 'state == REJ', sort: { column: 'duration', desc: true }, offset: 0, limit: 200, fromUs: 1, toUs: 2 });
    expect(validateRequest('ingest.start', { paths: ['/tmp/a.pcap'] })).toEqual({ paths: ['/tmp/a.pcap'] });
    expect(validateRequest('ports.heatmap', { dstIp: 'fd00::1', dstPort: 443 })).toEqual({ dstIp: 'fd00::1', dstPort: 443 });
    expect(validateRequest('compare.run', { windows: { before: { fromUs: 1, toUs: 5 }, after: {} } })).toEqual({ windows: { before: { fromUs: 1, toUs: 5 }, after: {} } });
    const r = validateRequest('rst.list', { senderIp: undefined });
    expect(Object.keys(r)).toEqual([]);
  });

  it('rejects unknown keys, at any depth', () => {
    expect(bad('case.info', { x: 1 }).path).toBe('x');
    expect(bad('flows.list', { sort: { column: 'start', how: 'up' } }).path).toBe('sort.how');
    expect(bad('flows.list', JSON.parse('{"__proto__": {"admin": true}}')).path).toBe('__proto__');
  });

  it('rejects wrong types and out-of-range numbers with the field path', () => {
    expect(bad('flows.list', { limit: '10' }).message).toMatch(/limit must be a whole number, not string/);
    expect(bad('flows.list', { limit: 0 }).path).toBe('limit');
    expect(bad('flows.list', { limit: 5001 }).path).toBe('limit');
    expect(bad('flows.list', { offset: -1 }).path).toBe('offset');
    expect(bad('flows.list', { offset: 1.5 }).path).toBe('offset');
    expect(bad('flows.list', { fromUs: Number.NaN }).path).toBe('fromUs');
    expect(bad('flows.list', { fromUs: Infinity }).path).toBe('fromUs');
    expect(bad('flows.list', { sort: { column: 'f.id; DROP TABLE flows' } }).path).toBe('sort.column');
    expect(bad('ports.heatmap', { dstIp: '10.0.0.1', dstPort: 70000 }).path).toBe('dstPort');
    expect(bad('ports.heatmap', { dstIp: '10.0.0.1' }).message).toMatch(/dstPort is required/);
    expect(bad('rst.list', { senderIp: "1.2.3.4' OR 1=1" }).path).toBe('senderIp');
    expect(bad('ingest.status', { jobId: '../../etc' }).path).toBe('jobId');
    expect(bad('diagnostics.list', { sourceId: true }).path).toBe('sourceId');
  });

  it('rejects non-objects and odd objects', () => {
    for (const req of [null, 1, 'x', [], new Date(0), Object.create({ a: 1 })]) bad('case.info', req);
  });

  it('bounds strings and arrays', () => {
    expect(bad('flows.list', { filter: 'x'.repeat(4001) }).message).toMatch(/longer than 4000/);
    expect(bad('ingest.start', { paths: [] }).message).toMatch(/at least 1 item/);
    expect(bad('ingest.start', { paths: ['a\u0000b'] }).message).toMatch(/NUL/);
    expect(bad('ingest.start', { paths: [1] }).path).toBe('paths[0]');
    expect(bad('ingest.start', { paths: new Array(10_001).fill('a') }).message).toMatch(/more than 10000/);
  });

  it('checks cross-field rules', () => {
    expect(bad('flows.list', { fromUs: 10, toUs: 5 }).message).toMatch(/fromUs is after toUs/);
    expect(bad('compare.run', {}).message).toMatch(/against/);
    expect(bad('compare.run', { windows: { before: { fromUs: 9, toUs: 1 }, after: {} } }).path).toBe('windows.before.fromUs');
  });
});
