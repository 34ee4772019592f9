import { useCallback, useState } from 'react';
import type { CorrelateOut } from '../../../core/api/contract';
import { renderLayeredGraph, type GraphLink, type GraphNode } from '../../charts/layered-graph';
import { useApi, useApp } from '../../app/context';
import { fmtTime } from '../../app/format';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const LAYERS = ['IP', 'pod', 'container', 'netns', 'veth', 'node'];
const LAYER_COLORS = ['#2b6cb0', '#2f855a', '#805ad5', '#b7791f', '#c05621', '#4a5568'];

type EvidenceItem = CorrelateOut['evidence'][number];
const where = (e: EvidenceItem) => `${e.source}${e.line !== null ? `:${e.line}` : ''}`;
/** Export and sort text: every link with its file and line. */
const evidenceText = (r: CorrelateOut) => r.evidence.map((e) => `${e.link}: ${where(e)}`).join('; ');

/**
 * A pod's chain can rest on dozens of lines (every tcptracer event in its netns): a count per tool
 * first, the lines themselves one click away.
 */
function Evidence({ items }: { items: EvidenceItem[] }) {
  if (items.length === 0) return <>—</>;
  const perTool = new Map<string, number>();
  for (const e of items) {
    const tool = /^[\w-]+/.exec(e.link)?.[0] ?? 'other';
    perTool.set(tool, (perTool.get(tool) ?? 0) + 1);
  }
  const summary = [...perTool].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(', ');
  return (
    <details className="evidence">
      <summary>{summary}</summary>
      <ul>{items.map((e, i) => <li key={i}><span>{e.link}</span> <span className="path">{where(e)}</span></li>)}</ul>
    </details>
  );
}

const COLUMNS: TableColumn<CorrelateOut>[] = [
  { key: 'ip', title: 'IP', get: (r) => r.ip },
  { key: 'pod', title: 'Pod', get: (r) => r.pod },
  { key: 'namespace', title: 'Namespace', get: (r) => r.namespace },
  { key: 'container_ids', title: 'Containers', get: (r) => r.container_ids.map((c) => c.slice(0, 13)).join(', ') },
  // An inode is an identifier, not a quantity: no thousands separators.
  { key: 'netns_inode', title: 'Netns', get: (r) => r.netns_inode, render: (r) => (r.netns_inode === null ? '—' : String(r.netns_inode)) },
  { key: 'veth', title: 'veth', get: (r) => r.veth },
  { key: 'ifindex', title: 'ifindex', get: (r) => r.ifindex, numeric: true },
  { key: 'node', title: 'Node', get: (r) => r.node },
  { key: 'time', title: 'Valid (UTC)', get: (r) => r.first_ts, render: (r) => (r.first_ts === null && r.last_ts === null ? 'whole case' : `${fmtTime(r.first_ts)} – ${fmtTime(r.last_ts)}`) },
  { key: 'evidence', title: 'Evidence', get: evidenceText, render: (r) => <Evidence items={r.evidence} /> },
];

/** The chain of one row as graph nodes (one per known layer) and the links between neighbours. */
export function chainOf(r: CorrelateOut): (GraphNode | null)[] {
  const values = [r.ip, r.pod ? `${r.namespace ? `${r.namespace}/` : ''}${r.pod}` : null, r.container_ids[0]?.slice(0, 13) ?? null,
    r.netns_inode !== null ? `net:[${r.netns_inode}]` : null, r.veth, r.node];
  return values.map((v, layer) => (v === null ? null : { id: `${layer}:${v}`, layer, label: v, color: LAYER_COLORS[layer] }));
}

export function CorrelateView() {
  const { go } = useApp();
  const [ip, setIp] = useState('');
  const [query, setQuery] = useState<string | undefined>(undefined);
  const q = useApi('correlate.list', query ? { ip: query } : {});
  const rows = q.data ?? [];

  const draw = useCallback((svg: SVGSVGElement, width: number) => {
    const nodes = new Map<string, GraphNode>();
    const links = new Map<string, GraphLink>();
    for (const r of rows.slice(0, 60)) {
      const chain = chainOf(r).filter((n): n is GraphNode => n !== null);
      for (const n of chain) nodes.set(n.id, n);
      for (let i = 1; i < chain.length; i++) {
        const k = `${chain[i - 1].id}→${chain[i].id}`;
        const l = links.get(k);
        if (l) l.value++;
        else links.set(k, { source: chain[i - 1].id, target: chain[i].id, value: 1, color: LAYER_COLORS[chain[i].layer] });
      }
    }
    renderLayeredGraph(svg, [...nodes.values()], [...links.values()], {
      width, height: 320, label: 'IP ↔ pod ↔ container ↔ netns ↔ veth ↔ node', layers: LAYERS,
      onPick: (n) => { if (n.layer === 0) go('flows', { filter: `ip.addr == ${n.label}` }); },
    });
  }, [rows, go]);

  return (
    <div className="view" data-testid="view-correlate">
      <h2>Correlation map</h2>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); setQuery(ip.trim() || undefined); }}>
        <label>Only this IP <input value={ip} onChange={(e) => setIp(e.target.value)} placeholder="10.244.1.5" /></label>
        <button type="submit">Show</button>
      </form>
      <QueryState q={q} what="the correlation map" channel="correlate.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="Nothing to correlate yet">Add <code>kubectl get pods -A -o wide</code>, <code>crictl ps -a</code>, <code>lsns -t net</code>, <code>pstree -aps</code> and <code>ip link</code> from the node.</Empty>}>
        {(data) => (
          <>
            <Chart title="IP ↔ pod ↔ container ↔ netns ↔ veth ↔ node" draw={draw} testId="correlate-graph" />
            <DataTable title="Identities" rows={data} columns={COLUMNS} rowKey={(r, i) => `${r.ip}|${r.first_ts ?? i}`} testId="correlate-table"
              onActivate={(r) => go('flows', { filter: `ip.addr == ${r.ip}` })} />
          </>
        )}
      </QueryState>
    </div>
  );
}
