import { useCallback, useMemo } from 'react';
import type { CountBy, RstOut } from '../../../core/api/contract';
import { flowDisplayFilter } from '../../../core/filter/display-filter';
import { renderBars } from '../../charts/bars';
import { VERDICT_COLORS } from '../../charts/common';
import { renderScatterTimeline } from '../../charts/scatter-timeline';
import { useApi, useApp } from '../../app/context';
import { fmtEndpoint, fmtTime } from '../../app/format';
import { seenAtShort } from './seen-at';
import { Chart } from '../../components/Chart';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { Empty, QueryState } from '../../components/States';

const RST_LIMIT = 20_000;
const SERIES = [
  { label: 'endpoint', color: VERDICT_COLORS.endpoint },
  { label: 'node', color: VERDICT_COLORS.node },
  { label: 'middlebox-suspect', color: VERDICT_COLORS['middlebox-suspect'] },
  { label: 'unknown', color: VERDICT_COLORS.unknown },
];

const senderLabel = (r: RstOut) => r.sender_pod ?? r.sender_ip;
const senderClass = (r: RstOut) => (r.sender_pod ? 'pod' : r.sender_node ? 'node' : 'external / unattributed');

/** Per-sender counts from the loaded events (used until rst.summary answers). */
export function countBySender(rows: readonly RstOut[]): CountBy[] {
  const m = new Map<string, CountBy>();
  for (const r of rows) {
    const k = senderLabel(r);
    let c = m.get(k);
    if (!c) m.set(k, (c = { key: k, count: 0, endpoint: 0, node: 0, middlebox: 0, unknown: 0 }));
    c.count++;
    if (r.verdict === 'endpoint') c.endpoint++;
    else if (r.verdict === 'node') c.node++;
    else if (r.verdict === 'middlebox-suspect') c.middlebox++;
    else c.unknown++;
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Export and tooltip text: every capture point with its full path. */
const seenAtText = (r: RstOut) => r.seen_at.map((s) => `${s.source}${s.interface ? ` (${s.interface})` : ''}`).join('; ');

const COLUMNS: TableColumn<RstOut>[] = [
  { key: 'ts', title: 'Time (UTC)', get: (r) => r.ts, render: (r) => fmtTime(r.ts) },
  { key: 'sender', title: 'Sender', get: (r) => fmtEndpoint(r.sender_ip, r.sender_port) },
  { key: 'sender_pod', title: 'Sender pod', get: (r) => r.sender_pod },
  { key: 'receiver', title: 'Receiver', get: (r) => fmtEndpoint(r.receiver_ip, r.receiver_port) },
  { key: 'sender_role', title: 'Role', get: (r) => r.sender_role },
  { key: 'ttl', title: 'TTL / baseline', get: (r) => r.ttl, render: (r) => `${r.ttl}${r.ttl_baseline !== null ? ` / ${r.ttl_baseline}` : ''}`, numeric: true },
  { key: 'idle_before_s', title: 'Idle before (s)', get: (r) => r.idle_before_s, numeric: true },
  { key: 'verdict', title: 'Verdict', get: (r) => r.verdict, render: (r) => <span className={`verdict v-${r.verdict}`}>{r.verdict}</span> },
  { key: 'reason', title: 'Why', get: (r) => r.reason },
  { key: 'rule', title: 'Node rule', get: (r) => r.rule },
  { key: 'seen_at', title: 'Seen at', get: seenAtText, render: (r) => <span title={seenAtText(r)}>{seenAtShort(r.seen_at)}</span> },
];

export function RstView() {
  const { window, go } = useApp();
  const list = useApi('rst.list', { ...window, limit: RST_LIMIT });
  const summary = useApi('rst.summary', window);
  const rows = list.data ?? [];

  const bySender = useMemo(() => summary.data?.bySender ?? countBySender(rows), [summary.data, rows]);
  const classes = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(senderClass(r), (m.get(senderClass(r)) ?? 0) + 1);
    return [...m.entries()];
  }, [rows]);

  const openFlow = useCallback((r: RstOut) => go('flows', { filter: flowDisplayFilter(r.flow) }), [go]);
  const drawScatter = useCallback((svg: SVGSVGElement, width: number) => {
    renderScatterTimeline(svg, rows.map((r) => ({
      ts: r.ts,
      lane: senderLabel(r),
      verdict: r.verdict,
      title: `${fmtTime(r.ts)} ${fmtEndpoint(r.sender_ip, r.sender_port)} → ${fmtEndpoint(r.receiver_ip, r.receiver_port)}, TTL ${r.ttl}: ${r.verdict} (${r.reason})`,
    })), {
      width, height: 220, label: 'RSTs over time by sender, coloured by verdict',
      domain: window.fromUs !== undefined && window.toUs !== undefined ? [window.fromUs / 1e6, window.toUs / 1e6] : undefined,
      onPick: (i) => openFlow(rows[i]),
    });
  }, [rows, window, openFlow]);
  const drawBars = useCallback((svg: SVGSVGElement, width: number) => {
    renderBars(svg, bySender.map((c) => ({ key: c.key, values: [c.endpoint, c.node, c.middlebox, c.unknown] })), {
      width, height: 160, label: 'RSTs by sender', series: SERIES,
      onPick: (key) => go('flows', { filter: /^[0-9a-fA-F:.]+$/.test(key) ? `ip.addr == ${key} && tcp.flags.reset == 1` : 'tcp.flags.reset == 1' }),
    });
  }, [bySender, go]);

  return (
    <div className="view" data-testid="view-rst">
      <h2>RST origins</h2>
      <p className="lead">Who reset the connections: the endpoint itself, this node (seen on a pod's veth but never on the uplink, or one hop short of the sender's TTL; with the REJECT rule that matches), or something in between (TTL or IP ID out of line with the sender's other packets, or after an idle timeout). Click a point or a bar to see its flows.</p>
      <QueryState q={list} what="RST events" channel="rst.list" isEmpty={(d) => d.length === 0}
        empty={<Empty title="No RSTs in this window">Resets show up from packet captures (tcpdump on a pod's veth or <code>-i any</code> on the node).</Empty>}>
        {(data) => (
          <>
            <div className="stat-row" data-testid="rst-stats">
              <span className="stat"><strong data-testid="rst-total">{data.length.toLocaleString('en-US')}</strong> RSTs{data.length === RST_LIMIT ? ' (first 20,000)' : ''}</span>
              {SERIES.map((s) => (
                <span className="stat" key={s.label}><span className="swatch" style={{ background: s.color }} /> <strong data-testid={`rst-${s.label}`}>{data.filter((r) => r.verdict === s.label).length}</strong> {s.label}</span>
              ))}
              {classes.map(([k, n]) => <span className="stat" key={k}><strong>{n}</strong> from {k}</span>)}
            </div>
            <Chart title="RSTs over time" draw={drawScatter} description="one row per sender" testId="rst-scatter" />
            <Chart title={`RSTs by sender${summary.data ? '' : ' (from the loaded events)'}`} draw={drawBars} testId="rst-bars" />
            <DataTable title="RST events" rows={data} columns={COLUMNS} rowKey={(r) => String(r.id)} onActivate={openFlow} testId="rst-table" maxHeight={420} />
          </>
        )}
      </QueryState>
    </div>
  );
}
