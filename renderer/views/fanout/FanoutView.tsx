import { fmtEndpoint } from '../../app/format';
import { useCallback } from 'react';
import type { FanoutOut } from '../../../core/api/contract';
import { renderBars } from '../../charts/bars';
import { PRIVATE_COLOR, PUBLIC_COLOR } from '../../charts/common';
import { renderLayeredGraph, type GraphLink, type GraphNode } from '../../charts/layered-graph';
import { useApi, useApp } from '../../app/context';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const COLUMNS: TableColumn<FanoutOut>[] = [
  { key: 'who', title: 'Pod / source', get: (r) => r.who },
  { key: 'namespace', title: 'Namespace', get: (r) => r.namespace },
  { key: 'node', title: 'Node', get: (r) => r.node },
  { key: 'netns', title: 'Netns', get: (r) => r.netns },
  { key: 'connections', title: 'Connections', get: (r) => r.connections, numeric: true },
  { key: 'connections_from', title: 'Counted by', get: (r) => r.connections_from },
  { key: 'destinations', title: 'Destinations', get: (r) => r.destinations, numeric: true },
  { key: 'public_destinations', title: 'Public', get: (r) => r.public_destinations, numeric: true },
  { key: 'peak_per_minute', title: 'Peak / min', get: (r) => r.peak_per_minute, numeric: true },
  { key: 'median_lifetime_s', title: 'Median life (s)', get: (r) => r.median_lifetime_s, numeric: true },
  // One column per kind of evidence: the same pod's connections as each source counted them.
  ...([['pcap', 'Captures'], ['hubble', 'Hubble'], ['conntrack', 'Conntrack'], ['tcptracer', 'tcptracer'], ['inspektor-gadget', 'Inspektor Gadget']] as const).map(([src, title]): TableColumn<FanoutOut> => ({
    key: `evidence_${src}`, title,
    get: (r) => r.evidence.find((e) => e.source === src)?.connections ?? null, numeric: true,
  })),
];

const evidenceText = (r: FanoutOut) => r.evidence.map((e) => `${e.source} ${e.connections}`).join(', ');

export function FanoutView() {
  const { window, go } = useApp();
  const q = useApi('fanout.list', { ...window, limit: 200 });
  const rows = q.data ?? [];
  const label = (r: FanoutOut) => r.who;

  const drawBars = useCallback((svg: SVGSVGElement, width: number) => {
    renderBars(svg, rows.map((r) => ({
      key: label(r),
      values: [r.connections],
      title: `${r.who}: ${r.connections} connections to ${r.destinations} destinations (${r.public_destinations} public), peak ${r.peak_per_minute}/min, counted by ${r.connections_from} (${evidenceText(r)})`,
    })), { width, height: 160, label: 'Connections per pod', series: [{ label: 'connections', color: '#3182ce' }], onPick: (who) => {
      if (/^[0-9a-fA-F:.]+$/.test(who)) go('flows', { filter: `ip.src == ${who}` });
    } });
  }, [rows, go, label]);

  const drawDest = useCallback((svg: SVGSVGElement, width: number) => {
    renderBars(svg, rows.map((r) => ({ key: label(r), values: [r.public_destinations, r.destinations - r.public_destinations] })), {
      width, height: 160, label: 'Destinations per pod, public vs private',
      series: [{ label: 'public (uses SNAT)', color: PUBLIC_COLOR }, { label: 'private', color: PRIVATE_COLOR }],
    });
  }, [rows, label]);

  const drawGraph = useCallback((svg: SVGSVGElement, width: number) => {
    const top = rows.slice(0, 12);
    const nodes: GraphNode[] = [];
    const links: GraphLink[] = [];
    const seen = new Set<string>();
    for (const r of top) {
      if (!seen.has(`pod:${r.who}`)) {
        seen.add(`pod:${r.who}`);
        nodes.push({ id: `pod:${r.who}`, layer: 0, label: r.who, color: '#4a5568', title: `${r.who}: ${r.connections} connections` });
      }
      for (const d of r.top_destinations.slice(0, 8)) {
        const id = `dst:${d.ip}:${d.port}`;
        if (!seen.has(id)) {
          seen.add(id);
          nodes.push({ id, layer: 1, label: fmtEndpoint(d.ip, d.port), color: d.public ? PUBLIC_COLOR : PRIVATE_COLOR, title: `${fmtEndpoint(d.ip, d.port)} (${d.public ? 'public' : 'private'})` });
        }
        links.push({ source: `pod:${r.who}`, target: id, value: d.connections, color: d.public ? PUBLIC_COLOR : PRIVATE_COLOR, title: `${r.who} → ${fmtEndpoint(d.ip, d.port)}: ${d.connections} connections` });
      }
    }
    renderLayeredGraph(svg, nodes, links, {
      width, height: 300, label: 'Pod to destination', layers: ['pod', 'destination'],
      onPick: (n) => { if (n.id.startsWith('dst:')) { const [ip, port] = [n.label.slice(0, n.label.lastIndexOf(':')), n.label.slice(n.label.lastIndexOf(':') + 1)]; go('flows', { filter: `ip.dst == ${ip} && port == ${port}` }); } },
    });
  }, [rows, go]);

  return (
    <div className="view" data-testid="view-fanout">
      <h2>Fan-out</h2>
      <p className="lead">Which pod opens the most connections, and to how many destinations; only public destinations use the node's SNAT ports.</p>
      <QueryState q={q} what="fan-out" channel="fanout.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No connections to count in this window">Fan-out comes from captures, <code>tcptracer -t4v</code> logs and <code>conntrack -L</code> dumps.</Empty>}>
        {(data) => (
          <>
            <Chart title="Connections per pod" draw={drawBars} testId="fanout-bars" />
            <Chart title="Destinations per pod, public vs private" draw={drawDest} testId="fanout-dest" />
            <Chart title="Pod to destination" draw={drawGraph} testId="fanout-graph" />
            <DataTable title="Fan-out" rows={data} columns={COLUMNS} rowKey={(r) => r.who} testId="fanout-table" />
          </>
        )}
      </QueryState>
    </div>
  );
}
