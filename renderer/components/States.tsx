import type { ReactNode } from 'react';
import { ApiCallError } from '../api/client';
import type { Query } from '../app/context';

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function NotAvailable({ what, channel }: { what: string; channel: string }) {
  return (
    <div className="empty not-available" role="status" data-state="not-implemented">
      <p className="empty-title">{what} is not available in this case yet</p>
      <p className="empty-body">This build of podcap does not answer <code>{channel}</code> yet; the view fills in as soon as it does.</p>
    </div>
  );
}

export function ErrorBox({ error, context }: { error: Error; context?: string }) {
  const code = error instanceof ApiCallError ? error.error.code : null;
  return (
    <div className="error" role="alert">
      <strong>{context ?? 'Something went wrong'}</strong>
      {code && <span className="error-code"> ({code})</span>}: {error.message}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="loading" role="status" aria-live="polite">Loading {what}…</p>;
}

/**
 * The standard wrapper for a view section fed by one query: loading, not implemented, error,
 * empty, or the content.
 */
export function QueryState<T>({ q, what, channel, isEmpty, empty, children }: {
  q: Query<T>;
  what: string;
  channel: string;
  isEmpty?(data: T): boolean;
  empty?: ReactNode;
  children(data: T): ReactNode;
}) {
  if (q.notImplemented) return <NotAvailable what={what} channel={channel} />;
  if (q.error) return <ErrorBox error={q.error} context={`Could not load ${what}`} />;
  if (q.data === undefined) return <Loading what={what} />;
  if (isEmpty?.(q.data)) return <>{empty ?? <Empty title={`No ${what} in this case${''}`} />}</>;
  return <>{children(q.data)}</>;
}
