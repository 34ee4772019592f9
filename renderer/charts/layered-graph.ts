import * as d3 from 'd3';
import { frame, halo, INK, MUTED, type Size } from './common';
import { distinctClips } from './labels';

export interface GraphNode {
  id: string;
  layer: number;
  label: string;
  color?: string;
  title?: string;
}

export interface GraphLink {
  source: string;
  target: string;
  value: number;
  color?: string;
  title?: string;
}

export interface GraphOptions extends Size {
  label: string;
  layers: string[];
  onPick?(node: GraphNode): void;
}

/**
 * Nodes in columns (pod → destination; ip → pod → container → netns → veth → node), links as
 * curves whose width follows their weight. A fixed layout (no simulation): the same data draws
 * the same picture, in screenshots too.
 */
export function renderLayeredGraph(svg: SVGSVGElement, nodes: readonly GraphNode[], links: readonly GraphLink[], o: GraphOptions): void {
  const perLayer = o.layers.map((_, i) => nodes.filter((n) => n.layer === i));
  const rowH = 26;
  const height = Math.max(o.height, d3.max(perLayer, (l) => l.length * rowH)! + 50);
  const n = o.layers.length;
  // End columns keep their labels outside the links (left of the first, right of the last);
  // middle columns put theirs above the node.
  const side = Math.min(220, Math.max(90, o.width * 0.18));
  const { g, w, h } = frame(svg, { width: o.width, height }, { top: 30, right: n > 1 ? side : 20, bottom: 10, left: n > 1 ? side : 20 }, o.label);
  const colW = n > 1 ? w / (n - 1) : w;
  const endMax = Math.floor((side - 14) / 6.4);
  const midMax = Math.max(8, Math.floor((colW - 16) / 6.4));
  const colX = (li: number) => (n > 1 ? li * colW : w / 2);
  const pos = new Map<string, { x: number; y: number }>();
  perLayer.forEach((layer, li) => {
    const step = h / Math.max(1, layer.length);
    layer.forEach((nd, i) => pos.set(nd.id, { x: colX(li), y: step * (i + 0.5) }));
  });
  o.layers.forEach((name, li) => {
    g.append('text').attr('x', colX(li)).attr('y', -14).attr('text-anchor', 'middle').attr('fill', MUTED).attr('font-weight', 600).text(name);
  });
  const layerOf = new Map(nodes.map((nd) => [nd.id, nd.layer]));
  const maxV = d3.max(links, (l) => l.value) ?? 1;
  const width = d3.scaleSqrt().domain([0, maxV]).range([0.8, 8]);
  g.append('g').attr('fill', 'none').selectAll('path')
    .data(links.filter((l) => pos.has(l.source) && pos.has(l.target)))
    .join('path')
    .attr('d', (l) => {
      const a = pos.get(l.source)!;
      const b = pos.get(l.target)!;
      const mx = (a.x + b.x) / 2;
      return `M${a.x},${a.y} C${mx},${a.y} ${mx},${b.y} ${b.x},${b.y}`;
    })
    .attr('stroke', (l) => l.color ?? '#a0aec0')
    .attr('stroke-opacity', 0.5)
    .attr('stroke-width', (l) => width(l.value))
    // A link that skips columns (no pod known for a node address) is drawn dashed: nothing sits in between.
    .attr('stroke-dasharray', (l) => (Math.abs(layerOf.get(l.target)! - layerOf.get(l.source)!) > 1 ? '6 4' : null))
    .append('title').text((l) => l.title ?? `${l.source} → ${l.target}: ${l.value}`);
  const node = g.append('g').selectAll('g').data(nodes.filter((nd) => pos.has(nd.id))).join('g')
    .attr('transform', (nd) => `translate(${pos.get(nd.id)!.x},${pos.get(nd.id)!.y})`)
    .attr('data-node', (nd) => nd.id)
    .style('cursor', o.onPick ? 'pointer' : 'default')
    .on('click', (_e, nd) => o.onPick?.(nd));
  node.append('circle').attr('r', 5).attr('fill', (nd) => nd.color ?? '#4a5568').attr('stroke', '#fff');
  const first = (nd: GraphNode) => n > 1 && nd.layer === 0;
  const last = (nd: GraphNode) => n > 1 && nd.layer === n - 1;
  const shown = new Map<string, string>();
  perLayer.forEach((layer, li) => {
    const clipped = distinctClips(layer.map((nd) => nd.label), li === 0 || li === n - 1 ? endMax : midMax);
    layer.forEach((nd, i) => shown.set(nd.id, clipped[i]));
  });
  halo(node.append('text')
    .attr('x', (nd) => (first(nd) ? -9 : last(nd) ? 9 : 0))
    .attr('y', (nd) => (first(nd) || last(nd) ? 0 : -9))
    .attr('dy', (nd) => (first(nd) || last(nd) ? '0.35em' : 0))
    .attr('text-anchor', (nd) => (first(nd) ? 'end' : last(nd) ? 'start' : 'middle'))
    .attr('fill', INK))
    .text((nd) => shown.get(nd.id) ?? nd.label);
  node.append('title').text((nd) => nd.title ?? nd.label);
}
