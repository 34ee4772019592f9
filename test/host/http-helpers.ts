import { request } from 'node:http';

export interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw HTTP request (Node's fetch forbids setting Host, which these tests must forge). */
export function http(port: number, o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] }): Promise<Reply> {
  return new Promise((ok, fail) => {
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: { Host: `127.0.0.1:${port}`, ...o.headers } }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', fail);
    });
    // A server that refuses a body may close while we still write; its answer is what counts.
    req.on('error', (e) => { if (!answered) fail(e); });
    if (o.chunks) {
      // Chunked body without Content-Length: the server must count as it streams.
      const write = (i: number) => {
        if (i >= o.chunks!.length) { req.end(); return; }
        if (req.destroyed) return;
        req.write(o.chunks![i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    } else req.end(o.body);
  });
}

export function api(port: number, token: string, channel: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return http(port, { method: 'POST', path: `/api/${channel}`, headers: { 'Content-Type': 'application/json', 'X-Podcap-Token': token, ...headers }, body: JSON.stringify(body) });
}
