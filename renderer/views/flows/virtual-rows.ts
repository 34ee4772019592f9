/**
 * Which rows a virtualized table shows for a scroll position. Browsers cap an element's height
 * (~16–33 M px), so past MAX_SCROLL_PX the scroll range is scaled: the scroll fraction picks the
 * row, and the window of rows is drawn at the scroll position. Pure, unit-tested.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface RowWindow {
  /** Height of the scrolled content. */
  innerHeight: number;
  /** First row drawn. */
  first: number;
  /** Rows drawn (first .. first + count - 1). */
  count: number;
  /** Where (in content px) the first drawn row's top sits. */
  top: number;
}

export function rowWindow(total: number, rowHeight: number, viewHeight: number, scrollTop: number): RowWindow {
  const fullHeight = total * rowHeight;
  const innerHeight = Math.min(fullHeight, MAX_SCROLL_PX);
  const visible = Math.ceil(viewHeight / rowHeight) + 1;
  if (total === 0) return { innerHeight: 0, first: 0, count: 0, top: 0 };
  const maxScroll = Math.max(0, innerHeight - viewHeight);
  const frac = maxScroll > 0 ? Math.min(1, Math.max(0, scrollTop / maxScroll)) : 0;
  const topRow = frac * Math.max(0, total - viewHeight / rowHeight);
  const first = Math.min(Math.floor(topRow), Math.max(0, total - 1));
  const offset = (topRow - first) * rowHeight;
  return { innerHeight, first, count: Math.min(visible, total - first), top: Math.max(0, Math.min(scrollTop, maxScroll) - offset) };
}

/** Pages of `pageSize` rows that cover rows [first, first + count). */
export function pagesFor(first: number, count: number, pageSize: number): number[] {
  if (count <= 0) return [];
  const a = Math.floor(first / pageSize);
  const b = Math.floor((first + count - 1) / pageSize);
  const out: number[] = [];
  for (let p = a; p <= b; p++) out.push(p);
  return out;
}
