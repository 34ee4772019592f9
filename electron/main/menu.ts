import { VIEWS } from '../../core/api/views.js';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openFiles(): void;
  openFolder(): void;
  openBundle(): void;
  openCase(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  compareWith(): void;
  export(format: 'csv' | 'json' | 'svg' | 'png'): void;
  showView(view: string): void;
}

/** The View menu lists the renderer's views in tab order. */
export const MENU_VIEWS = VIEWS;

/** The application menu as a template (pure, so tests can check what it offers). */
export function menuTemplate(a: MenuActions, recent: readonly string[], o: { mac: boolean; devTools: boolean }): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Files…', accelerator: 'CmdOrCtrl+O', click: () => a.openFiles() },
      { label: 'Open Folder…', click: () => a.openFolder() },
      { label: 'Open Bundle…', click: () => a.openBundle() },
      { type: 'separator' },
      { label: 'Open Case…', accelerator: 'CmdOrCtrl+Shift+O', click: () => a.openCase() },
      {
        label: 'Recent Cases',
        submenu: recent.length === 0
          ? [{ label: 'No recent cases', enabled: false }]
          : [...recent.map((p) => ({ label: p, click: () => a.openRecent(p) })), { type: 'separator' as const }, { label: 'Clear Recent', click: () => a.clearRecent() }],
      },
      { type: 'separator' },
      { label: 'Compare With…', click: () => a.compareWith() },
      {
        label: 'Export',
        submenu: [
          { label: 'Table as CSV', accelerator: 'CmdOrCtrl+E', click: () => a.export('csv') },
          { label: 'Table as JSON', click: () => a.export('json') },
          { label: 'Chart as SVG', click: () => a.export('svg') },
          { label: 'Chart as PNG', click: () => a.export('png') },
        ],
      },
      { type: 'separator' },
      o.mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...MENU_VIEWS.map((v, i) => ({ label: v.label, accelerator: `CmdOrCtrl+${i + 1}`, click: () => a.showView(v.id) })),
      { type: 'separator' },
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
      ...(o.devTools ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
    ],
  };
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  return [...(o.mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []), file, edit, view, { role: 'windowMenu' }];
}
