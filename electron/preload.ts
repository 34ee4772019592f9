/**
 * The renderer's only door to the app: `window.api` with the contract's channels (refused here
 * when unknown, validated again in main), the path of a dropped File, and menu commands. Never
 * ipcRenderer itself. Bundled as CommonJS because sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { MenuCommand, PodcapBridge } from '../core/api/bridge.js';
import { API_CHANNELS } from '../core/api/contract.js';

const channels = new Set<string>(API_CHANNELS);

const api: PodcapBridge = {
  call(channel, req) {
    if (!channels.has(channel)) return Promise.resolve({ ok: false, error: { code: 'BAD_REQUEST', message: `${String(channel).slice(0, 64)}: not a known channel` } });
    return ipcRenderer.invoke(`api:${channel}`, req);
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
  },
  onMenu(listener) {
    const wrapped = (_e: unknown, cmd: MenuCommand) => listener(cmd);
    ipcRenderer.on('menu', wrapped);
    return () => { ipcRenderer.removeListener('menu', wrapped); };
  },
};

contextBridge.exposeInMainWorld('api', api);
