import * as d3 from 'd3';
import { frame, INK, styleAxis, utcTick, type Size } from './common';
import { clip } from './labels';

export interface Span {
  label: string;
  from: number;
  to: number;
  color: string;
  title: string;
}

/** One bar per source over its time range (what each capture or dump covers). */
export function renderSpans(svg: SVGSVGElement, spans: readonly Span[], o: Size & { label: string }): void {
  const rowH = 20;
  const height = Math.max(o.height, spans.length * rowH + 40);
  const { g, w, h } = frame(svg, { width: o.width, height }, { top: 8, right: 16, bottom: 24, left: 190 }, o.label);
  if (spans.length === 0) return;
  const t0 = d3.min(spans, (s) => s.from)!;
  const t1 = d3.max(spans, (s) => s.to)!;
  const x = d3.scaleUtc().domain([new Date(t0 * 1000), new Date((t1 === t0 ? t0 + 1 : t1) * 1000)]).range([0, w]).nice();
  const y = d3.scaleBand<number>().domain(spans.map((_, i) => i)).range([0, h]).padding(0.3);
  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 100))).tickFormat(utcTick)));
  const row = g.append('g').selectAll('g').data(spans).join('g').attr('transform', (_s, i) => `translate(0,${y(i) ?? 0})`);
  row.append('rect')
    .attr('x', (s) => x(new Date(s.from * 1000)))
    .attr('width', (s) => Math.max(3, x(new Date(s.to * 1000)) - x(new Date(s.from * 1000))))
    .attr('height', y.bandwidth()).attr('rx', 2).attr('fill', (s) => s.color);
  row.append('text').attr('x', -8).attr('y', y.bandwidth() / 2).attr('dy', '0.35em').attr('text-anchor', 'end').attr('fill', INK)
    .text((s) => clip(s.label, 30));
  row.append('title').text((s) => s.title);
}
