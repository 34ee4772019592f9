import { describe, expect, it } from 'vitest';
import { defaultCasePath } from '../../electron/main/case-location.js';
import { handleIpcCall, ipcChannelName, registerApiIpc, type IpcMainLike } from '../../electron/main/ipc.js';
import { menuTemplate, MENU_VIEWS, type MenuActions } from '../../electron/main/menu.js';
import { guardContents, guardSession, isAppUrl, type GuardableContents } from '../../electron/main/navigation.js';
import { secureWebPreferences } from '../../electron/main/web-preferences.js';
import { API_CHANNELS } from '../../core/api/contract.js';
import { NotImplementedError } from '../../core/api/api-error.js';

const APP = 'file:///opt/podcap/resources/app.asar/out/renderer/index.html';

describe('webPreferences factory', () => {
  it('keeps the renderer a sandboxed web page', () => {
    const w = secureWebPreferences('/x/preload.cjs');
    expect(w).toMatchObject({
      preload: '/x/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, navigateOnDragDrop: false,
    });
  });
});

describe('navigation guard', () => {
  it('knows the app document from everything else', () => {
    expect(isAppUrl(APP, APP)).toBe(true);
    expect(isAppUrl(`${APP}#flows`, APP)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', APP)).toBe(false);
    expect(isAppUrl('https://evil.example/', APP)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
  });

  function fakeContents() {
    const listeners = new Map<string, (e: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    const c: GuardableContents = {
      on: (ev: string, l: (e: { preventDefault(): void }, url: string) => void) => { listeners.set(ev, l); return c; },
      setWindowOpenHandler: (h) => { openHandler = h; },
    } as GuardableContents;
    const fire = (ev: string, url = '') => {
      let prevented = false;
      listeners.get(ev)!({ preventDefault: () => { prevented = true; } }, url);
      return prevented;
    };
    return { c, fire, open: (url: string) => openHandler!({ url }) };
  }

  it('blocks navigation away, redirects, webviews and window.open', () => {
    const blocked: string[] = [];
    const { c, fire, open } = fakeContents();
    guardContents(c, APP, (what, url) => blocked.push(`${what} ${url}`));
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', APP)).toBe(false);
    expect(fire('will-attach-webview')).toBe(true);
    expect(open('https://evil.example/').action).toBe('deny');
    expect(blocked).toEqual(['navigation https://evil.example/', 'navigation file:///etc/passwd', 'webview ', 'window.open https://evil.example/']);
  });

  it('grants no permission but clipboard writes', () => {
    let request: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, p: string) => boolean) | null = null;
    guardSession({ setPermissionRequestHandler: (h) => { request = h; }, setPermissionCheckHandler: (h) => { check = h; } });
    const ask = (p: string) => { let g: boolean | undefined; request!(null, p, (x) => { g = x; }); return g; };
    expect(ask('media')).toBe(false);
    expect(ask('geolocation')).toBe(false);
    expect(ask('openExternal')).toBe(false);
    expect(ask('clipboard-sanitized-write')).toBe(true);
    expect(check!(null, 'notifications')).toBe(false);
  });
});

describe('IPC validation wrapper', () => {
  const top = { url: APP, topFrame: true };
  const calls: unknown[] = [];
  const dispatch = (c: string, req: unknown) => {
    calls.push([c, req]);
    if (c === 'findings.list') throw new NotImplementedError(c);
    return { echoed: req };
  };

  it('registers exactly the contract channels', () => {
    const names: string[] = [];
    const fake: IpcMainLike = { handle: (n) => { names.push(n); } };
    registerApiIpc(fake, () => APP, dispatch);
    expect(names).toEqual(API_CHANNELS.map(ipcChannelName));
  });

  it('passes validated requests and wraps results', async () => {
    expect(await handleIpcCall(() => APP, dispatch, 'flows.list', top, { filter: 'tcp', limit: 10 })).toEqual({ ok: true, value: { echoed: { filter: 'tcp', limit: 10 } } });
  });

  it('refuses bad arguments before the handler runs', async () => {
    calls.length = 0;
    const r = await handleIpcCall(() => APP, dispatch, 'flows.list', top, { limit: -1, extra: 1 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('BAD_REQUEST');
    expect(calls).toEqual([]);
  });

  it('refuses calls from other frames or documents', async () => {
    calls.length = 0;
    const sub = await handleIpcCall(() => APP, dispatch, 'case.info', { url: APP, topFrame: false }, {});
    const other = await handleIpcCall(() => APP, dispatch, 'case.info', { url: 'https://evil.example/', topFrame: true }, {});
    expect(!sub.ok && sub.error.code).toBe('FORBIDDEN');
    expect(!other.ok && other.error.code).toBe('FORBIDDEN');
    expect(calls).toEqual([]);
  });

  it('turns handler errors into coded envelopes', async () => {
    const r = await handleIpcCall(() => APP, dispatch, 'findings.list', top, {});
    expect(!r.ok && r.error.code).toBe('NOT_IMPLEMENTED');
  });

  it('reports filter errors with their column', async () => {
    const { DisplayFilterError } = await import('../../core/filter/display-filter.js');
    const r = await handleIpcCall(() => APP, () => { throw new DisplayFilterError('bad', 7, 3); }, 'flows.list', top, { filter: 'x' });
    expect(!r.ok && r.error).toEqual({ code: 'FILTER', message: 'bad', column: 7, length: 3 });
  });
});

describe('menu', () => {
  const noop = () => {};
  const actions: MenuActions = { openFiles: noop, openFolder: noop, openBundle: noop, openCase: noop, openRecent: noop, clearRecent: noop, compareWith: noop, export: noop, showView: noop };
  const labels = (items: unknown): string[] => (items as { label?: string; submenu?: unknown }[]).flatMap((i) => [i.label ?? '', ...(Array.isArray(i.submenu) ? labels(i.submenu) : [])]).filter(Boolean);

  it('offers open, recent, compare, export and every view', () => {
    const all = labels(menuTemplate(actions, ['/cases/a.case.db'], { mac: false, devTools: false }));
    for (const l of ['Open Files…', 'Open Folder…', 'Open Bundle…', 'Open Case…', 'Recent Cases', '/cases/a.case.db', 'Clear Recent', 'Compare With…', 'Export', 'Table as CSV', 'Chart as PNG', ...MENU_VIEWS.map((v) => v.label)]) {
      expect(all).toContain(l);
    }
    expect(labels(menuTemplate(actions, [], { mac: false, devTools: false }))).toContain('No recent cases');
  });
});

describe('case location', () => {
  it('defaults beside the bundle, named after it', () => {
    expect(defaultCasePath('/incident/bundle.tar.gz')).toBe('/incident/bundle.case.db');
    expect(defaultCasePath('/incident/node-1')).toBe('/incident/node-1.case.db');
    expect(defaultCasePath('/incident/eth0.pcap')).toBe('/incident/eth0.case.db');
    expect(defaultCasePath('/incident/dump.txt')).toBe('/incident/dump.case.db');
  });
});
