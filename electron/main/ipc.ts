/**
 * IPC from the renderer: one `api:<channel>` handler per contract channel. Each call is checked
 * twice before a handler runs: it must come from the app's own top frame, and its argument must
 * pass validate.ts. Results and errors go back as envelopes (see core/api/bridge.ts).
 */
import { toApiError } from '../../core/api/api-error.js';
import type { IpcEnvelope } from '../../core/api/bridge.js';
import { API_CHANNELS, type ApiChannel } from '../../core/api/contract.js';
import { validateRequest } from '../../core/api/validate.js';
import { isAppUrl } from './navigation.js';

export const ipcChannelName = (c: ApiChannel) => `api:${c}`;

export interface IpcSender {
  /** URL of the frame that sent the message, and whether it is the window's top frame. */
  url: string;
  topFrame: boolean;
}

export type ApiDispatch = (channel: ApiChannel, req: unknown) => Promise<unknown> | unknown;

/** Checks sender and argument, runs the call, and wraps the outcome in an envelope. */
export async function handleIpcCall(appUrl: () => string, dispatch: ApiDispatch, channel: ApiChannel, sender: IpcSender, arg: unknown): Promise<IpcEnvelope<unknown>> {
  if (!sender.topFrame || !isAppUrl(sender.url, appUrl())) {
    return { ok: false, error: { code: 'FORBIDDEN', message: `${channel}: refused a call from ${sender.url.slice(0, 200)}` } };
  }
  try {
    const req = validateRequest(channel, arg);
    return { ok: true, value: await dispatch(channel, req) };
  } catch (e) {
    return { ok: false, error: toApiError(e).error };
  }
}

/** The subset of Electron's ipcMain and event this module uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string; parent: unknown } | null }, arg: unknown) => Promise<unknown>): void;
}

export function registerApiIpc(ipcMain: IpcMainLike, appUrl: () => string, dispatch: ApiDispatch): void {
  for (const channel of API_CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), (event, arg) => {
      const frame = event.senderFrame;
      return handleIpcCall(appUrl, dispatch, channel, { url: frame?.url ?? '', topFrame: !!frame && frame.parent === null }, arg);
    });
  }
}
