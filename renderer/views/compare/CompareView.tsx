import { useCallback, useState } from 'react';
import type { CompareRequest, CompareRow, TimeWindow } from '../../../core/api/contract';
import { renderBars } from '../../charts/bars';
import { useApi, useApp } from '../../app/context';
import { fmtTimeUs } from '../../app/format';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const COLUMNS: TableColumn<CompareRow>[] = [
  { key: 'section', title: 'Section', get: (r) => r.section },
  { key: 'key', title: 'What', get: (r) => r.key },
  { key: 'a', title: 'A', get: (r) => r.a, numeric: true },
  { key: 'b', title: 'B', get: (r) => r.b, numeric: true },
  { key: 'delta', title: 'Δ', get: (r) => r.delta, numeric: true },
  { key: 'change', title: 'Change', get: (r) => r.change, render: (r) => <span className={`change c-${r.change}`}>{r.change}</span> },
];

const winText = (w: TimeWindow) => (w.fromUs === undefined && w.toUs === undefined ? 'whole case' : `${fmtTimeUs(w.fromUs)} – ${fmtTimeUs(w.toUs)}`);

export function CompareView() {
  const { window, compareAgainst, setCompareAgainst, host } = useApp();
  const [path, setPath] = useState(compareAgainst);
  const [a, setA] = useState<TimeWindow | null>(null);
  const [b, setB] = useState<TimeWindow | null>(null);
  const [req, setReq] = useState<CompareRequest | null>(compareAgainst ? { against: compareAgainst } : null);
  const q = useApi('compare.run', req);
  const rows = q.data ?? [];

  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    const changed = rows.filter((r) => typeof r.delta === 'number' && r.delta !== 0).sort((x, y) => Math.abs(y.delta!) - Math.abs(x.delta!));
    renderBars(svg, changed.map((r) => ({ key: `${r.section}: ${r.key}`, values: [Math.abs(r.delta!)], title: `${r.section} ${r.key}: A ${r.a} → B ${r.b} (${r.change})` })), {
      width, height: 160, label: 'Largest changes from A to B', series: [{ label: '|Δ|', color: '#805ad5' }],
    });
  }, [rows]);

  return (
    <div className="view" data-testid="view-compare">
      <h2>Compare</h2>
      <p className="lead">A vs B: this case against another case (a healthy day, another node), or two time windows of this case.</p>
      <div className="compare-forms">
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (path.trim()) { setCompareAgainst(path.trim()); setReq({ against: path.trim() }); } }}>
          <label>Other case file (B) <input value={path} onChange={(e) => setPath(e.target.value)} placeholder={host.kind === 'electron' ? 'File ▸ Compare with…' : '/path/to/other.case.db'} /></label>
          <button type="submit" disabled={!path.trim()}>Compare cases</button>
        </form>
        <div className="inline-form" role="group" aria-label="Compare two time windows of this case">
          <button type="button" onClick={() => setA({ ...window })}>Use brush as A</button>
          <span className="window-note">A: {a ? winText(a) : '—'}</span>
          <button type="button" onClick={() => setB({ ...window })}>Use brush as B</button>
          <span className="window-note">B: {b ? winText(b) : '—'}</span>
          <button type="button" disabled={!a || !b} onClick={() => a && b && setReq({ windows: { a, b } })}>Compare windows</button>
        </div>
      </div>
      {req === null ? (
        <Empty title="Choose what to compare">Pick another case file (File ▸ Compare with… in the app), or set two windows with the time brush.</Empty>
      ) : (
        <QueryState q={q} what="the comparison" channel="compare.run" isEmpty={(d) => d.length === 0} empty={<Empty title="No differences" />}>
          {(data) => (
            <>
              {data.some((r) => typeof r.delta === 'number' && r.delta !== 0)
                ? <Chart title="Largest changes from A to B" draw={draw} testId="compare-bars" />
                : <Empty title="A and B are the same on every measure below" />}
              <DataTable title="Comparison" rows={data} columns={COLUMNS} rowKey={(r) => `${r.section}|${r.key}`} testId="compare-table" />
            </>
          )}
        </QueryState>
      )}
    </div>
  );
}
