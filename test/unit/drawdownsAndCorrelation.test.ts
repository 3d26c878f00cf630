/** The tearsheet's extra figures on series with known answers: drawdown spells and correlations. */
import { describe, expect, it } from 'vitest';
import { correlation, correlationMatrix } from '#shared/calc/correlation.ts';
import { drawdownPeriods, worstDrawdowns } from '#shared/calc/drawdowns.ts';
import { days } from '#test/support/series.ts';

describe('drawdownPeriods', () => {
  const calendar = days('2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-08', '2024-01-09', '2024-01-10');
  // Curve: 1 -> 0.9 -> 0.81 -> 0.9 -> 1.0 (recovered) -> 1.1 -> 0.99 (still under water at the end).
  const returns = Float64Array.of(-0.1, -0.1, 0.9 / 0.81 - 1, 1 / 0.9 - 1, 0.1, -0.1, 0);

  it('finds each spell under water from its first to its last date, with its lowest point', () => {
    const periods = drawdownPeriods(returns, calendar, 0, 6);
    expect(periods.map(({ start, valley, end, days: length, recovered }) => ({ start, valley, end, length, recovered }))).toEqual([
      { start: 0, valley: 1, end: 2, length: 3, recovered: true },
      { start: 5, valley: 5, end: 6, length: 2, recovered: false },
    ]);
    expect(periods[0]?.depth).toBeCloseTo(-0.19, 12);
    expect(periods[1]?.depth).toBeCloseTo(-0.1, 12);
  });

  it('ranks the deepest first and keeps only as many as asked', () => {
    const periods = drawdownPeriods(returns, calendar, 0, 6);
    expect(worstDrawdowns(periods, 1).map((period) => period.start)).toEqual([0]);
    expect(worstDrawdowns(periods, 5)).toHaveLength(2);
  });

  it('sees no drawdown in a curve that never falls', () => {
    expect(drawdownPeriods(Float64Array.of(0.01, 0, 0.02), calendar, 0, 2)).toEqual([]);
  });
});

describe('correlation', () => {
  const series = (values: number[], spanStart = 0, spanEnd = values.length - 1) => ({ returns: Float64Array.from(values), spanStart, spanEnd });

  it('is 1 for series moving together, -1 for opposite ones, and Pearson r otherwise', () => {
    expect(correlation(series([0.01, 0.02, -0.01, 0.03]), series([0.02, 0.04, -0.02, 0.06]))).toBeCloseTo(1, 12);
    expect(correlation(series([0.01, 0.02, -0.01, 0.03]), series([-0.01, -0.02, 0.01, -0.03]))).toBeCloseTo(-1, 12);
    // x = 1,2,3,4 and y = 1,3,2,4: r = 0.8.
    expect(correlation(series([1, 2, 3, 4]), series([1, 3, 2, 4]))).toBeCloseTo(0.8, 12);
  });

  it('reads only the dates both spans cover, and is null with fewer than three or a flat series', () => {
    // Outside the shared span (days 0 and 5) the values would spoil a perfect correlation.
    expect(correlation(series([9, 1, 2, 3, 4, -9], 1, 4), series([-9, 2, 4, 6, 8, 9], 0, 5))).toBeCloseTo(1, 12);
    expect(correlation(series([1, 2, 3], 0, 1), series([1, 2, 3]))).toBeNull();
    expect(correlation(series([0, 0, 0, 0]), series([1, 2, 3, 4]))).toBeNull();
  });

  it('fills a symmetric matrix with 1 on the diagonal', () => {
    const matrix = correlationMatrix([series([1, 2, 3, 4]), series([1, 3, 2, 4]), series([0, 0, 0, 0])]);
    expect(matrix[0]?.[1]).toBeCloseTo(0.8, 12);
    expect(matrix[1]?.[0]).toBe(matrix[0]?.[1]);
    expect(matrix.map((row, i) => row[i])).toEqual([1, 1, null]);
  });
});
