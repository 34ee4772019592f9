import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { FlowListRequest, FlowOut } from '../../../core/api/contract';
import { checkDisplayFilter, flowDisplayFilter } from '../../../core/filter/display-filter';
import { ApiCallError } from '../../api/client';
import { useApp } from '../../app/context';
import { fmtDuration, fmtEndpoint, fmtNum, fmtTime } from '../../app/format';
import { downloadBlob, downloadText } from '../../export/download';
import { toCsv, toJsonLines } from '../../export/csv';
import { ErrorBox } from '../../components/States';
import { FLOW_COLUMNS, type SortKey } from './flow-columns';
import { flowEnd } from './flow-end';
import { pagesFor, rowWindow } from './virtual-rows';

const PAGE = 200;
const ROW_H = 26;
const VIEW_H = 520;
const EXPORT_MAX = 200_000;

const EXAMPLES = [
  'ip.addr == 10.244.0.5 && tcp.flags.reset == 1',
  'state == REJ',
  'history contains "R" && duration > 1',
  'ip.dst == 10.0.0.0/8 && tcp.dstport in {443 8443}',
  '!(ip.addr == 10.244.0.0/16)',
];

interface Loaded {
  key: string;
  total: number | null;
  pages: Map<number, FlowOut[]>;
}

export function FlowsView() {
  const { host, window, flowsFilter, setFlowsFilter, version } = useApp();
  const [text, setText] = useState(flowsFilter);
  const [sort, setSort] = useState<{ column: SortKey; desc: boolean }>({ column: 'start', desc: false });
  const [scrollTop, setScrollTop] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const inflight = useRef(new Set<string>());

  useEffect(() => setText(flowsFilter), [flowsFilter]);
  const live = useMemo(() => checkDisplayFilter(text), [text]);

  const base = useMemo<FlowListRequest>(() => ({ ...window, filter: flowsFilter || undefined, sort }), [window, flowsFilter, sort]);
  const key = JSON.stringify([base, version]);
  const [loaded, setLoaded] = useState<Loaded>({ key, total: null, pages: new Map() });
  const current = loaded.key === key ? loaded : { key, total: null, pages: new Map<number, FlowOut[]>() };

  // A new query starts at the top.
  useEffect(() => {
    setScrollTop(0);
    setSelected(null);
    if (scroller.current) scroller.current.scrollTop = 0;
    inflight.current.clear();
  }, [key]);

  // Short results get a short table; long ones a fixed viewport.
  const viewH = Math.min(VIEW_H, Math.max(ROW_H * 4, (current.total ?? 0) * ROW_H + 2));
  const win = rowWindow(current.total ?? 0, ROW_H, viewH, scrollTop);
  const wanted = current.total === null ? [0] : pagesFor(win.first, win.count, PAGE);

  useEffect(() => {
    for (const p of wanted) {
      const id = `${key}#${p}`;
      if (current.pages.has(p) || inflight.current.has(id)) continue;
      inflight.current.add(id);
      host.call('flows.list', { ...base, offset: p * PAGE, limit: PAGE }).then((res) => {
        inflight.current.delete(id);
        setError(null);
        setLoaded((prev) => {
          const same = prev.key === key ? prev : { key, total: null, pages: new Map<number, FlowOut[]>() };
          const pages = new Map(same.pages);
          pages.set(p, res.rows);
          // Keep memory flat while scrolling through a million rows.
          if (pages.size > 40) for (const k of [...pages.keys()].slice(0, pages.size - 40)) pages.delete(k);
          return { key, total: res.total, pages };
        });
      }, (e: Error) => {
        inflight.current.delete(id);
        setError(e);
        setLoaded({ key, total: 0, pages: new Map() });
      });
    }
  });

  const rowAt = (i: number): FlowOut | undefined => current.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  const apply = (f: string) => {
    if (checkDisplayFilter(f)) return;
    setFlowsFilter(f.trim());
  };

  const move = (to: number) => {
    const total = current.total ?? 0;
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, to));
    setSelected(i);
    const el = scroller.current;
    if (!el) return;
    // Keep the selected row in view (exact when unscaled; close enough when scaled).
    const w = rowWindow(total, ROW_H, viewH, el.scrollTop);
    if (i < w.first || i >= w.first + w.count - 2) {
      const maxScroll = Math.max(0, w.innerHeight - viewH);
      const rows = Math.max(1, total - viewH / ROW_H);
      el.scrollTop = Math.round((Math.max(0, i < w.first ? i : i - (viewH / ROW_H - 2)) / rows) * maxScroll);
      setScrollTop(el.scrollTop);
    }
  };
  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const s = selected ?? -1;
    const pageRows = Math.floor(viewH / ROW_H) - 1;
    if (e.key === 'ArrowDown') move(s + 1);
    else if (e.key === 'ArrowUp') move(s - 1);
    else if (e.key === 'PageDown') move(s + pageRows);
    else if (e.key === 'PageUp') move(s - pageRows);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move((current.total ?? 1) - 1);
    else return;
    e.preventDefault();
  };

  const exportRows = useCallback(async (format: 'csv' | 'json') => {
    const total = Math.min(current.total ?? 0, EXPORT_MAX);
    const rows: FlowOut[] = [];
    try {
      for (let off = 0; off < total; off += 5000) {
        setExporting(`Exporting ${fmtNum(off)} / ${fmtNum(total)} flows…`);
        rows.push(...(await host.call('flows.list', { ...base, offset: off, limit: 5000 })).rows);
      }
      if (format === 'csv') downloadText(toCsv(rows, FLOW_COLUMNS), 'flows.csv', 'text/csv');
      else downloadText(toJsonLines(rows), 'flows.jsonl', 'application/json');
      setExporting((current.total ?? 0) > EXPORT_MAX ? `Exported the first ${fmtNum(EXPORT_MAX)} flows; narrow the filter for the rest.` : null);
    } catch (e) {
      setExporting(`Export failed: ${(e as Error).message}`);
    }
  }, [host, base, current.total]);

  const sel = selected !== null ? rowAt(selected) : undefined;
  const filterError = error instanceof ApiCallError && error.error.code === 'FILTER' ? error : null;
  return (
    <div className="view" data-testid="view-flows">
      <h2>Flows</h2>
      <form className="filter-form" onSubmit={(e) => { e.preventDefault(); apply(text); }}>
        <label htmlFor="flow-filter">Display filter</label>
        <div className="filter-input">
          <input id="flow-filter" data-testid="flow-filter" value={text} spellCheck={false} autoComplete="off"
            aria-invalid={live !== null} aria-describedby="flow-filter-help"
            placeholder="ip.addr == 10.244.0.5 && tcp.flags.reset == 1" onChange={(e) => setText(e.target.value)} />
          {live && <div className="filter-caret" aria-hidden="true"><span>{text.slice(0, live.column - 1).replace(/./g, ' ')}</span><span className="caret">{'^'.repeat(Math.max(1, Math.min(live.length, 40)))}</span></div>}
        </div>
        <button type="submit" disabled={live !== null}>Apply</button>
        <button type="button" onClick={() => { setText(''); setFlowsFilter(''); }} disabled={!flowsFilter && !text}>Clear</button>
      </form>
      <p id="flow-filter-help" className={live ? 'error' : 'hint'} role={live ? 'alert' : undefined} data-testid="filter-message">
        {live ? `Column ${live.column}: ${live.problem}` : <>Wireshark-like: {EXAMPLES.map((ex, i) => <button key={i} type="button" className="link example" onClick={() => { setText(ex); apply(ex); }}>{ex}</button>)}</>}
      </p>
      {filterError && <ErrorBox error={filterError} context="The filter was refused" />}
      {error && !filterError && <ErrorBox error={error} context="Could not load flows" />}

      <div className="table-header">
        <h3>
          <span data-testid="flows-total" data-total={current.total ?? ''}>{current.total === null ? '…' : fmtNum(current.total)}</span> flows
          {flowsFilter && <> matching <code className="path">{flowsFilter}</code></>}
          {(window.fromUs !== undefined || window.toUs !== undefined) && <> in the time window</>}
        </h3>
        <span className="table-actions">
          {exporting && <span className="hint" role="status">{exporting}</span>}
          <button type="button" data-export="csv" aria-label="Export the filtered flows as CSV" onClick={() => void exportRows('csv')} disabled={!current.total}>CSV</button>
          <button type="button" data-export="json" aria-label="Export the filtered flows as JSON" onClick={() => void exportRows('json')} disabled={!current.total}>JSON</button>
        </span>
      </div>

      <div className="vtable" role="grid" aria-label="Flows" aria-rowcount={(current.total ?? 0) + 1} aria-colcount={FLOW_COLUMNS.length}>
        <div className="vrow vhead" role="row" aria-rowindex={1}>
          {FLOW_COLUMNS.map((c) => {
            const active = c.sort !== undefined && sort.column === c.sort;
            return (
              <div key={c.key} role="columnheader" className={`vcell ${c.numeric ? 'num' : ''}`} style={{ width: c.width }} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                {c.sort ? (
                  <button type="button" onClick={() => setSort(active ? { column: c.sort!, desc: !sort.desc } : { column: c.sort!, desc: false })}>
                    {c.title}{active ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                ) : c.title}
              </div>
            );
          })}
        </div>
        <div className="vscroll" ref={scroller} style={{ height: viewH }} tabIndex={0} onKeyDown={onGridKey} data-testid="flows-scroll"
          aria-label="Flow rows: arrow keys move, Page Up/Down jump" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
          <div style={{ height: win.innerHeight, position: 'relative' }}>
            <div style={{ position: 'absolute', top: win.top, left: 0, right: 0 }}>
              {Array.from({ length: win.count }, (_, k) => {
                const i = win.first + k;
                const f = rowAt(i);
                return (
                  <div key={i} role="row" aria-rowindex={i + 2} aria-selected={selected === i} className={`vrow ${selected === i ? 'selected' : ''} ${f?.rst_by ? 'has-rst' : ''}`}
                    style={{ height: ROW_H }} onClick={() => setSelected(i)} data-row={i}>
                    {FLOW_COLUMNS.map((c) => (
                      <div key={c.key} role="gridcell" className={`vcell ${c.numeric ? 'num' : ''}`} style={{ width: c.width }}>
                        {f ? (c.render ? c.render(f) : String(c.get(f) ?? '—')) : k === 0 ? '…' : ''}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
          {current.total === 0 && !error && <p className="empty-title table-empty">No flows match{flowsFilter ? ' this filter' : ''}{window.fromUs !== undefined ? ' in this window' : ''}.</p>}
        </div>
      </div>
      {sel && <FlowDetails f={sel} />}
    </div>
  );
}

function FlowDetails({ f }: { f: FlowOut }) {
  const { host } = useApp();
  const filter = flowDisplayFilter(f);
  const [note, setNote] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(filter);
      setNote('Display filter copied.');
    } catch {
      setNote('Copy failed: select the filter text and copy it by hand.');
    }
  };
  const exportPcap = async () => {
    setNote('Reading the flow\'s packets from its captures…');
    try {
      const res = await host.call('flows.pcap', { id: f.id });
      const bin = Uint8Array.from(atob(res.base64), (c) => c.charCodeAt(0));
      downloadBlob(new Blob([bin], { type: 'application/vnd.tcpdump.pcap' }), res.name);
      setNote(`Exported ${res.packets} packets as ${res.name}.`);
    } catch (e) {
      setNote(`Packet export failed: ${(e as Error).message}`);
    }
  };
  const rows: [string, string][] = [
    ['Start (UTC)', fmtTime(f.start)], ['End (UTC)', fmtTime(f.end)], ['Duration', fmtDuration(f.duration)],
    ['Originator', `${flowEnd(f, 'orig')}${f.orig_pod ? ` (${f.orig_pod})` : ''}${f.origin_guessed ? ' — guessed: no SYN seen' : ''}`],
    ['Responder', `${flowEnd(f, 'resp')}${f.resp_pod ? ` (${f.resp_pod})` : ''}`],
    ['State / history', `${f.state} / ${f.history || '—'}`], ['Packets o/r', `${f.orig_pkts} / ${f.resp_pkts}`], ['Bytes o/r', `${f.orig_bytes} / ${f.resp_bytes}`],
    ['RST by', f.rst_by ?? '—'], ['NAT peer', f.nat_peer ? `${fmtEndpoint(f.nat_peer.orig_ip, f.nat_peer.orig_port)} → ${fmtEndpoint(f.nat_peer.resp_ip, f.nat_peer.resp_port)}` : '—'], ['Source', f.source],
  ];
  return (
    <section className="flow-details" aria-label="Selected flow" data-testid="flow-details">
      <h3>Flow {f.id}</h3>
      <dl>{rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
      <div className="inline-form">
        <label htmlFor="flow-wireshark-filter">Wireshark display filter</label>
        <input id="flow-wireshark-filter" readOnly value={filter} data-testid="flow-wireshark-filter" onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()}>Copy</button>
        <button type="button" onClick={() => void exportPcap()} data-testid="flow-pcap">Export packets (.pcap)</button>
      </div>
      {note && <p className="hint" role="status">{note}</p>}
    </section>
  );
}
