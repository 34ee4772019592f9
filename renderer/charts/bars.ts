import * as d3 from 'd3';
import { frame, INK, legend, MUTED, styleAxis, type Size } from './common';
import { clip, distinctClips } from './labels';

const REFERENCE_COLOR = '#c53030';

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
  // Room for the longest label up to a third of the width (~6.2 px a character at 10 px).
  const labelChars = Math.max(12, Math.min(d3.max(shown, (r) => r.key.length) ?? 12, Math.floor((o.width / 3) / 6.2)));
  const { g, w, h } = frame(svg, { width: o.width, height }, { top: 24, right: 60, bottom: 24, left: labelChars * 6.2 + 14 }, o.label);
  const total = (r: BarRow) => r.values.reduce((a, b) => a + b, 0);
  const dataMax = Math.max(1, d3.max(shown, total) ?? 1);
  // A reference far beyond the data (4 ports of a 1,024 allocation) would squash every bar to a
  // sliver: then the axis follows the data and the reference is named at the edge instead.
  const refOnScale = o.reference !== undefined && o.reference.value <= dataMax * 10;
  const max = refOnScale ? Math.max(dataMax, o.reference!.value) : dataMax;
  const x = d3.scaleLinear().domain([0, max]).range([0, w]).nice();
  const y = d3.scaleBand<string>().domain(shown.map((r) => r.key)).range([0, h]).padding(0.25);

  // Counts are whole: no 0.5 ticks on a five-port axis.
  const integral = shown.every((r) => r.values.every(Number.isInteger));
  const ticks = Math.max(2, Math.min(Math.floor(w / 80), integral ? Math.ceil(x.domain()[1]) : Infinity));
  styleAxis(g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(ticks, max >= 10_000 ? '~s' : ',~f')));
  const clipped = distinctClips(shown.map((r) => r.key), labelChars);
  const labels = new Map(shown.map((r, i) => [r.key, clipped[i]]));
  const yAxis = g.append('g').call(d3.axisLeft(y).tickFormat((d) => labels.get(d) ?? clip(d, labelChars)));
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
  if (o.reference && refOnScale) {
    const rx = x(o.reference.value);
    g.append('line').attr('x1', rx).attr('x2', rx).attr('y1', -4).attr('y2', h).attr('stroke', REFERENCE_COLOR).attr('stroke-dasharray', '4 3');
    // Above the plot, so it never sits on the axis's tick labels.
    g.append('text').attr('x', rx).attr('y', -12).attr('text-anchor', rx > w - 60 ? 'end' : 'middle').attr('fill', REFERENCE_COLOR).attr('class', 'reference-label').text(o.reference.label);
  } else if (o.reference) {
    g.append('text').attr('x', w + 56).attr('y', -12).attr('text-anchor', 'end').attr('fill', REFERENCE_COLOR).attr('class', 'reference-label')
      .text(`${o.reference.label} (off scale →)`);
  }
  if (o.series.length > 1) legend(g, o.series, 0, -10);
}
