import { useCallback, useEffect, useRef, useState } from 'react';
import type { IngestJob } from '../../core/api/contract';
import { ApiCallError, type UploadProgress } from '../api/client';
import { useApp } from '../app/context';
import { fmtBytes, fmtNum } from '../app/format';

/** Job status poll: with the worker reporting every 200 ms, the line changes about 4 times a second. */
const POLL_MS = 150;

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; upload: UploadProgress }
  | { kind: 'ingesting'; job: IngestJob }
  | { kind: 'finished'; job: IngestJob }
  | { kind: 'error'; message: string };

/** Files from a drop; in the browser folders are walked (their relative paths name nodes). */
async function droppedFiles(dt: DataTransfer, electron: boolean): Promise<File[]> {
  if (electron) return [...dt.files];
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files];
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (out.length > 100_000) return;
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push(prefix ? new File([file], `${prefix}${file.name}`, { type: file.type, lastModified: file.lastModified }) : file);
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

/** Adding files to the case: pick or drop anywhere, watch progress, cancel. */
export function IngestPanel({ compact }: { compact?: boolean }) {
  const { host, reload } = useApp();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const rate = useRef<{ t: number; records: number; path: string; perSec: number } | null>(null);

  const watch = useCallback(async (jobId: string) => {
    for (;;) {
      let job: IngestJob;
      try {
        job = await host.call('ingest.status', { jobId });
      } catch (e) {
        setPhase({ kind: 'error', message: (e as Error).message });
        return;
      }
      const p = job.progress;
      if (p) {
        const now = performance.now();
        const r = rate.current;
        if (!r || r.path !== p.path || p.records < r.records) rate.current = { t: now, records: p.records, path: p.path, perSec: 0 };
        else if (now - r.t > 400) rate.current = { t: now, records: p.records, path: p.path, perSec: ((p.records - r.records) * 1000) / (now - r.t) };
      }
      if (job.state !== 'running') {
        setPhase({ kind: 'finished', job });
        reload();
        return;
      }
      setPhase({ kind: 'ingesting', job });
      await new Promise((ok) => setTimeout(ok, POLL_MS));
    }
  }, [host, reload]);

  const start = useCallback(async (files: File[]) => {
    if (files.length === 0) return;
    const ac = new AbortController();
    abort.current = ac;
    rate.current = null;
    try {
      setPhase({ kind: 'uploading', upload: { file: files[0].name, fileIndex: 0, files: files.length, sent: 0, total: files[0].size } });
      const { jobId } = await host.ingestFiles(files, (upload) => setPhase({ kind: 'uploading', upload }), ac.signal);
      await watch(jobId);
    } catch (e) {
      if ((e as Error).name === 'AbortError') setPhase({ kind: 'error', message: 'Upload cancelled.' });
      else setPhase({ kind: 'error', message: e instanceof ApiCallError ? e.message : `Could not add the files: ${(e as Error).message}` });
    }
  }, [host, watch]);

  // Drops anywhere on the window.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => { if (e.relatedTarget === null) setDragging(false); };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      setDragging(false);
      void droppedFiles(e.dataTransfer, host.kind === 'electron').then(start);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [host, start]);

  // Jobs the native menu started (Electron: Open files/folder/bundle…).
  useEffect(() => host.onMenu((cmd) => { if (cmd.kind === 'ingest-started') void watch(cmd.jobId); }), [host, watch]);

  const cancel = async () => {
    abort.current?.abort();
    if (phase.kind === 'ingesting') await host.call('ingest.cancel', { jobId: phase.job.id }).catch(() => undefined);
  };

  const busy = phase.kind === 'uploading' || phase.kind === 'ingesting';
  return (
    <section className={`ingest ${compact ? 'compact' : ''}`} aria-label="Add files to the case">
      {dragging && <div className="drop-overlay" aria-hidden="true">Drop captures, node-tool dumps, folders or bundles (.tar.gz, .zip) to add them</div>}
      <div className="ingest-controls">
        <label className="file-button">
          <span>Add files…</span>
          <input type="file" multiple disabled={busy} aria-label="Add capture files, node-tool dumps or bundles"
            data-testid="ingest-input" onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; void start(f); }} />
        </label>
        {host.kind === 'browser' && (
          <label className="file-button">
            <span>Add a folder…</span>
            <input type="file" multiple disabled={busy} aria-label="Add a folder of captures and dumps"
              {...{ webkitdirectory: '' }} onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; void start(f); }} />
          </label>
        )}
        {busy && <button type="button" onClick={() => void cancel()}>Cancel</button>}
      </div>
      <IngestStatus phase={phase} perSec={rate.current?.perSec ?? 0} />
    </section>
  );
}

function IngestStatus({ phase, perSec }: { phase: Phase; perSec: number }) {
  if (phase.kind === 'idle') return null;
  if (phase.kind === 'error') return <p className="error" role="alert">{phase.message}</p>;
  if (phase.kind === 'uploading') {
    const u = phase.upload;
    return (
      <div className="progress" role="status" aria-live="polite" data-testid="ingest-progress">
        <span>Uploading {u.fileIndex + 1}/{u.files}: <span className="path">{u.file}</span> {fmtBytes(u.sent)} / {fmtBytes(u.total)}</span>
        <progress max={u.total || 1} value={u.sent} aria-label="Upload progress" />
      </div>
    );
  }
  const job = phase.job;
  const p = job.progress;
  if (phase.kind === 'ingesting') {
    return (
      <div className="progress" role="status" aria-live="polite" data-testid="ingest-progress">
        {p ? (
          <>
            <span>
              {p.phase} · file {Math.min(p.filesDone + 1, p.filesTotal)}/{p.filesTotal} <span className="path">{p.path}</span> · {fmtBytes(p.bytesRead)} / {fmtBytes(p.bytesTotal)} ·{' '}
              {fmtNum(p.records)} records · {fmtNum(Math.round(perSec))}/s
            </span>
            <progress max={p.bytesTotal || 1} value={p.bytesRead} aria-label="Ingest progress of the current file" />
          </>
        ) : <span>Waiting to start…</span>}
      </div>
    );
  }
  const bad = job.results.filter((r) => r.status === 'failed' || r.status === 'partial' || r.status === 'unknown');
  const ok = job.results.filter((r) => r.status === 'ingested').length;
  const dup = job.results.filter((r) => r.status === 'duplicate').length;
  return (
    <div className={`ingest-result ${job.state}`} role="status" data-testid="ingest-result" data-state={job.state}>
      <p>
        {job.state === 'done' && <>Added {ok} source{ok === 1 ? '' : 's'}{dup ? `, ${dup} already in the case` : ''}{bad.length ? `, ${bad.length} not read` : ''}.</>}
        {job.state === 'cancelled' && <>Cancelled; the case keeps what was complete.</>}
        {job.state === 'failed' && <>Ingest failed: {job.error}</>}
      </p>
      {bad.length > 0 && (
        <ul className="ingest-problems">
          {bad.slice(0, 20).map((r) => (
            <li key={r.path}><span className="path">{r.path}</span>: {r.reason ?? r.status}</li>
          ))}
          {bad.length > 20 && <li>… and {bad.length - 20} more (see Sources → diagnostics)</li>}
        </ul>
      )}
    </div>
  );
}
