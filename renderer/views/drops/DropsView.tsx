import type { DropOut } from '../../../core/api/contract';
import { useApi, useApp } from '../../app/context';
import { fmtTimeUs } from '../../app/format';
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
    render: (r) => <span className="path">{r.evidence.map((e) => `${e.source.split(/[\\/]/).pop()}:${e.lines.slice(0, 5).join(',')}${e.lines.length > 5 ? ',…' : ''}`).join(' ')}</span> },
];

/** Who the datapath dropped, where and why (Hubble DROPPED flows): a table; charts are still to come. */
export function DropsView() {
  const { window } = useApp();
  const q = useApi('drops.list', { ...window, limit: 500 });
  return (
    <div className="view" data-testid="view-drops">
      <h2>Drops</h2>
      <QueryState q={q} what="drops" channel="drops.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No datapath drops">Drops come from Hubble flows (hubble observe, -o json, the exporter's events.log) with verdict DROPPED.</Empty>}>
        {(rows) => <DataTable title="Drops" rows={rows} columns={COLUMNS} rowKey={(r) => `${r.src}>${r.dst}:${r.dst_port}/${r.reason}@${r.node}`} testId="drops-table" maxHeight={520} />}
      </QueryState>
    </div>
  );
}
