import * as d3 from 'd3';
import { frame, GRID, INK, MUTED, styleAxis, utcTick, VERDICT_COLORS } from './common';
import { clip } from './labels';

export interface BrushLane {
  label: string;
  /** Epoch seconds. */
  from: number;
  to: number;
}

export interface BrushData {
  /** Case extent, epoch seconds. */
  extent: [number, number];
  lanes: BrushLane[];
  /** Event ticks (RSTs), epoch seconds, coloured by verdict. */
  ticks: { ts: number; verdict: string }[];
  /** Current window, epoch seconds (null = everything). */
  selection: [number, number] | null;
}

export interface BrushOptions {
  width: number;
  label: string;
  onChange(sel: [number, number] | null): void;
}

/** The shared time brush: capture spans and RST ticks, with a d3 brush for the window. */
export function renderTimeBrush(svg: SVGSVGElement, d: BrushData, o: BrushOptions): void {
  const lanes = d.lanes.slice(0, 6);
  const height = 34 + lanes.length * 9 + 18;
  const { g, w, h } = frame(svg, { width: o.width, height }, { top: 6, right: 16, bottom: 20, left: 110 }, o.label);
  const pad = Math.max(1, (d.extent[1] - d.extent[0]) * 0.01);
  const x = d3.scaleUtc().domain([new Date((d.extent[0] - pad) * 1000), new Date((d.extent[1] + pad) * 1000)]).range([0, w]);
  const X = (s: number) => x(new Date(s * 1000));
  g.append('rect').attr('width', w).attr('height', h).attr('fill', '#f7fafc').attr('stroke', GRID);
  lanes.forEach((l, i) => {
    g.append('rect').attr('x', X(l.from)).attr('width', Math.max(2, X(l.to) - X(l.from))).attr('y', 4 + i * 9).attr('height', 6).attr('fill', '#90cdf4').attr('rx', 2)
      .append('title').text(`${l.label}: ${new Date(l.from * 1000).toISOString()} – ${new Date(l.to * 1000).toISOString()}`);
    g.append('text').attr('x', -6).attr('y', 10 + i * 9).attr('text-anchor', 'end').attr('font-size', 9).attr('fill', MUTED).text(clip(l.label.split(/[\\/]/).pop() ?? l.label, 18));
  });
  g.append('g').selectAll('line').data(d.ticks).join('line')
    .attr('x1', (t) => X(t.ts)).attr('x2', (t) => X(t.ts)).attr('y1', h - 14).attr('y2', h - 2)
    .attr('stroke', (t) => VERDICT_COLORS[t.verdict] ?? MUTED).attr('stroke-width', 1);
  g.append('text').attr('x', -6).attr('y', h - 4).attr('text-anchor', 'end').attr('font-size', 9).attr('fill', INK).text('RSTs');
  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 110))).tickFormat(utcTick)));

  const brush = d3.brushX<unknown>().extent([[0, 0], [w, h]]).on('end', (ev: d3.D3BrushEvent<unknown>) => {
    if (!ev.sourceEvent) return; // moved by code, not by the user
    const s = ev.selection as [number, number] | null;
    o.onChange(s ? [x.invert(s[0]).getTime() / 1000, x.invert(s[1]).getTime() / 1000] : null);
  });
  const bg = g.append('g').attr('class', 'brush').call(brush);
  bg.selectAll('.selection').attr('fill', '#3182ce').attr('fill-opacity', 0.18).attr('stroke', '#3182ce');
  if (d.selection) bg.call(brush.move, [X(d.selection[0]), X(d.selection[1])]);
}
