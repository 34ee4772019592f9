/**
 * The one api client: IPC through Electron's preload (`window.api`) or HTTP against `podcap serve`.
 * Views call `api.call(channel, req)` and never know which.
 */
import type { ApiError, MenuCommand, PodcapBridge } from '../../core/api/bridge';
import type { ApiChannel, ApiRequest, ApiResponse } from '../../core/api/contract';

export class ApiCallError extends Error {
  constructor(readonly channel: string, readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
  get notImplemented(): boolean {
    return this.error.code === 'NOT_IMPLEMENTED';
  }
}

export interface UploadProgress {
  file: string;
  fileIndex: number;
  files: number;
  sent: number;
  total: number;
}

export interface Host {
  kind: 'electron' | 'browser';
  call<C extends ApiChannel>(channel: C, req: ApiRequest<C>): Promise<ApiResponse<C>>;
  /** Starts ingesting picked/dropped files: Electron passes their paths, the browser uploads them first. */
  ingestFiles(files: File[], onUpload: (p: UploadProgress) => void, signal: AbortSignal): Promise<{ jobId: string }>;
  onMenu(listener: (cmd: MenuCommand) => void): () => void;
}

declare global {
  interface Window {
    api?: PodcapBridge;
  }
}

function electronHost(bridge: PodcapBridge): Host {
  const call = async <C extends ApiChannel>(channel: C, req: ApiRequest<C>): Promise<ApiResponse<C>> => {
    const env = await bridge.call(channel, req);
    if (!env.ok) throw new ApiCallError(channel, env.error);
    return env.value;
  };
  return {
    kind: 'electron',
    call,
    ingestFiles: async (files) => call('ingest.start', { paths: files.map((f) => bridge.pathForFile(f)) }),
    onMenu: (l) => bridge.onMenu(l),
  };
}

/** The folder-relative name a folder pick keeps (node-1/tcpdump/eth0.pcap), else the file name. */
function uploadName(f: File): string {
  const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
  return rel && rel.length > 0 ? rel : f.name;
}

function uploadOne(file: File, batch: string | null, onProgress: (sent: number) => void, signal: AbortSignal): Promise<{ batch: string; dir: string }> {
  return new Promise((ok, fail) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams({ name: uploadName(file) });
    if (batch) q.set('batch', batch);
    xhr.open('POST', `./upload?${q}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let body: { batch?: string; dir?: string; error?: ApiError } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch { /* reported below */ }
      if (xhr.status === 200 && body.batch && body.dir) ok({ batch: body.batch, dir: body.dir });
      else fail(new ApiCallError('upload', body.error ?? { code: 'INTERNAL', message: `${file.name}: upload failed (HTTP ${xhr.status})` }));
    };
    xhr.onerror = () => fail(new ApiCallError('upload', { code: 'INTERNAL', message: `${file.name}: upload failed (connection lost)` }));
    xhr.onabort = () => fail(new DOMException('upload cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function browserHost(): Host {
  const call = async <C extends ApiChannel>(channel: C, req: ApiRequest<C>): Promise<ApiResponse<C>> => {
    const res = await fetch(`./api/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(req ?? {}), credentials: 'same-origin' });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiCallError(channel, { code: 'INTERNAL', message: res.status === 401 ? 'not signed in: open the URL that `podcap serve` printed' : `HTTP ${res.status}: ${text.slice(0, 200)}` });
    }
    if (!res.ok) throw new ApiCallError(channel, (body as { error: ApiError }).error ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
    return body as ApiResponse<C>;
  };
  return {
    kind: 'browser',
    call,
    async ingestFiles(files, onUpload, signal) {
      let batch: string | null = null;
      let dir = '';
      for (let i = 0; i < files.length; i++) {
        const f = files[i];
        onUpload({ file: uploadName(f), fileIndex: i, files: files.length, sent: 0, total: f.size });
        const r = await uploadOne(f, batch, (sent) => onUpload({ file: uploadName(f), fileIndex: i, files: files.length, sent, total: f.size }), signal);
        batch = r.batch;
        dir = r.dir;
      }
      return call('ingest.start', { paths: [dir] });
    },
    onMenu: () => () => {},
  };
}

export function createHost(): Host {
  return window.api ? electronHost(window.api) : browserHost();
}
