/**
 * What Electron's preload exposes as `window.api` (types only, shared by electron/preload and the
 * renderer's api client). Results cross the IPC boundary as envelopes because Electron keeps only
 * an Error's message, and the UI needs the code (NOT_IMPLEMENTED) and a filter error's column.
 */
import type { ApiChannel, ApiRequest, ApiResponse } from './contract.js';
import type { ApiError } from './api-error.js';

export type { ApiError };
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Commands the native menu sends to the renderer. */
export type MenuCommand =
  | { kind: 'view'; view: string }
  | { kind: 'export'; format: 'csv' | 'json' | 'svg' | 'png' }
  | { kind: 'compare'; against: string }
  | { kind: 'case-opened'; path: string }
  | { kind: 'ingest-started'; jobId: string };

export interface PodcapBridge {
  /** Only the contract's channels; anything else is refused in the preload and again in main. */
  call<C extends ApiChannel>(channel: C, req: ApiRequest<C>): Promise<IpcEnvelope<ApiResponse<C>>>;
  /** The file-system path of a dropped or picked File (Electron's webUtils). */
  pathForFile(file: unknown): string;
  onMenu(listener: (cmd: MenuCommand) => void): () => void;
}
