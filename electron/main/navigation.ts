/**
 * The window may show only the app itself: navigation elsewhere, new windows, webviews and
 * permission requests are refused. Pure decisions + a small installer over a WebContents-like
 * object, so the rules are unit-tested without Electron.
 */

/** Same document as the app (file:// page or dev server origin), ignoring the hash. */
export function isAppUrl(url: string, appUrl: string): boolean {
  let u: URL;
  let a: URL;
  try {
    u = new URL(url);
    a = new URL(appUrl);
  } catch {
    return false;
  }
  if (u.protocol !== a.protocol) return false;
  if (a.protocol === 'file:') return u.pathname === a.pathname;
  return u.origin === a.origin;
}

export interface GuardableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (e: { preventDefault(): void; url?: string }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardableSession {
  setPermissionRequestHandler(handler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((wc: unknown, permission: string) => boolean) | null): void;
}

/** Permissions the UI needs: writing the copied display filter to the clipboard. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function guardContents(contents: GuardableContents, appUrl: string, onBlocked: (what: string, url: string) => void = () => {}): void {
  const nav = (e: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url, appUrl)) {
      e.preventDefault();
      onBlocked('navigation', url);
    }
  };
  contents.on('will-navigate', nav);
  contents.on('will-redirect', nav);
  contents.on('will-attach-webview', (e) => {
    e.preventDefault();
    onBlocked('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked('window.open', url);
    return { action: 'deny' };
  });
}

export function guardSession(session: GuardableSession): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
}
