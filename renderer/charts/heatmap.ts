import * as d3 from 'd3';
import { frame, INK, MUTED, styleAxis, utcTick, type Size } from './common';

export interface HeatCell {
  /** Bucket start, epoch seconds. */
  ts: number;
  /** Port bucket start. */
  port: number;
  count: number;
}

export interface HeatmapOptions extends Size {
  label: string;
  bucketSeconds: number;
  portBucket: number;
}

/** Source port (y) × time (x): how densely each slice of the ephemeral range is used. */
export function renderHeatmap(svg: SVGSVGElement, cells: readonly HeatCell[], o: HeatmapOptions): void {
  const { g, w, h } = frame(svg, o, { top: 22, right: 110, bottom: 40, left: 70 }, o.label);
  if (cells.length === 0) return;
  const t0 = d3.min(cells, (c) => c.ts)!;
  const t1 = d3.max(cells, (c) => c.ts)! + o.bucketSeconds;
  const p0 = d3.min(cells, (c) => c.port)!;
  const p1 = d3.max(cells, (c) => c.port)! + o.portBucket;
  const x = d3.scaleUtc().domain([new Date(t0 * 1000), new Date(t1 * 1000)]).range([0, w]);
  const y = d3.scaleLinear().domain([p0, p1]).range([h, 0]);
  const max = d3.max(cells, (c) => c.count) ?? 1;
  const color = d3.scaleSequential(d3.interpolateYlOrRd).domain([0, max]);
  g.append('g').selectAll('rect').data(cells).join('rect')
    .attr('x', (c) => x(new Date(c.ts * 1000)))
    .attr('width', (c) => Math.max(1, x(new Date((c.ts + o.bucketSeconds) * 1000)) - x(new Date(c.ts * 1000))))
    .attr('y', (c) => y(c.port + o.portBucket))
    .attr('height', (c) => Math.max(1, y(c.port) - y(c.port + o.portBucket)))
    .attr('fill', (c) => color(c.count))
    .append('title').text((c) => `${new Date(c.ts * 1000).toISOString()} ports ${c.port}–${c.port + o.portBucket - 1}: ${c.count}`);
  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 90))).tickFormat(utcTick)));
  styleAxis(g.append('g').call(d3.axisLeft(y).ticks(6, 'd')));
  // Colour key.
  const key = g.append('g').attr('transform', `translate(${w + 16},0)`);
  const steps = 20;
  for (let i = 0; i < steps; i++) {
    key.append('rect').attr('y', h - ((i + 1) * h) / steps).attr('width', 12).attr('height', h / steps + 0.5).attr('fill', color((max * (i + 0.5)) / steps));
  }
  key.append('text').attr('x', 16).attr('y', 8).attr('fill', INK).text(String(max));
  key.append('text').attr('x', 16).attr('y', h).attr('fill', INK).text('0');
  key.append('text').attr('x', 40).attr('y', -8).attr('text-anchor', 'end').attr('fill', MUTED).attr('class', 'axis-title').text('connections per cell');
  g.append('text').attr('x', w / 2).attr('y', h + 34).attr('text-anchor', 'middle').attr('fill', MUTED).attr('class', 'axis-title')
    .text(`time (UTC), ${fmtSpan(o.bucketSeconds)} per column`);
  g.append('text').attr('transform', `translate(${-52},${h / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('fill', MUTED).attr('class', 'axis-title')
    .text(o.portBucket > 1 ? `source port (${o.portBucket} per row)` : 'source port');
}

function fmtSpan(s: number): string {
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  if (s >= 1) return `${s} s`;
  return `${+(s * 1000).toFixed(3)} ms`;
}
