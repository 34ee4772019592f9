/**
 * `podcap serve`: the UI and the api over HTTP on 127.0.0.1 only. Every request must carry the
 * random token (first in the printed URL, then a SameSite=Strict cookie or an X-Podcap-Token
 * header) and a Host of 127.0.0.1:port or localhost:port, so neither another local user's page
 * nor a DNS-rebinding site can call the api. Requests are validated by validate.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { openCase, type CaseDb } from '../db/open-case.js';
import type { ApiChannel } from '../api/contract.js';
import { SECURITY_HEADERS } from './csp.js';
import { HostError, toApiError, type ApiErrorBody } from '../api/api-error.js';
import { createQueryHandlers, type QueryChannel, type QueryHandlers } from '../api/handlers.js';
import { JobManager, type JobRunner, inProcessRunner } from './ingest-jobs.js';
import { ensureAnswers } from '../ingest/index-phase.js';
import { batchDir, isInsideUploads, receiveUpload, UploadError } from './uploads.js';
import { validateRequest } from '../api/validate.js';

export interface ServeOptions {
  casePath: string;
  /** 0 = any free port. */
  port?: number;
  /** Built renderer (index.html + assets); null serves the api only. */
  uiDir: string | null;
  runner?: JobRunner;
  /** Per uploaded file. */
  maxUploadBytes?: number;
  /** Fixed token (tests); random otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'podcap_token';
const MAX_JSON_BYTES = 1 << 20;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_JSON_BYTES) throw new HostError(413, 'BAD_REQUEST', `request body over ${MAX_JSON_BYTES} bytes`);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HostError(400, 'BAD_REQUEST', 'request body is not JSON');
  }
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const casePath = resolve(opts.casePath);
  const db: CaseDb = openCase(casePath, { mmap: true });
  ensureAnswers(db);
  const handlers: QueryHandlers = createQueryHandlers(db, casePath);
  const jobs = new JobManager(casePath, opts.runner ?? inProcessRunner);
  const maxUpload = opts.maxUploadBytes ?? 8 * 1024 ** 3;
  const uiDir = opts.uiDir ? resolve(opts.uiDir) : null;
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  async function callApi(channel: string, body: unknown): Promise<unknown> {
    const req = validateRequest(channel, body);
    const c = channel as ApiChannel;
    if (c === 'ingest.start') {
      const { paths } = req as { paths: string[] };
      // The browser can only ingest what it uploaded: server paths outside the uploads folder are refused.
      for (const p of paths) {
        if (!(await isInsideUploads(casePath, p))) throw new HostError(403, 'FORBIDDEN', `${p} is not an uploaded file of this case`);
      }
      return jobs.start(paths);
    }
    if (c === 'ingest.status') {
      const job = jobs.status((req as { jobId: string }).jobId);
      if (!job) throw new HostError(404, 'NOT_FOUND', 'no such ingest job');
      return job;
    }
    if (c === 'ingest.cancel') return { ok: jobs.cancel((req as { jobId: string }).jobId) };
    const handler = handlers[c as QueryChannel] as (r: unknown) => unknown;
    return handler(req);
  }

  async function serveStatic(res: ServerResponse, urlPath: string): Promise<void> {
    if (!uiDir) {
      send(res, 200, '<!doctype html><title>podcap</title><p>The UI is not built: run <code>npm run build:renderer</code>, then restart <code>podcap serve</code>. The api answers at POST /api/&lt;channel&gt;.</p>', 'text/html; charset=utf-8');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      send(res, 400, 'bad path', 'text/plain; charset=utf-8');
      return;
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    if (rel.includes('\u0000') || rel.split(/[\\/]/).some((s) => s === '..')) {
      send(res, 400, 'bad path', 'text/plain; charset=utf-8');
      return;
    }
    const file = resolve(uiDir, '.' + rel);
    if (!file.startsWith(uiDir + sep)) {
      send(res, 400, 'bad path', 'text/plain; charset=utf-8');
      return;
    }
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) {
      send(res, 404, 'not found', 'text/plain; charset=utf-8');
      return;
    }
    const hashed = rel.startsWith('/assets/');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(st.size),
      'Cache-Control': hashed ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().has(host)) {
      send(res, 421, 'podcap serve answers only to 127.0.0.1 and localhost\n', 'text/plain; charset=utf-8');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const presented = req.headers['x-podcap-token'] ?? cookieToken(req);
    const authed = typeof presented === 'string' && sameSecret(presented, token);

    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
        send(res, 401, 'wrong token: open the URL that podcap serve printed\n', 'text/plain; charset=utf-8');
        return;
      }
      // Trade the URL token for a cookie and drop it from the address bar (and from history).
      res.writeHead(303, { ...SECURITY_HEADERS, Location: '/', 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, 'Cache-Control': 'no-store', 'Content-Length': '0' });
      res.end();
      return;
    }
    if (!authed) {
      send(res, 401, 'missing or wrong token: open the URL that podcap serve printed\n', 'text/plain; charset=utf-8');
      return;
    }
    if (req.method === 'POST') {
      // A page from elsewhere cannot send the cookie (SameSite) nor read the token; still refuse it outright.
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${host}`) {
        send(res, 403, 'cross-origin request refused\n', 'text/plain; charset=utf-8');
        return;
      }
    }

    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      try {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          throw new HostError(415, 'BAD_REQUEST', 'api calls are JSON (Content-Type: application/json)');
        }
        const channel = url.pathname.slice('/api/'.length);
        const body = await readJson(req);
        sendJson(res, 200, await callApi(channel, body));
      } catch (e) {
        const { status, error } = toApiError(e);
        sendJson(res, status, { error } satisfies ApiErrorBody);
      }
      return;
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      try {
        const name = url.searchParams.get('name');
        if (!name) throw new UploadError(400, 'upload needs ?name=');
        const { batch, dir } = await batchDir(casePath, url.searchParams.get('batch'));
        const saved = await receiveUpload(req, dir, name, maxUpload);
        sendJson(res, 200, { batch, dir, path: saved.path, bytes: saved.bytes });
      } catch (e) {
        const status = e instanceof UploadError ? e.status : 500;
        res.setHeader('Connection', 'close');
        const answer = () => {
          if (!res.headersSent) sendJson(res, status, { error: { code: status === 500 ? 'INTERNAL' : 'BAD_REQUEST', message: (e as Error).message } });
        };
        if (req.complete) answer();
        else {
          // Answering while the client still sends would break its pipe before it reads the
          // answer: discard the rest of the body first, for at most two seconds.
          const cut = setTimeout(answer, 2000);
          cut.unref();
          req.once('end', () => { clearTimeout(cut); answer(); });
          req.resume();
        }
      }
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      await serveStatic(res, url.pathname);
      return;
    }
    send(res, 405, 'method not allowed\n', 'text/plain; charset=utf-8', { Allow: 'GET, POST' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendJson(res, 500, { error: toApiError(e).error } satisfies ApiErrorBody);
      else res.destroy();
    });
  });
  server.requestTimeout = 0; // uploads of large captures take long
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => {
        db.close();
        ok();
      });
    }),
  };
}
