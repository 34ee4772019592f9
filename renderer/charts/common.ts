/**
 * Shared pieces of the pure d3 charts: every chart is `render(svg, data, opts)` — data in, SVG out,
 * styles as attributes (so exported SVG/PNG look the same), text only through `.text()`.
 */
import * as d3 from 'd3';

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const INK = '#1a202c';
export const MUTED = '#718096';
export const GRID = '#e2e8f0';

export const VERDICT_COLORS: Record<string, string> = {
  endpoint: '#2b6cb0',
  node: '#9b2c2c',
  'middlebox-suspect': '#dd6b20',
  unknown: '#a0aec0',
};

export const PUBLIC_COLOR = '#c53030';
export const PRIVATE_COLOR = '#2f855a';

export interface Size {
  width: number;
  height: number;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Clears the svg and returns the plot group inside the margins. */
export function frame(svg: SVGSVGElement, size: Size, m: Margin, label: string) {
  const root = d3.select(svg);
  root.selectAll('*').remove();
  root.attr('viewBox', `0 0 ${size.width} ${size.height}`)
    .attr('width', size.width)
    .attr('height', size.height)
    .attr('font-family', FONT)
    .attr('font-size', 11)
    .attr('role', 'img');
  root.append('title').text(label);
  const g = root.append('g').attr('transform', `translate(${m.left},${m.top})`);
  return { root, g, w: Math.max(10, size.width - m.left - m.right), h: Math.max(10, size.height - m.top - m.bottom) };
}

export function styleAxis(sel: d3.Selection<SVGGElement, unknown, null, undefined>): void {
  sel.attr('font-family', FONT).attr('font-size', 10).attr('color', MUTED);
  sel.selectAll('.domain').attr('stroke', GRID);
  sel.selectAll('line').attr('stroke', GRID);
}

/** UTC time axis labels; microsecond inputs are converted by callers. */
export const utcTick = (d: Date | d3.NumberValue): string => {
  const t = d instanceof Date ? d : new Date(Number(d));
  const s = t.getUTCSeconds();
  const ms = t.getUTCMilliseconds();
  if (ms) return d3.utcFormat('%H:%M:%S.%L')(t);
  if (s) return d3.utcFormat('%H:%M:%S')(t);
  if (t.getUTCHours() || t.getUTCMinutes()) return d3.utcFormat('%H:%M')(t);
  return d3.utcFormat('%b %d')(t);
};

/** A white outline behind text, so lines drawn under a label do not cross its letters. */
export function halo<S extends d3.Selection<SVGTextElement, any, any, any>>(sel: S): S {
  sel.attr('stroke', '#fff').attr('stroke-width', 3).attr('stroke-linejoin', 'round').attr('paint-order', 'stroke');
  return sel;
}

export function legend(g: d3.Selection<SVGGElement, unknown, null, undefined>, items: { label: string; color: string }[], x: number, y: number): void {
  const l = g.append('g').attr('transform', `translate(${x},${y})`);
  let off = 0;
  for (const it of items) {
    const item = l.append('g').attr('transform', `translate(${off},0)`);
    item.append('rect').attr('width', 10).attr('height', 10).attr('y', -9).attr('fill', it.color).attr('rx', 2);
    item.append('text').attr('x', 14).attr('fill', INK).text(it.label);
    off += 22 + it.label.length * 6.2;
  }
}
