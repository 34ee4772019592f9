/**
 * The k-th smallest value (0-based) by quickselect, reordering `xs` in place: a median over a
 * few hundred thousand lifetimes without sorting them all.
 */
export function nthSmallest(xs: Float64Array, k: number): number {
  if (k < 0 || k >= xs.length) throw new RangeError(`nthSmallest: ${k} outside 0..${xs.length - 1}`);
  let lo = 0;
  let hi = xs.length - 1;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted and reversed input linear.
    const mid = (lo + hi) >>> 1;
    const a = xs[lo], b = xs[mid], c = xs[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i] < pivot) i++;
      while (xs[j] > pivot) j--;
      if (i <= j) {
        const t = xs[i]; xs[i] = xs[j]; xs[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return xs[k];
  }
  return xs[k];
}
