/**
 * A series reduced to what a line drawn across some pixel columns shows (issue 13, item 4): in
 * each column its first, lowest, highest and last point. The line through them has every pixel
 * of the line through all the points, so a million-row series charts and hovers as a few thousand.
 */

/**
 * Indexes `from..to` (inclusive) of `xs`/`ys` to keep, in order: per pixel column (of `columns`
 * spanning `xMin..xMax`) the first, lowest, highest and last point, each once.
 */
export function pixelColumnPoints(xs: ArrayLike<number>, ys: ArrayLike<number>, from: number, to: number, xMin: number, xMax: number, columns: number): Int32Array {
  const kept = new Int32Array(Math.max(0, Math.min(to - from + 1, 4 * columns)));
  let count = 0;
  const perPixel = xMax > xMin ? columns / (xMax - xMin) : 0;
  const lastColumn = columns - 1;
  const columnOf = (index: number): number => Math.min(lastColumn, Math.max(0, Math.floor(((xs[index] ?? xMin) - xMin) * perPixel)));
  const keep = (index: number): void => {
    if (count === 0 || kept[count - 1] !== index) kept[count++] = index;
  };
  let start = from;
  // A million-row series passes here once per chart and once per hover panel: one read of each
  // point, the column's extremes held in locals.
  while (start <= to) {
    const column = columnOf(start);
    let end = start;
    let lowest = start;
    let highest = start;
    let low = ys[start] ?? 0;
    let high = low;
    while (end < to && columnOf(end + 1) === column) {
      end += 1;
      const value = ys[end] ?? 0;
      if (value < low) {
        low = value;
        lowest = end;
      }
      if (value > high) {
        high = value;
        highest = end;
      }
    }
    // The four in index order, each once: the line visits them as the data does.
    keep(start);
    keep(Math.min(lowest, highest));
    keep(Math.max(lowest, highest));
    keep(end);
    start = end + 1;
  }
  return kept.subarray(0, count);
}
