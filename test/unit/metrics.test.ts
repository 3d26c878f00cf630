/** SPEC 7 by hand: each metric's convention on a series small enough to follow. */
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '#shared/calc/metrics.ts';
import { calendarMonths } from '#shared/dates.ts';
import { days } from '#test/support/series.ts';

const settings = { periodsPerYear: 252, riskFreeRate: 0 };

function metricsOf(returns: number[], dates: Int32Array, riskFreeRate = 0) {
  return computeMetrics(
    Float64Array.from(returns),
    { calendar: dates, months: calendarMonths(dates), first: 0, last: returns.length - 1 },
    { ...settings, riskFreeRate },
  );
}

describe('computeMetrics', () => {
  const dates = days('2024-01-30', '2024-01-31', '2024-02-01', '2024-02-05');
  const metrics = metricsOf([0.1, -0.2, 0.05, 0], dates);

  it('compounds the total return and splits it by month', () => {
    expect(metrics.totalReturn).toBeCloseTo(1.1 * 0.8 * 1.05 - 1, 15);
    expect(metrics.monthlyReturns['2024-01']).toBeCloseTo(1.1 * 0.8 - 1, 15);
    expect(metrics.monthlyReturns['2024-02']).toBeCloseTo(0.05, 15);
    expect(Object.keys(metrics.monthlyReturns)).toEqual(['2024-01', '2024-02']);
  });

  it('counts years in calendar days / 365.25 and annualizes growth over them', () => {
    expect(metrics.years).toBe(6 / 365.25);
    expect(metrics.cagr).toBeCloseTo((1 + metrics.totalReturn) ** (365.25 / 6) - 1, 12);
  });

  it('has no CAGR (null, and no Calmar) when a capital-less sleeve\'s return below -100 % turns its growth negative', () => {
    // Part B: a sleeve holding no capital still shows its strategy's scaled return, which a minimum
    // position of 1 unit against 0.5 implied can make -120 %: growth 0.8 x -0.2, no real root.
    const negative = metricsOf([-0.2, -1.2, 0.1], days('2024-01-02', '2024-01-03', '2024-01-04'));
    expect(negative.totalReturn).toBeCloseTo(0.8 * -0.2 * 1.1 - 1, 15);
    expect(negative.cagr).toBeNull();
    expect(negative.calmar).toBeNull();
  });

  it('measures drawdown from the running peak, the start counting as a peak', () => {
    expect(metrics.maxDrawdown).toBeCloseTo(0.8 - 1, 15);
    // Under water from 2024-01-31 to 2024-02-05 (never recovered): 6 calendar days, both ends counted.
    expect(metrics.longestDrawdownDays).toBe(6);
    expect(metricsOf([-0.01, 0.02], days('2024-01-01', '2024-01-02')).maxDrawdown).toBeCloseTo(-0.01, 15);
  });

  it('computes volatility, Sharpe and Sortino with ddof 1 and sqrt(252)', () => {
    const values = [0.1, -0.2, 0.05, 0];
    const mean = values.reduce((sum, value) => sum + value, 0) / 4;
    const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 3);
    expect(metrics.volatility).toBeCloseTo(std * Math.sqrt(252), 12);
    expect(metrics.sharpe).toBeCloseTo((mean / std) * Math.sqrt(252), 12);
    expect(metrics.sortino).toBeCloseTo((mean / Math.sqrt(0.04 / 4)) * Math.sqrt(252), 12);
    expect(metrics.calmar).toBeCloseTo((metrics.cagr ?? 0) / 0.2, 9);
  });

  it('counts wins among non-zero days and reports the best and worst day', () => {
    expect(metrics.winRate).toBe(2 / 3);
    expect(metrics.bestDay).toBe(0.1);
    expect(metrics.worstDay).toBe(-0.2);
  });

  it('subtracts the daily risk-free rate (1 + rf)^(1/P) - 1 from each return', () => {
    const withRate = metricsOf([0.01, 0.02, -0.01], days('2024-01-01', '2024-01-02', '2024-01-03'), 0.05);
    const daily = 1.05 ** (1 / 252) - 1;
    const excess = [0.01 - daily, 0.02 - daily, -0.01 - daily];
    const mean = excess.reduce((sum, value) => sum + value, 0) / 3;
    const std = Math.sqrt(excess.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 2);
    expect(withRate.sharpe).toBeCloseTo((mean / std) * Math.sqrt(252), 10);
  });

  it('leaves undefined figures null: one day, all days equal, no loss, no non-zero day', () => {
    const one = metricsOf([0.01], days('2024-01-01'));
    expect([one.cagr, one.volatility, one.sharpe]).toEqual([null, null, null]);
    const flat = metricsOf([0, 0, 1e-13], days('2024-01-01', '2024-01-02', '2024-01-03'));
    expect([flat.sharpe, flat.sortino, flat.winRate, flat.calmar]).toEqual([null, null, null, null]);
    expect(flat.longestDrawdownDays).toBe(0);
    const gains = metricsOf([0.01, 0.02], days('2024-01-01', '2024-01-02'));
    expect([gains.sortino, gains.calmar]).toEqual([null, null]);
  });

  it('reads only the window of a strategy span', () => {
    const calendar = days('2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04');
    const spanned = computeMetrics(Float64Array.of(0.5, 0.01, 0.02, 0.5), { calendar, months: calendarMonths(calendar), first: 1, last: 2 }, settings);
    expect(spanned.totalReturn).toBeCloseTo(1.01 * 1.02 - 1, 15);
    expect(spanned.years).toBe(1 / 365.25);
  });
});
