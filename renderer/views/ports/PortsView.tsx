import { useCallback, useState } from 'react';
import type { ConntrackTimeline, PortsOut } from '../../../core/api/contract';
import { renderBars } from '../../charts/bars';
import { renderHeatmap } from '../../charts/heatmap';
import { renderLineChart } from '../../charts/line-chart';
import { useApi, useApp } from '../../app/context';
import { fmtEndpoint, fmtTime } from '../../app/format';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const COLUMNS: TableColumn<PortsOut>[] = [
  { key: 'snat_ip', title: 'SNAT / source IP', get: (r) => r.snat_ip },
  { key: 'dst', title: 'Destination', get: (r) => fmtEndpoint(r.dst_ip, r.dst_port) },
  { key: 'distinct_src_ports', title: 'Source ports', get: (r) => r.distinct_src_ports, numeric: true },
  { key: 'peak_concurrent', title: 'Peak concurrent', get: (r) => r.peak_concurrent, numeric: true },
  { key: 'allocation', title: 'Allocation', get: (r) => r.allocation, numeric: true },
  // Past the allocation the demand is what matters: "16,000 needed", not "1562.5 %".
  { key: 'utilization', title: 'Utilization', get: (r) => r.utilization, render: (r) => (r.utilization > 1 ? `${Math.round(r.utilization * r.allocation).toLocaleString('en-US')} needed` : `${(r.utilization * 100).toFixed(1)} %`), numeric: true },
  { key: 'reused_ports', title: 'Reused ports', get: (r) => r.reused_ports, numeric: true },
  { key: 'min_reuse_gap_s', title: 'Min reuse gap (s)', get: (r) => r.min_reuse_gap_s, numeric: true },
  { key: 'stale_ack_resets', title: 'Stale-ACK resets', get: (r) => r.stale_ack_resets, numeric: true },
  { key: 'first_ts', title: 'First (UTC)', get: (r) => r.first_ts, render: (r) => fmtTime(r.first_ts) },
  { key: 'last_ts', title: 'Last (UTC)', get: (r) => r.last_ts, render: (r) => fmtTime(r.last_ts) },
];

const key = (r: PortsOut) => `${r.snat_ip} → ${fmtEndpoint(r.dst_ip, r.dst_port)}`;

export function PortsView() {
  const { window } = useApp();
  const ports = useApi('ports.list', { ...window, limit: 200 });
  const conntrack = useApi('conntrack.timeline', window);
  const [picked, setPicked] = useState<PortsOut | null>(null);
  const target = picked ?? ports.data?.[0] ?? null;
  const heat = useApi('ports.heatmap', target ? { ...window, dstIp: target.dst_ip, dstPort: target.dst_port } : null);
  const rows = ports.data ?? [];

  const drawUse = useCallback((svg: SVGSVGElement, width: number) => {
    const alloc = rows[0]?.allocation;
    renderBars(svg, rows.map((r) => ({ key: key(r), values: [r.peak_concurrent, Math.max(0, r.distinct_src_ports - r.peak_concurrent)], title: `${key(r)}: peak ${r.peak_concurrent} concurrent, ${r.distinct_src_ports} distinct ports of ${r.allocation}` })), {
      width, height: 160, label: 'Source ports used vs allocation',
      series: [{ label: 'peak concurrent', color: '#c05621' }, { label: 'other distinct ports', color: '#fbd38d' }],
      reference: alloc ? { value: alloc, label: `allocation ${alloc}` } : undefined,
      onPick: (k) => setPicked(rows.find((r) => key(r) === k) ?? null),
    });
  }, [rows]);

  const h = heat.data;
  const drawHeat = useCallback((svg: SVGSVGElement, width: number) => {
    if (!h) return;
    renderHeatmap(svg, h.cells, { width, height: 260, label: `Source ports × time to ${fmtEndpoint(h.dst_ip, h.dst_port)}`, bucketSeconds: h.bucketSeconds, portBucket: h.portBucket });
  }, [h]);

  return (
    <div className="view" data-testid="view-ports">
      <h2>Port usage</h2>
      <p className="lead">SNAT port pressure per node IP and destination (Azure holds a port ~15 s after a RST and ~240 s after a FIN), and conntrack against its maximum.</p>
      <QueryState q={ports} what="port usage" channel="ports.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No source-port data in this window">Port usage comes from captures and <code>tcptracer</code>/<code>conntrack</code> dumps of the node that ran out.</Empty>}>
        {(data) => (
          <>
            <Chart title="Source ports used vs allocation" draw={drawUse} testId="ports-bars" />
            {target && (
              <QueryState q={heat} what="the port heatmap" channel="ports.heatmap" isEmpty={(d) => d.cells.length === 0}>
                {() => <Chart title={`Source ports × time to ${fmtEndpoint(target.dst_ip, target.dst_port)}`} draw={drawHeat} testId="ports-heatmap" />}
              </QueryState>
            )}
            <DataTable title="Port usage" rows={data} columns={COLUMNS} rowKey={key} onActivate={setPicked} testId="ports-table" />
          </>
        )}
      </QueryState>
      <h3>Conntrack</h3>
      <QueryState q={conntrack} what="conntrack counts" channel="conntrack.timeline" isEmpty={(d) => d.points.length === 0 && d.tableFull.length === 0}
        empty={<Empty title="No conntrack counts">Add <code>conntrack -C</code>/<code>-S</code>, <code>sysctl net.netfilter.nf_conntrack_count</code> samples or kernel logs with "nf_conntrack: table full".</Empty>}>
        {(d) => <ConntrackChart d={d} />}
      </QueryState>
    </div>
  );
}

function ConntrackChart({ d }: { d: ConntrackTimeline }) {
  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    const bySource = new Map<string, { ts: number; value: number }[]>();
    for (const p of d.points) {
      const list = bySource.get(p.source) ?? [];
      list.push({ ts: p.ts, value: p.count });
      bySource.set(p.source, list);
    }
    const colors = ['#2b6cb0', '#2f855a', '#805ad5', '#b7791f'];
    renderLineChart(svg, [...bySource.entries()].map(([label, points], i) => ({ label: label.split(/[\\/]/).pop() ?? label, color: colors[i % colors.length], points })), {
      width, height: 220, label: 'Conntrack entries vs nf_conntrack_max', yLabel: 'entries',
      limit: d.max !== null ? { value: d.max, label: `nf_conntrack_max ${d.max}` } : undefined,
      marks: d.tableFull.map((t) => ({ ts: t.ts, label: `table full, dropping packet${t.node ? ` on ${t.node}` : ''} (${t.count}×)` })),
    });
  }, [d]);
  return (
    <>
      <Chart title="Conntrack entries vs max" draw={draw} description="red marks: table full" testId="conntrack-chart" />
      {d.stats.length > 0 && (
        <DataTable title="Conntrack statistics" rows={d.stats} rowKey={(s, i) => `${s.node ?? ''}|${s.cpu ?? i}`} testId="conntrack-stats" columns={[
          { key: 'node', title: 'Node', get: (s) => s.node },
          { key: 'cpu', title: 'CPU', get: (s) => s.cpu, numeric: true },
          { key: 'drop', title: 'drop', get: (s) => s.drop, numeric: true },
          { key: 'insert_failed', title: 'insert_failed', get: (s) => s.insert_failed, numeric: true },
          { key: 'early_drop', title: 'early_drop', get: (s) => s.early_drop, numeric: true },
        ]} />
      )}
    </>
  );
}
