import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiChannel, ApiRequest, ApiResponse, CaseInfo, TimeWindow } from '../../core/api/contract';
import type { ViewId } from '../../core/api/views';
import { VIEWS } from '../../core/api/views';
import { ApiCallError, type Host } from '../api/client';

export { VIEWS, type ViewId };

export interface AppState {
  host: Host;
  caseInfo: CaseInfo | null;
  caseError: string | null;
  /** Bumped when the case changes (ingest finished, another case opened): every query reloads. */
  version: number;
  reload(): void;
  window: TimeWindow;
  setWindow(w: TimeWindow): void;
  view: ViewId;
  /** Opens a view; the flows view takes a display filter to start from. */
  go(view: ViewId, opts?: { filter?: string; against?: string }): void;
  flowsFilter: string;
  setFlowsFilter(f: string): void;
  compareAgainst: string;
  setCompareAgainst(p: string): void;
}

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useApp outside AppProvider');
  return s;
}

export function AppProvider({ host, children }: { host: Host; children: ReactNode }) {
  const [caseInfo, setCaseInfo] = useState<CaseInfo | null>(null);
  const [caseError, setCaseError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [window, setWindow] = useState<TimeWindow>({});
  const [view, setView] = useState<ViewId>('sources');
  const [flowsFilter, setFlowsFilter] = useState('');
  const [compareAgainst, setCompareAgainst] = useState('');

  useEffect(() => {
    let live = true;
    host.call('case.info', {}).then(
      (c) => { if (live) { setCaseInfo(c); setCaseError(null); } },
      (e: unknown) => { if (live) { setCaseInfo(null); setCaseError(e instanceof ApiCallError && e.error.code === 'NO_CASE' ? null : (e as Error).message); } },
    );
    return () => { live = false; };
  }, [host, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const go = useCallback((v: ViewId, opts?: { filter?: string; against?: string }) => {
    if (opts?.filter !== undefined) setFlowsFilter(opts.filter);
    if (opts?.against !== undefined) setCompareAgainst(opts.against);
    setView(v);
  }, []);

  const value = useMemo<AppState>(() => ({
    host, caseInfo, caseError, version, reload, window, setWindow, view, go, flowsFilter, setFlowsFilter, compareAgainst, setCompareAgainst,
  }), [host, caseInfo, caseError, version, reload, window, view, go, flowsFilter, compareAgainst]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export interface Query<T> {
  data: T | undefined;
  error: ApiCallError | Error | null;
  loading: boolean;
  /** The channel exists in the contract but this case's host has no handler for it yet. */
  notImplemented: boolean;
}

/** Runs `channel` whenever the request, the case or the version changes; stale answers are dropped. */
export function useApi<C extends ApiChannel>(channel: C, req: ApiRequest<C> | null): Query<ApiResponse<C>> {
  const { host, version } = useApp();
  const key = req === null ? null : JSON.stringify(req);
  const [state, setState] = useState<Query<ApiResponse<C>>>({ data: undefined, error: null, loading: req !== null, notImplemented: false });
  const seq = useRef(0);
  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    host.call(channel, JSON.parse(key) as ApiRequest<C>).then(
      (data) => { if (mine === seq.current) setState({ data, error: null, loading: false, notImplemented: false }); },
      (e: unknown) => {
        if (mine !== seq.current) return;
        const err = e instanceof Error ? e : new Error(String(e));
        setState({ data: undefined, error: err, loading: false, notImplemented: err instanceof ApiCallError && err.notImplemented });
      },
    );
  }, [host, channel, key, version]);
  return state;
}
