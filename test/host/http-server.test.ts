import { mkdtemp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestJob } from '../../core/api/contract.js';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { startServer, type RunningServer } from '../../core/host/http-server.js';
import { RENDERER_CSP } from '../../core/host/csp.js';
import { sanitizeUploadName, uploadsRoot } from '../../core/host/uploads.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { api, http } from './http-helpers.js';

const SAMPLES = 'fixtures/samples/captures/tcpdump';
const PPTP = join(SAMPLES, 'pptp.pcap');
const MPTCP = join(SAMPLES, 'mptcp-v1.pcap');

let dir: string;
let casePath: string;
let srv: RunningServer;
let port: number;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podcap-serve-'));
  casePath = join(dir, 'case.db');
  const db = openCase(casePath);
  await ingestPaths(db, [PPTP]);
  db.close();
  const ui = join(dir, 'ui');
  await mkdir(join(ui, 'assets'), { recursive: true });
  await writeFile(join(ui, 'index.html'), '<!doctype html><title>podcap</title><div id="root"></div>');
  await writeFile(join(ui, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'not for you');
  srv = await startServer({ casePath, uiDir: ui, maxUploadBytes: 64 * 1024 });
  ({ port, token } = srv);
});
afterAll(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

describe('podcap serve: who may talk to it', () => {
  it('binds 127.0.0.1 and prints a URL with the token', () => {
    expect(srv.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await http(port, { path: '/' })).status).toBe(401);
    expect((await api(port, 'x'.repeat(token.length), 'case.info', {})).status).toBe(401);
    expect((await api(port, token.slice(1), 'case.info', {})).status).toBe(401);
    expect((await http(port, { path: '/?token=wrong' })).status).toBe(401);
    expect((await http(port, { path: '/assets/app.js' })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly SameSite cookie and strips it from the URL', async () => {
    const r = await http(port, { path: `/?token=${token}` });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`podcap_token=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await http(port, { path: '/', headers: { Cookie: `podcap_token=${token}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses foreign Host headers (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.2:${port}`, `[::1]:${port}`]) {
      const r = await http(port, { path: `/?token=${token}`, headers: { Host: host } });
      expect(r.status, host).toBe(421);
    }
    expect((await api(port, token, 'case.info', {}, { Host: `localhost:${port}` })).status).toBe(200);
    expect((await api(port, token, 'case.info', {}, { Host: `LOCALHOST:${port}` })).status).toBe(200);
  });

  it('refuses cross-origin posts and non-JSON api calls', async () => {
    expect((await api(port, token, 'case.info', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await api(port, token, 'case.info', {}, { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    const form = await http(port, { method: 'POST', path: '/api/case.info', headers: { 'X-Podcap-Token': token, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('never serves files outside the UI folder', async () => {
    const auth = { Cookie: `podcap_token=${token}` };
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%5c..%5csecret.txt', '/%00index.html', '/assets/%E0%A4%A.js']) {
      const r = await http(port, { path, headers: auth });
      expect([400, 404], path).toContain(r.status);
      expect(r.body).not.toContain('not for you');
    }
    expect((await http(port, { path: '/assets/app.js', headers: auth })).status).toBe(200);
    expect((await http(port, { path: '/assets/missing.js', headers: auth })).status).toBe(404);
  });
});

describe('podcap serve: the api', () => {
  it('answers query channels with the same rows as the core query', async () => {
    const info = JSON.parse((await api(port, token, 'case.info', {})).body);
    expect(info.sources).toBe(1);
    const r = JSON.parse((await api(port, token, 'flows.list', { limit: 1000 })).body);
    const db = openCase(casePath, { readonly: true });
    const direct = [...iterateFlows(db)];
    db.close();
    expect(r.total).toBe(direct.length);
    expect(r.rows).toEqual(direct);
  });

  it('filters flows with the display filter and reports filter errors with their column', async () => {
    const all = JSON.parse((await api(port, token, 'flows.list', { limit: 1000 })).body);
    const udp = JSON.parse((await api(port, token, 'flows.list', { filter: '!tcp', limit: 1000 })).body);
    expect(udp.total).toBe(all.rows.filter((f: { proto: string }) => f.proto !== 'tcp').length);
    const bad = await api(port, token, 'flows.list', { filter: 'ip.addr == 1.2.3' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'FILTER', column: 12 });
  });

  it('rejects invalid requests before any handler runs', async () => {
    const r = await api(port, token, 'flows.list', { limit: 'all' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/limit must be a whole number/);
    expect((await api(port, token, 'flows.list', { sql: 'DROP TABLE flows' })).status).toBe(400);
    expect((await api(port, token, 'no.such', {})).status).toBe(400);
    expect((await http(port, { method: 'POST', path: '/api/case.info', headers: { 'X-Podcap-Token': token, 'Content-Type': 'application/json' }, body: '{nope' })).status).toBe(400);
  });

  it('says which channels are not implemented yet', async () => {
    const r = await api(port, token, 'findings.list', {});
    if (r.status === 200) return; // the lead implemented it: nothing to check here any more
    expect(r.status).toBe(501);
    expect(JSON.parse(r.body).error.code).toBe('NOT_IMPLEMENTED');
  });

  it('refuses to ingest server paths that were not uploaded', async () => {
    for (const p of [PPTP, join(dir, 'secret.txt'), `${uploadsRoot(casePath)}/../../secret.txt`]) {
      const r = await api(port, token, 'ingest.start', { paths: [p] });
      expect(r.status, p).toBe(403);
    }
  });
});

async function upload(name: string, body: Buffer | Buffer[], batch?: string) {
  const q = new URLSearchParams({ name, ...(batch ? { batch } : {}) });
  const base = { method: 'POST', path: `/upload?${q}`, headers: { 'X-Podcap-Token': token, 'Content-Type': 'application/octet-stream' } };
  return Array.isArray(body) ? http(port, { ...base, chunks: body }) : http(port, { ...base, body });
}

async function waitJob(jobId: string): Promise<IngestJob> {
  for (let i = 0; i < 200; i++) {
    const job = JSON.parse((await api(port, token, 'ingest.status', { jobId })).body) as IngestJob;
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('ingest job did not finish');
}

describe('podcap serve: uploads and ingest jobs', () => {
  it('sanitizes names', () => {
    expect(sanitizeUploadName('../../etc/passwd')).toBe('etc/passwd');
    expect(sanitizeUploadName('/abs/x.pcap')).toBe('abs/x.pcap');
    expect(sanitizeUploadName('..\\..\\win.ini')).toBe('win.ini');
    expect(sanitizeUploadName('node-1/tcpdump/eth0.pcap')).toBe('node-1/tcpdump/eth0.pcap');
    expect(sanitizeUploadName('.hidden')).toBe('hidden');
    expect(sanitizeUploadName('a\u0000b\nc.pcap')).toBe('abc.pcap');
    expect(sanitizeUploadName('C:\\Users\\x.pcap')).toBe('C_/Users/x.pcap');
    expect(sanitizeUploadName('nul.txt')).toBe('_nul.txt');
    for (const n of ['..', '.', '/', '', '../..', ' . ']) expect(sanitizeUploadName(n)).toBeNull();
    expect(sanitizeUploadName('x'.repeat(500))!.length).toBe(120);
    expect(sanitizeUploadName('a/'.repeat(20) + 'f')!.split('/').length).toBe(8);
  });

  it('keeps traversal names inside the batch folder', async () => {
    const r = await upload('../../../escape.pcap', Buffer.from('abc'));
    expect(r.status).toBe(200);
    const { dir: batchDir, path } = JSON.parse(r.body);
    expect(path).toBe(join(batchDir, 'escape.pcap'));
    expect(batchDir.startsWith(uploadsRoot(casePath) + '/')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('abc');
    expect((await upload('..', Buffer.from('x'))).status).toBe(400);
    expect((await upload('x.pcap', Buffer.from('x'), '../../etc')).status).toBe(400);
  });

  it('does not write through a symlink planted in a batch folder', async () => {
    const first = JSON.parse((await upload('a.pcap', Buffer.from('a'))).body);
    await symlink(dir, join(first.dir, 'link'));
    const r = await upload('link/planted.txt', Buffer.from('x'), first.batch);
    expect(r.status).toBe(400);
    await expect(stat(join(dir, 'planted.txt'))).rejects.toThrow();
  });

  it('refuses oversize uploads, declared or streamed, and leaves no partial file', async () => {
    const big = Buffer.alloc(65 * 1024, 1);
    const declared = await upload('big.pcap', big);
    expect(declared.status).toBe(413);
    const streamed = await upload('big-stream.pcap', Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 2)));
    expect(streamed.status).toBe(413);
    const batches = await readdir(uploadsRoot(casePath), { recursive: true });
    expect(batches.some((f) => String(f).includes('big'))).toBe(false);
  });

  it('refuses a second file of the same name in a batch', async () => {
    const first = JSON.parse((await upload('same.pcap', Buffer.from('1'))).body);
    expect((await upload('same.pcap', Buffer.from('2'), first.batch)).status).toBe(409);
  });

  it('ingests an uploaded capture off the request path, with progress, and the case grows', async () => {
    const bytes = await readFile(MPTCP);
    const up = JSON.parse((await upload('mptcp-v1.pcap', bytes)).body);
    const before = JSON.parse((await api(port, token, 'case.info', {})).body);
    const start = await api(port, token, 'ingest.start', { paths: [up.dir] });
    expect(start.status).toBe(200);
    const job = await waitJob(JSON.parse(start.body).jobId);
    expect(job.state).toBe('done');
    expect(job.results.map((r) => [r.status, r.kind])).toEqual([['ingested', 'pcap']]);
    expect(job.progress).not.toBeNull();
    const after = JSON.parse((await api(port, token, 'case.info', {})).body);
    expect(after.sources).toBe(before.sources + 1);
    expect(after.flows).toBeGreaterThan(before.flows);
    const sources = JSON.parse((await api(port, token, 'sources.list', {})).body) as { path: string }[];
    expect(sources.some((s) => s.path.endsWith('mptcp-v1.pcap'))).toBe(true);
  });

  it('reports unknown jobs and cancelling finished ones', async () => {
    expect((await api(port, token, 'ingest.status', { jobId: 'nope' })).status).toBe(404);
    expect(JSON.parse((await api(port, token, 'ingest.cancel', { jobId: 'nope' })).body)).toEqual({ ok: false });
  });
});
