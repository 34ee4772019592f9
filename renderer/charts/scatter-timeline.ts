import * as d3 from 'd3';
import { frame, GRID, INK, legend, MUTED, styleAxis, utcTick, VERDICT_COLORS, type Size } from './common';
import { clip } from './labels';

export interface ScatterPoint {
  /** Epoch seconds. */
  ts: number;
  /** Row the point sits on (sender). */
  lane: string;
  verdict: string;
  title: string;
}

export interface ScatterOptions extends Size {
  label: string;
  onPick?(index: number): void;
  /** Epoch seconds; defaults to the points' extent. */
  domain?: [number, number];
}

/** RST events over time, one row per sender, coloured by verdict. */
export function renderScatterTimeline(svg: SVGSVGElement, points: readonly ScatterPoint[], o: ScatterOptions): void {
  const lanes = [...new Set(points.map((p) => p.lane))].slice(0, 40);
  const laneH = 22;
  const height = Math.max(o.height, lanes.length * laneH + 60);
  const { g, w, h } = frame(svg, { width: o.width, height }, { top: 24, right: 16, bottom: 28, left: 150 }, o.label);
  const ext = o.domain ?? (d3.extent(points, (p) => p.ts) as [number, number]);
  const lo = ext[0] ?? 0;
  const hi = ext[1] ?? lo + 1;
  const x = d3.scaleUtc().domain([new Date(lo * 1000), new Date((hi === lo ? lo + 1 : hi) * 1000)]).range([0, w]).nice();
  const y = d3.scaleBand<string>().domain(lanes).range([0, h]).padding(0.2);

  g.append('g').selectAll('line').data(lanes).join('line')
    .attr('x1', 0).attr('x2', w).attr('y1', (d) => (y(d) ?? 0) + y.bandwidth() / 2).attr('y2', (d) => (y(d) ?? 0) + y.bandwidth() / 2)
    .attr('stroke', GRID);
  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))).tickFormat(utcTick)));
  const yAxis = g.append('g').call(d3.axisLeft(y).tickFormat((d) => clip(d, 24)));
  styleAxis(yAxis);
  yAxis.selectAll<SVGTextElement, string>('.tick text').attr('fill', INK).append('title').text((d) => d);

  const laneSet = new Set(lanes);
  g.append('g').selectAll('circle')
    .data(points.map((p, i) => ({ p, i })).filter(({ p }) => laneSet.has(p.lane)))
    .join('circle')
    .attr('data-verdict', (d) => d.p.verdict)
    .attr('cx', (d) => x(new Date(d.p.ts * 1000)))
    .attr('cy', (d) => (y(d.p.lane) ?? 0) + y.bandwidth() / 2)
    .attr('r', 4.5)
    .attr('fill', (d) => VERDICT_COLORS[d.p.verdict] ?? MUTED)
    .attr('fill-opacity', 0.85)
    .attr('stroke', '#fff')
    .attr('stroke-width', 0.8)
    .style('cursor', o.onPick ? 'pointer' : 'default')
    .on('click', (_e, d) => o.onPick?.(d.i))
    .append('title').text((d) => d.p.title);

  legend(g, Object.entries(VERDICT_COLORS).map(([label, color]) => ({ label, color })), 0, -10);
}
