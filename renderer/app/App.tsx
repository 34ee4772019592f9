import { useEffect, useRef, type ComponentType, type KeyboardEvent } from 'react';
import type { Host } from '../api/client';
import { IngestPanel } from '../components/IngestPanel';
import { ErrorBox } from '../components/States';
import { TimeBrush } from '../components/TimeBrush';
import { CompareView } from '../views/compare/CompareView';
import { CorrelateView } from '../views/correlate/CorrelateView';
import { DropsView } from '../views/drops/DropsView';
import { FanoutView } from '../views/fanout/FanoutView';
import { FindingsView } from '../views/findings/FindingsView';
import { FlowsView } from '../views/flows/FlowsView';
import { PortsView } from '../views/ports/PortsView';
import { RstView } from '../views/rst/RstView';
import { SourcesView } from '../views/sources/SourcesView';
import { AppProvider, useApp, VIEWS, type ViewId } from './context';
import { fmtNum, fmtTimeUs } from './format';

const VIEW_COMPONENTS: Record<ViewId, ComponentType> = {
  sources: SourcesView,
  findings: FindingsView,
  rst: RstView,
  fanout: FanoutView,
  drops: DropsView,
  ports: PortsView,
  flows: FlowsView,
  correlate: CorrelateView,
  compare: CompareView,
};

export function App({ host }: { host: Host }) {
  return (
    <AppProvider host={host}>
      <Shell />
    </AppProvider>
  );
}

function Shell() {
  const { caseInfo, caseError, view, go, host, reload, setCompareAgainst } = useApp();
  const tabs = useRef<HTMLDivElement>(null);

  useEffect(() => host.onMenu((cmd) => {
    if (cmd.kind === 'view' && VIEWS.some((v) => v.id === cmd.view)) go(cmd.view as ViewId);
    else if (cmd.kind === 'case-opened') reload();
    else if (cmd.kind === 'compare') { setCompareAgainst(cmd.against); go('compare'); }
    else if (cmd.kind === 'export') document.querySelector<HTMLButtonElement>(`main [data-export="${cmd.format}"]`)?.click();
  }), [host, go, reload, setCompareAgainst]);

  // Tabs follow the WAI-ARIA pattern: arrows move between them, the panel follows focus.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = VIEWS.findIndex((v) => v.id === view);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % VIEWS.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + VIEWS.length) % VIEWS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = VIEWS.length - 1;
    if (j < 0) return;
    e.preventDefault();
    go(VIEWS[j].id);
    tabs.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[j]?.focus();
  };

  const View = VIEW_COMPONENTS[view];
  const empty = caseInfo !== null && caseInfo.sources === 0;
  return (
    <div className="app">
      <header className="topbar">
        <h1>podcap</h1>
        {caseInfo && (
          <p className="case-summary" data-testid="case-summary">
            <span className="path" title={caseInfo.path}>{caseInfo.path.split(/[\\/]/).pop()}</span>
            <span>{fmtNum(caseInfo.sources)} sources</span>
            <span data-testid="case-flows">{fmtNum(caseInfo.flows)} flows</span>
            <span>{fmtNum(caseInfo.rsts)} RSTs</span>
            {caseInfo.firstUs !== null && <span>{fmtTimeUs(caseInfo.firstUs)} – {fmtTimeUs(caseInfo.lastUs)} UTC</span>}
          </p>
        )}
        <IngestPanel compact />
      </header>
      {caseError && <ErrorBox error={new Error(caseError)} context="Could not open the case" />}
      {caseInfo === null && !caseError && <p className="loading" role="status">Opening the case…</p>}
      {empty && (
        <section className="welcome" data-testid="welcome">
          <h2>This case is empty</h2>
          <p>Drop files anywhere on this window, or use <strong>Add files…</strong> above:</p>
          <ul>
            <li>packet captures: <code>tcpdump -w</code> / <code>-i any</code> (.pcap, .pcapng, also .gz)</li>
            <li>node-tool dumps: <code>tcptracer -t4v</code>, <code>conntrack -L</code>/<code>-E</code>, <code>crictl ps -a</code>, <code>lsns -t net</code>, <code>pstree -aps</code>, <code>ip link</code>, <code>kubectl get pods -o wide</code></li>
            <li>a whole bundle: a folder per node, or a <code>.tar.gz</code> / <code>.zip</code> of it</li>
          </ul>
        </section>
      )}
      {caseInfo !== null && !empty && (
        <>
          <TimeBrush />
          <div className="tabs" role="tablist" aria-label="Views" ref={tabs} onKeyDown={onTabKey}>
            {VIEWS.map((v) => (
              <button key={v.id} type="button" role="tab" id={`tab-${v.id}`} aria-controls="view-panel" aria-selected={view === v.id}
                tabIndex={view === v.id ? 0 : -1} onClick={() => go(v.id)} data-testid={`tab-${v.id}`}>
                {v.label}
              </button>
            ))}
          </div>
          <main id="view-panel" role="tabpanel" aria-labelledby={`tab-${view}`} data-view={view}>
            <View />
          </main>
        </>
      )}
    </div>
  );
}
