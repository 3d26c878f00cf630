/** The charts' date axis: at most eight labels however long the track record, so they never overlap. */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '#shared/dates.ts';
import { periodStarts } from '#shared/report/charts/axes.ts';

describe('periodStarts', () => {
  it('labels ten years every two years, on 1 January', () => {
    const { days, label } = periodStarts(dayNumber(2016, 1, 4), dayNumber(2025, 12, 31));
    expect(days.map(label)).toEqual(['2018', '2020', '2022', '2024']);
  });

  it('labels a million weekdays (about 3,800 years) at most eight times', () => {
    const first = dayNumber(1990, 1, 1);
    const { days, label } = periodStarts(first, first + Math.ceil((1_000_000 * 7) / 5));
    expect(days.length).toBeGreaterThanOrEqual(3);
    expect(days.length).toBeLessThanOrEqual(8);
    expect(days.map(label)[0]).toBe('2000');
  });
});
