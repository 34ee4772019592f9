import { useCallback, useMemo } from 'react';
import type { DropOut } from '../../../core/api/contract';
import { renderBars } from '../../charts/bars';
import { useApi, useApp } from '../../app/context';
import { fmtTimeUs } from '../../app/format';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const COLUMNS: TableColumn<DropOut>[] = [
  { key: 'count', title: 'Drops', get: (r) => r.count, numeric: true },
  { key: 'src', title: 'Source', get: (r) => r.src },
  { key: 'dst', title: 'Destination', get: (r) => (r.dst_port !== null ? `${r.dst}:${r.dst_port}` : r.dst) },
  { key: 'proto', title: 'Proto', get: (r) => r.proto },
  { key: 'reason', title: 'Reason', get: (r) => r.reason },
  { key: 'category', title: 'Why', get: (r) => r.category },
  { key: 'direction', title: 'Direction', get: (r) => r.direction },
  { key: 'node', title: 'Node', get: (r) => r.node },
  { key: 'first_us', title: 'First (UTC)', get: (r) => r.first_us, render: (r) => fmtTimeUs(r.first_us) },
  { key: 'evidence', title: 'Evidence', get: (r) => r.evidence.map((e) => `${e.source}:${e.lines.slice(0, 5).join(',')}`).join(' '),
    // One line per file, cut with an ellipsis (the full list in the tooltip): long dump names wrapped a row to ten lines.
    render: (r) => (
      <span className="path drops-evidence" title={r.evidence.map((e) => `${e.source}: ${e.lines.join(', ')}`).join('\n')}>
        {r.evidence.map((e) => <span key={e.source}>{`${e.source.split(/[\\/]/).pop()}:${e.lines.slice(0, 5).join(',')}${e.lines.length > 5 ? ',…' : ''}`}</span>)}
      </span>
    ) },
];

/** The drop categories (core/analysis/drops dropCategory), in the order the bars stack them. */
const CATEGORIES: { key: DropOut['category']; label: string; color: string }[] = [
  { key: 'policy', label: 'policy', color: '#c53030' },
  { key: 'no-route', label: 'no route', color: '#dd6b20' },
  { key: 'conntrack', label: 'conntrack', color: '#805ad5' },
  { key: 'service', label: 'service', color: '#3182ce' },
  { key: 'invalid', label: 'invalid', color: '#718096' },
  { key: 'other', label: 'other', color: '#a0aec0' },
];
const SERIES = CATEGORIES.map(({ label, color }) => ({ label, color }));

/** Drops per dropped source (pod, else address), split by why, most first. */
export function dropsBySource(rows: readonly DropOut[]): { key: string; values: number[]; title: string }[] {
  const by = new Map<string, { values: number[]; reasons: Map<string, number> }>();
  for (const r of rows) {
    let e = by.get(r.src);
    if (!e) by.set(r.src, (e = { values: CATEGORIES.map(() => 0), reasons: new Map() }));
    e.values[Math.max(0, CATEGORIES.findIndex((c) => c.key === r.category))] += r.count;
    e.reasons.set(r.reason, (e.reasons.get(r.reason) ?? 0) + r.count);
  }
  return [...by].map(([key, e]) => ({
    key, values: e.values,
    title: `${key}: ${[...e.reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason} ${n}`).join(', ')}`,
  })).sort((a, b) => b.values.reduce((x, y) => x + y, 0) - a.values.reduce((x, y) => x + y, 0) || (a.key < b.key ? -1 : 1));
}

function DropsChart({ rows }: { rows: readonly DropOut[] }) {
  const bars = useMemo(() => dropsBySource(rows), [rows]);
  const used = useMemo(() => CATEGORIES.map((_c, i) => bars.some((b) => b.values[i] > 0)), [bars]);
  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    // Only the categories present get a legend entry (and a colour).
    renderBars(svg, bars.map((b) => ({ ...b, values: b.values.filter((_, i) => used[i]) })), {
      width, height: 120, label: 'Drops by source, by why', series: SERIES.filter((_, i) => used[i]), maxRows: 20,
    });
  }, [bars, used]);
  return <Chart title="Drops by source" draw={draw} description="stacked by why the datapath dropped them" testId="drops-chart" />;
}

/** Who the datapath dropped, where and why (Hubble DROPPED flows): drops per source by category, and the table. */
export function DropsView() {
  const { window } = useApp();
  const q = useApi('drops.list', { ...window, limit: 500 });
  return (
    <div className="view" data-testid="view-drops">
      <h2>Drops</h2>
      <QueryState q={q} what="drops" channel="drops.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No datapath drops">Drops come from Hubble flows (hubble observe, -o json, the exporter's events.log) with verdict DROPPED.</Empty>}>
        {(rows) => (
          <>
            <DropsChart rows={rows} />
            <DataTable title="Drops" rows={rows} columns={COLUMNS} rowKey={(r) => `${r.src}>${r.dst}:${r.dst_port}/${r.reason}@${r.node}`} testId="drops-table" maxHeight={520} />
          </>
        )}
      </QueryState>
    </div>
  );
}
