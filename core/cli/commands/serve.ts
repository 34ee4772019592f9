/**
 * `podcap serve --case FILE [--port N] [--open] [--ui DIR]`: the UI in a browser. Ingest jobs run
 * in worker threads of the launcher (bin/podcap.js → the bundled CLI's main): a thread started
 * with ingest worker data runs the job instead of the command.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../../host/http-server.js';
import { runIngestWorkerIfAsked, workerThreadRunner } from '../../host/ingest-jobs.js';

export const SERVE_USAGE = '  serve --case FILE            the UI in a browser on 127.0.0.1 (--port N, --open); prints its URL';

/** The built renderer, beside the bundled CLI (dist/cli.js → out/renderer). */
function defaultUiDir(): string | null {
  for (const rel of ['../out/renderer', '../../../out/renderer']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/index.html`)) return dir;
  }
  return null;
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    spawn(cmd, args, { detached: true, stdio: 'ignore' }).on('error', () => {
      process.stderr.write(`podcap serve: could not start a browser; open ${url}\n`);
    }).unref();
  } catch {
    process.stderr.write(`podcap serve: could not start a browser; open ${url}\n`);
  }
}

export async function cmdServe(args: string[]): Promise<number> {
  if (await runIngestWorkerIfAsked()) return 0;
  const { values } = parseArgs({ args, options: { case: { type: 'string' }, port: { type: 'string' }, open: { type: 'boolean' }, ui: { type: 'string' }, 'max-upload-mb': { type: 'string' } } });
  if (!values.case) throw new Error('--case FILE is required');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes 0-65535, not "${values.port}"`);
  const maxMb = values['max-upload-mb'] === undefined ? undefined : Number(values['max-upload-mb']);
  if (maxMb !== undefined && !(maxMb > 0)) throw new Error('--max-upload-mb takes a positive number');
  const uiDir = values.ui ?? defaultUiDir();
  if (!uiDir) process.stderr.write('podcap serve: the UI is not built (npm run build:renderer); serving the api only\n');
  const server = await startServer({
    casePath: values.case,
    port,
    uiDir,
    maxUploadBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024),
    // Worker threads start the launcher (which calls main): the bundle itself runs nothing on import.
    runner: workerThreadRunner(new URL('../bin/podcap.js', import.meta.url), ['serve']),
  });
  process.stdout.write(`${server.url}\n`);
  process.stderr.write('podcap serve: listening on 127.0.0.1 only; press Ctrl+C to stop\n');
  if (values.open) openBrowser(server.url);
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
