import { useCallback, useState } from 'react';
import type { DiagnosticRow, SourceOut } from '../../../core/api/contract';
import { renderSpans } from '../../charts/spans';
import { useApi } from '../../app/context';
import { fmtBytes, fmtTime } from '../../app/format';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const KIND_COLORS: Record<string, string> = { pcap: '#3182ce', pcapng: '#2c5282', unknown: '#cbd5e0' };

const SOURCE_COLUMNS: TableColumn<SourceOut>[] = [
  { key: 'id', title: 'ID', get: (s) => s.id, numeric: true },
  { key: 'kind', title: 'Kind', get: (s) => s.kind },
  { key: 'node', title: 'Node', get: (s) => s.node },
  { key: 'records', title: 'Records', get: (s) => s.records, numeric: true },
  { key: 'bytes', title: 'Size', get: (s) => s.bytes, numeric: true, render: (s) => fmtBytes(s.bytes) },
  { key: 'first_ts', title: 'First (UTC)', get: (s) => s.first_ts, render: (s) => fmtTime(s.first_ts) },
  { key: 'last_ts', title: 'Last (UTC)', get: (s) => s.last_ts, render: (s) => fmtTime(s.last_ts) },
  { key: 'diagnostics', title: 'Diagnostics', get: (s) => s.diagnostics, numeric: true },
  { key: 'path', title: 'Path', get: (s) => s.path, render: (s) => <span className="path">{s.path}</span> },
];

const DIAG_COLUMNS: TableColumn<DiagnosticRow>[] = [
  { key: 'severity', title: 'Severity', get: (d) => d.severity, render: (d) => <span className={`sev sev-${d.severity}`}>{d.severity}</span> },
  { key: 'code', title: 'Code', get: (d) => d.code },
  { key: 'path', title: 'File', get: (d) => d.path, render: (d) => <span className="path">{d.path ?? 'case'}</span> },
  { key: 'where', title: 'Where', get: (d) => (d.offset !== null ? `byte ${d.offset}` : d.line !== null ? `line ${d.line}` : '') },
  { key: 'message', title: 'Why', get: (d) => d.message },
];

export function SourcesView() {
  const sources = useApi('sources.list', {});
  const [selected, setSelected] = useState<SourceOut | null>(null);
  const diags = useApi('diagnostics.list', selected ? { sourceId: selected.id } : {});

  const timed = (sources.data ?? []).filter((s) => s.first_ts !== null && s.last_ts !== null);
  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    renderSpans(svg, timed.map((s) => ({
      label: s.path.split(/[\\/]/).pop() ?? s.path,
      from: s.first_ts!,
      to: s.last_ts!,
      color: KIND_COLORS[s.kind] ?? '#805ad5',
      title: `${s.path} (${s.kind}${s.node ? `, node ${s.node}` : ''}): ${s.records} records, ${fmtTime(s.first_ts)} – ${fmtTime(s.last_ts)}`,
    })), { width, height: 120, label: 'Time covered by each source' });
  }, [timed]);

  return (
    <div className="view" data-testid="view-sources">
      <h2>Sources</h2>
      <QueryState q={sources} what="sources" channel="sources.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No sources yet">Drop captures (.pcap, .pcapng), node-tool dumps or a bundle (.tar.gz, .zip, a folder per node) on this window.</Empty>}>
        {(rows) => (
          <>
            {timed.length > 0 && <Chart title="Time covered by each source" draw={draw} testId="sources-chart" />}
            <DataTable title="Sources" rows={rows} columns={SOURCE_COLUMNS} rowKey={(s) => String(s.id)} onActivate={(s) => setSelected(s)} testId="sources-table" maxHeight={360} />
          </>
        )}
      </QueryState>
      <div className="subhead">
        <h3>{selected ? <>Diagnostics of <span className="path">{selected.path}</span></> : 'All diagnostics'}</h3>
        {selected && <button type="button" onClick={() => setSelected(null)}>Show all</button>}
      </div>
      <QueryState q={diags} what="diagnostics" channel="diagnostics.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No diagnostics: every input was read cleanly" />}>
        {(rows) => <DataTable title="Diagnostics" rows={rows} columns={DIAG_COLUMNS} rowKey={(d) => String(d.id)} testId="diagnostics-table" maxHeight={320} />}
      </QueryState>
    </div>
  );
}
