import * as d3 from 'd3';
import { clip, frame, INK, legend, MUTED, styleAxis, type Size } from './common';

export interface BarRow {
  key: string;
  /** Stacked segments in series order. */
  values: number[];
  title?: string;
}

export interface BarOptions extends Size {
  label: string;
  series: { label: string; color: string }[];
  onPick?(key: string): void;
  /** Optional vertical reference line (e.g. the SNAT allocation), with its label. */
  reference?: { value: number; label: string };
  maxRows?: number;
}

/** Horizontal stacked bars, largest first as given; each bar shows its total. */
export function renderBars(svg: SVGSVGElement, rows: readonly BarRow[], o: BarOptions): void {
  const shown = rows.slice(0, o.maxRows ?? 25);
  const rowH = 22;
  const height = Math.max(o.height, shown.length * rowH + 56);
  const { g, w, h } = frame(svg, { width: o.width, height }, { top: 24, right: 60, bottom: 24, left: 170 }, o.label);
  const total = (r: BarRow) => r.values.reduce((a, b) => a + b, 0);
  const max = Math.max(1, d3.max(shown, total) ?? 1, o.reference?.value ?? 0);
  const x = d3.scaleLinear().domain([0, max]).range([0, w]).nice();
  const y = d3.scaleBand<string>().domain(shown.map((r) => r.key)).range([0, h]).padding(0.25);

  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(w / 80)), max >= 10_000 ? '~s' : ',~f')));
  const yAxis = g.append('g').call(d3.axisLeft(y).tickFormat((d) => clip(d, 26)));
  styleAxis(yAxis);
  yAxis.selectAll<SVGTextElement, string>('.tick text').attr('fill', INK).append('title').text((d) => d);

  const bar = g.append('g').selectAll('g').data(shown).join('g')
    .attr('transform', (r) => `translate(0,${y(r.key) ?? 0})`)
    .attr('data-key', (r) => r.key)
    .style('cursor', o.onPick ? 'pointer' : 'default')
    .on('click', (_e, r) => o.onPick?.(r.key));
  bar.each(function (r) {
    let acc = 0;
    const sel = d3.select(this);
    r.values.forEach((v, i) => {
      if (v <= 0) return;
      sel.append('rect').attr('x', x(acc)).attr('width', Math.max(1, x(acc + v) - x(acc))).attr('height', y.bandwidth())
        .attr('fill', o.series[i]?.color ?? MUTED).attr('rx', 1.5);
      acc += v;
    });
    sel.append('text').attr('x', x(acc) + 4).attr('y', y.bandwidth() / 2).attr('dy', '0.35em').attr('fill', INK).attr('class', 'bar-total').text(Number.isInteger(acc) ? String(acc) : String(+acc.toFixed(3)));
    sel.append('title').text(r.title ?? `${r.key}: ${r.values.map((v, i) => `${o.series[i]?.label ?? i} ${v}`).join(', ')}`);
  });
  if (o.reference) {
    const rx = x(o.reference.value);
    g.append('line').attr('x1', rx).attr('x2', rx).attr('y1', -4).attr('y2', h).attr('stroke', '#c53030').attr('stroke-dasharray', '4 3');
    g.append('text').attr('x', rx).attr('y', h + 20).attr('text-anchor', 'middle').attr('fill', '#c53030').text(o.reference.label);
  }
  if (o.series.length > 1) legend(g, o.series, 0, -10);
}
