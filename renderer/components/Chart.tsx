import { useEffect, useRef, useState } from 'react';
import { downloadPng, downloadSvg } from '../export/download';
import { fileStem } from '../export/csv';

export interface ChartProps {
  title: string;
  /** Draws into the svg at the given width (a pure chart from renderer/charts). */
  draw(svg: SVGSVGElement, width: number): void;
  /** What the chart shows, for screen readers and the figure caption. */
  description?: string;
  testId?: string;
}

/** A figure around a pure d3 chart: follows its container's width, exports SVG and PNG. */
export function Chart({ title, draw, description, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(0);
  const [exportError, setExportError] = useState<string | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (svg.current && width > 0) draw(svg.current, width);
  }, [draw, width]);

  const name = fileStem(title);
  return (
    <figure className="chart" data-testid={testId} data-chart={name}>
      <figcaption>
        <span className="chart-title">{title}</span>
        {description && <span className="chart-desc">{description}</span>}
        <span className="chart-actions">
          <button type="button" data-export="svg" aria-label={`Export ${title} as SVG`} onClick={() => svg.current && downloadSvg(svg.current, name)}>SVG</button>
          <button type="button" data-export="png" aria-label={`Export ${title} as PNG`}
            onClick={() => svg.current && downloadPng(svg.current, name).catch((e: Error) => setExportError(e.message))}>PNG</button>
        </span>
      </figcaption>
      {exportError && <p role="alert" className="error">{exportError}</p>}
      <div ref={box} className="chart-box">
        <svg ref={svg} aria-label={title} />
      </div>
    </figure>
  );
}
