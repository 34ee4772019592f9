import * as d3 from 'd3';
import { frame, GRID, INK, MUTED, styleAxis, utcTick, type Size } from './common';

export interface LineSeries {
  label: string;
  color: string;
  points: { ts: number; value: number }[];
}

export interface LineOptions extends Size {
  label: string;
  /** Horizontal limit line (e.g. nf_conntrack_max). */
  limit?: { value: number; label: string };
  /** Vertical event marks (e.g. "table full, dropping packet"). */
  marks?: { ts: number; label: string }[];
  yLabel?: string;
}

/** Values over time against a limit, with event marks. */
export function renderLineChart(svg: SVGSVGElement, series: readonly LineSeries[], o: LineOptions): void {
  const { g, w, h } = frame(svg, o, { top: 24, right: 20, bottom: 28, left: 64 }, o.label);
  const all = series.flatMap((s) => s.points);
  const times = [...all.map((p) => p.ts), ...(o.marks ?? []).map((m) => m.ts)];
  if (times.length === 0) return;
  const [t0, t1] = d3.extent(times) as [number, number];
  const x = d3.scaleUtc().domain([new Date(t0 * 1000), new Date((t1 === t0 ? t0 + 1 : t1) * 1000)]).range([0, w]);
  const yMax = Math.max(d3.max(all, (p) => p.value) ?? 1, o.limit?.value ?? 0) * 1.05;
  const y = d3.scaleLinear().domain([0, yMax || 1]).range([h, 0]).nice();
  g.append('g').selectAll('line').data(y.ticks(5)).join('line').attr('x1', 0).attr('x2', w).attr('y1', (d) => y(d)).attr('y2', (d) => y(d)).attr('stroke', GRID);
  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))).tickFormat(utcTick)));
  styleAxis(g.append('g').call(d3.axisLeft(y).ticks(5, '~s')));
  if (o.yLabel) g.append('text').attr('x', -56).attr('y', -10).attr('fill', MUTED).text(o.yLabel);
  for (const m of o.marks ?? []) {
    const mx = x(new Date(m.ts * 1000));
    g.append('line').attr('class', 'mark').attr('x1', mx).attr('x2', mx).attr('y1', 0).attr('y2', h).attr('stroke', '#c53030').attr('stroke-width', 1.5).attr('stroke-opacity', 0.7)
      .append('title').text(m.label);
  }
  if (o.limit) {
    g.append('line').attr('x1', 0).attr('x2', w).attr('y1', y(o.limit.value)).attr('y2', y(o.limit.value)).attr('stroke', '#c53030').attr('stroke-dasharray', '5 4');
    g.append('text').attr('x', w - 4).attr('y', y(o.limit.value) - 4).attr('text-anchor', 'end').attr('fill', '#c53030').text(o.limit.label);
  }
  const line = d3.line<{ ts: number; value: number }>().x((p) => x(new Date(p.ts * 1000))).y((p) => y(p.value));
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a.ts - b.ts);
    g.append('path').attr('d', line(pts) ?? '').attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 1.8);
    g.append('g').selectAll('circle').data(pts).join('circle').attr('cx', (p) => x(new Date(p.ts * 1000))).attr('cy', (p) => y(p.value)).attr('r', 2.2).attr('fill', s.color)
      .append('title').text((p) => `${s.label} ${new Date(p.ts * 1000).toISOString()}: ${p.value}`);
  }
  let off = 0;
  for (const s of series) {
    g.append('rect').attr('x', off).attr('y', -18).attr('width', 10).attr('height', 3).attr('fill', s.color);
    g.append('text').attr('x', off + 14).attr('y', -13).attr('fill', INK).text(s.label);
    off += 30 + s.label.length * 6.2;
  }
}
