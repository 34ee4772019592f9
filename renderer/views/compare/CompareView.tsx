import { useCallback, useState } from 'react';
import type { CompareRequest, CompareRow, TimeWindow } from '../../../core/api/contract';
import { renderBars } from '../../charts/bars';
import { useApi, useApp } from '../../app/context';
import { fmtTimeUs } from '../../app/format';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

/** A signed change with its unit: `+3.2 conn/min`, `−1 ports`. */
export function fmtDelta(r: Pick<CompareRow, 'delta' | 'unit'>): string {
  if (r.delta === null) return '—';
  const n = Math.abs(r.delta).toLocaleString('en-US', { maximumFractionDigits: 3 });
  const sign = r.delta > 0 ? '+' : r.delta < 0 ? '−' : '±';
  return `${sign}${n}${r.unit ? ` ${r.unit}` : ''}`;
}

const withUnit = (v: number | string | null, unit: string | null) => (v === null ? '—' : typeof v === 'number' && unit ? `${v.toLocaleString('en-US', { maximumFractionDigits: 3 })} ${unit}` : String(v));

const COLUMNS: TableColumn<CompareRow>[] = [
  { key: 'section', title: 'Section', get: (r) => r.section },
  { key: 'key', title: 'What', get: (r) => r.key },
  { key: 'before', title: 'Before', get: (r) => r.before, render: (r) => withUnit(r.before, r.unit), numeric: true },
  { key: 'after', title: 'After', get: (r) => r.after, render: (r) => withUnit(r.after, r.unit), numeric: true },
  { key: 'delta', title: 'Change', get: (r) => r.delta, render: fmtDelta, numeric: true },
  { key: 'change', title: '', get: (r) => r.change, render: (r) => <span className={`change c-${r.change}`}>{r.change}</span> },
];

const winText = (w: TimeWindow) => (w.fromUs === undefined && w.toUs === undefined ? 'whole case' : `${fmtTimeUs(w.fromUs)} – ${fmtTimeUs(w.toUs)}`);

export function CompareView() {
  const { window, compareAgainst, setCompareAgainst, host } = useApp();
  const [path, setPath] = useState(compareAgainst);
  const [before, setBefore] = useState<TimeWindow | null>(null);
  const [after, setAfter] = useState<TimeWindow | null>(null);
  const [req, setReq] = useState<CompareRequest | null>(compareAgainst ? { against: compareAgainst } : null);
  const q = useApi('compare.run', req);
  const rows = q.data ?? [];

  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    // One chart per unit would be fairer; bars of mixed units are ranked by size of change, and
    // each bar's label says its unit and direction.
    const changed = rows.filter((r) => typeof r.delta === 'number' && r.delta !== 0).sort((x, y) => Math.abs(y.delta!) - Math.abs(x.delta!));
    renderBars(svg, changed.map((r) => ({ key: `${r.section}: ${r.key} (${fmtDelta(r)})`, values: [Math.abs(r.delta!)], title: `${r.section} ${r.key}: before ${withUnit(r.before, r.unit)} → after ${withUnit(r.after, r.unit)} (${r.change})` })), {
      width, height: 160, label: 'Largest changes, before → after', series: [{ label: 'size of change', color: '#805ad5' }],
    });
  }, [rows]);

  return (
    <div className="view" data-testid="view-compare">
      <h2>Compare</h2>
      <p className="lead">Before and after a fix: this case (after) against a baseline case (before), or two time windows of this case. Rates are per minute of each side's own span.</p>
      <div className="compare-forms">
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (path.trim()) { setCompareAgainst(path.trim()); setReq({ against: path.trim() }); } }}>
          <label>Baseline case file (before) <input value={path} onChange={(e) => setPath(e.target.value)} placeholder={host.kind === 'electron' ? 'File ▸ Compare with…' : '/path/to/before.case.db'} /></label>
          <button type="submit" disabled={!path.trim()}>Compare with this case</button>
        </form>
        <div className="inline-form" role="group" aria-label="Compare two time windows of this case">
          <button type="button" onClick={() => setBefore({ ...window })}>Use brush as before</button>
          <span className="window-note">Before: {before ? winText(before) : '—'}</span>
          <button type="button" onClick={() => setAfter({ ...window })}>Use brush as after</button>
          <span className="window-note">After: {after ? winText(after) : '—'}</span>
          <button type="button" disabled={!before || !after} onClick={() => before && after && setReq({ windows: { before, after } })}>Compare windows</button>
        </div>
      </div>
      {req === null ? (
        <Empty title="Choose what to compare">{host.kind === 'electron' ? 'Pick the baseline case (File ▸ Compare with…) or type its path above' : 'Type the path of the baseline case file above'}, or set a before and an after window with the time brush.</Empty>
      ) : (
        <QueryState q={q} what="the comparison" channel="compare.run" isEmpty={(d) => d.length === 0} empty={<Empty title="No differences" />}>
          {(data) => (
            <>
              {data.some((r) => typeof r.delta === 'number' && r.delta !== 0)
                ? <Chart title="Largest changes, before → after" draw={draw} testId="compare-bars" />
                : <Empty title="Before and after are the same on every measure below" />}
              <DataTable title="Comparison" rows={data} columns={COLUMNS} rowKey={(r) => `${r.section}|${r.key}`} testId="compare-table" />
            </>
          )}
        </QueryState>
      )}
    </div>
  );
}
