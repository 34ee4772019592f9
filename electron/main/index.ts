/**
 * Electron main: one window on the renderer, the File/View menus, the api over IPC (validated in
 * ipc.ts), ingest in utility processes, and the hardening of navigation.ts and web-preferences.ts.
 * Thin on purpose: everything that can be pure lives in the modules beside it and is unit-tested.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MenuCommand } from '../../core/api/bridge.js';
import type { ApiChannel } from '../../core/api/contract.js';
import { RENDERER_CSP } from '../../core/host/csp.js';
import { defaultCasePath } from './case-location.js';
import { CaseSession } from './case-session.js';
import { registerApiIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { useElectronSqliteBuild } from './native-binding.js';
import { guardContents, guardSession } from './navigation.js';
import { RecentCases } from './recent.js';
import { utilityProcessRunner } from './utility-runner.js';
import { secureWebPreferences } from './web-preferences.js';

const here = dirname(fileURLToPath(import.meta.url));
// out/main → the app root, where `npm start` put better-sqlite3's Electron build.
useElectronSqliteBuild(resolve(here, '../..'), app.isPackaged);
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appUrl = devUrl ?? pathToFileURL(join(here, '../renderer/index.html')).href;

let win: BrowserWindow | null = null;
const recent = new RecentCases(join(app.getPath('userData'), 'recent-cases.json'));
const caseSession = new CaseSession(utilityProcessRunner(join(here, 'ingest-worker.js')), () => send({ kind: 'case-opened', path: caseSession.path ?? '' }));

function send(cmd: MenuCommand): void {
  win?.webContents.send('menu', cmd);
}

function openCaseFile(path: string): void {
  try {
    caseSession.open(path);
  } catch (e) {
    dialog.showErrorBox('Could not open the case', `${path}\n\n${(e as Error).message}`);
    return;
  }
  recent.add(path);
  app.addRecentDocument(path);
  buildMenu();
  win?.setTitle(`podcap — ${path}`);
  send({ kind: 'case-opened', path });
}

/** Ingest inputs into the open case, or into a new case saved where the user chooses. */
async function ingest(paths: string[]): Promise<{ jobId: string } | null> {
  if (paths.length === 0) return null;
  if (!caseSession.path) {
    const r = await dialog.showSaveDialog(win!, {
      title: 'Save the new case as',
      defaultPath: defaultCasePath(paths[0]),
      filters: [{ name: 'podcap case', extensions: ['db'] }],
    });
    if (r.canceled || !r.filePath) return null;
    openCaseFile(r.filePath);
    if (!caseSession.path) return null;
  }
  return caseSession.startIngest(paths);
}

async function pickAndIngest(props: ('openFile' | 'openDirectory' | 'multiSelections')[], filters?: Electron.FileFilter[]): Promise<void> {
  const r = await dialog.showOpenDialog(win!, { properties: props, filters });
  if (r.canceled) return;
  const job = await ingest(r.filePaths);
  if (job) send({ kind: 'ingest-started', jobId: job.jobId });
}

function buildMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    openFiles: () => void pickAndIngest(['openFile', 'multiSelections'], [{ name: 'Captures and dumps', extensions: ['pcap', 'pcapng', 'cap', 'gz', 'txt', 'log', 'json', '*'] }]),
    openFolder: () => void pickAndIngest(['openDirectory']),
    openBundle: () => void pickAndIngest(['openFile'], [{ name: 'Bundles', extensions: ['tar', 'gz', 'tgz', 'zip'] }]),
    openCase: async () => {
      const r = await dialog.showOpenDialog(win!, { properties: ['openFile'], filters: [{ name: 'podcap case', extensions: ['db'] }] });
      if (!r.canceled && r.filePaths[0]) openCaseFile(r.filePaths[0]);
    },
    openRecent: (p) => openCaseFile(p),
    clearRecent: () => { recent.clear(); app.clearRecentDocuments(); buildMenu(); },
    compareWith: async () => {
      const r = await dialog.showOpenDialog(win!, { title: 'Compare with another case', properties: ['openFile'], filters: [{ name: 'podcap case', extensions: ['db'] }] });
      if (!r.canceled && r.filePaths[0]) send({ kind: 'compare', against: r.filePaths[0] });
    },
    export: (format) => send({ kind: 'export', format }),
    showView: (view) => send({ kind: 'view', view }),
  }, recent.list(), { mac: process.platform === 'darwin', devTools: !app.isPackaged })));
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'podcap',
    show: false,
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs')),
  });
  guardContents(win.webContents, appUrl, (what, url) => {
    // Links the user clicks (docs) open in the real browser; nothing else leaves the app.
    if ((what === 'window.open' || what === 'navigation') && /^https:\/\//.test(url)) void shell.openExternal(url);
  });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => { win = null; });
  void (devUrl ? win.loadURL(devUrl) : win.loadFile(join(here, '../renderer/index.html')));
}

// Drops onto the window reach main as `ingest.start` with real paths (the preload's webUtils).
async function dispatch(channel: ApiChannel, req: unknown): Promise<unknown> {
  if (channel === 'ingest.start' && !caseSession.path) {
    const job = await ingest((req as { paths: string[] }).paths);
    if (!job) throw new Error('no case was chosen to save the files into');
    return job;
  }
  return caseSession.dispatch(channel, req);
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => {
  guardContents(contents, appUrl);
});

void app.whenReady().then(() => {
  guardSession(session.defaultSession);
  // The CSP rides on every response too (dev server), not only in index.html's meta tag.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  registerApiIpc(ipcMain, () => appUrl, dispatch);
  buildMenu();
  createWindow();
  // `podcap-app FILE.case.db` or the last case opens straight away.
  const arg = process.argv.slice(1).find((a) => a.endsWith('.db') && existsSync(a));
  const start = arg ? resolve(arg) : recent.list().find((p) => existsSync(p));
  if (start) win?.webContents.once('did-finish-load', () => openCaseFile(start));
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) createWindow(); });
});

app.on('window-all-closed', () => {
  caseSession.close();
  if (process.platform !== 'darwin') app.quit();
});
