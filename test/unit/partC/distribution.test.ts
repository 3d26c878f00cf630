/**
 * SPEC 18.1 by hand: the keys part C adds to every metrics set M (skew, kurtosis, historical
 * VaR/CVaR, probabilistic Sharpe), on series small enough to follow. The expected figures were
 * computed apart from this code, from the SPEC's formulas (pandas' bias corrections, Bailey and
 * Lopez de Prado's PSR with Python's math.erfc).
 */
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '#shared/calc/metrics.ts';
import { standardNormalCdf } from '#shared/calc/probabilisticSharpe.ts';
import { dollarTailRisk, tailRisk } from '#shared/calc/valueAtRisk.ts';
import { calendarMonths } from '#shared/dates.ts';
import { near } from '#test/support/partB.ts';

function metricsOf(returns: readonly number[], riskFreeRate = 0) {
  const dates = Int32Array.from(returns, (_, i) => 19_800 + i);
  return computeMetrics(
    Float64Array.from(returns),
    { calendar: dates, months: calendarMonths(dates), first: 0, last: returns.length - 1 },
    { periodsPerYear: 252, riskFreeRate },
  );
}

describe('skew and kurtosis (pandas\' skew() and kurt())', () => {
  const metrics = metricsOf([0.1, -0.2, 0.05, 0, 0.03, -0.01]);

  it('are the bias-corrected sample skewness and excess kurtosis', () => {
    expect(near(metrics.skew ?? Number.NaN, -1.646214444670731)).toBe(true);
    expect(near(metrics.kurtosis ?? Number.NaN, 3.452971438459227)).toBe(true);
  });

  it('need 3 and 4 values, and a series that moves by more than 1e-12', () => {
    expect(metricsOf([0.01, 0.02]).skew).toBeNull();
    expect(metricsOf([0.01, 0.02, -0.01]).skew).not.toBeNull();
    expect(metricsOf([0.01, 0.02, -0.01]).kurtosis).toBeNull();
    const flat = metricsOf([0.01, 0.01 + 1e-13, 0.01, 0.01 - 1e-13, 0.01]);
    expect([flat.skew, flat.kurtosis]).toEqual([null, null]);
  });

  it('is 0 for a symmetric series', () => {
    expect(metricsOf([-0.02, -0.01, 0, 0.01, 0.02]).skew).toBeCloseTo(0, 14);
  });
});

describe('historical VaR and CVaR', () => {
  it('take the k-th worst day, k = max(1, ceil(a n)), as a positive loss', () => {
    // 21 days from -10 % to +10 %: k = ceil(1.05) = 2 at 95 %, k = 1 at 99 %.
    const values = Float64Array.from({ length: 21 }, (_, i) => (i - 10) / 100);
    const risk = tailRisk(values, 0, 20);
    expect(risk.var95).toBe(0.09);
    expect(risk.cvar95).toBeCloseTo(0.095, 15);
    expect(risk.var99).toBe(0.1);
    expect(risk.cvar99).toBe(0.1);
    // 20 days: ceil(0.05 * 20) = 1, exactly.
    expect(tailRisk(values, 1, 20).var95).toBe(0.09);
  });

  it('are negative when even the k-th worst day is a gain', () => {
    expect(tailRisk(Float64Array.of(0.01, 0.03, 0.02), 0, 2)).toEqual({ var95: -0.01, cvar95: -0.01, var99: -0.01, cvar99: -0.01 });
  });

  it('select the same k worst days as sorting would, ties and all', () => {
    const valuesArb = fc.array(fc.oneof(fc.constantFrom(-0.01, 0, 0.01), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(valuesArb, (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const tail = (share: number) => {
          const k = Math.max(1, Math.ceil(share * values.length));
          return { valueAtRisk: -(sorted[k - 1] ?? 0), shortfall: -(sorted.slice(0, k).reduce((sum, value) => sum + value, 0) / k) };
        };
        const risk = tailRisk(Float64Array.from(values), 0, values.length - 1);
        const at95 = tail(0.05);
        const at99 = tail(0.01);
        return (
          risk.var95 === at95.valueAtRisk &&
          risk.var99 === at99.valueAtRisk &&
          near(risk.cvar95 ?? Number.NaN, at95.shortfall) &&
          near(risk.cvar99 ?? Number.NaN, at99.shortfall)
        );
      }),
    );
  });

  it('read a window of the series only, and in dollars carry the Usd names', () => {
    const pnl = Float64Array.of(-5000, 100, -300, 250);
    expect(dollarTailRisk(pnl, 1, 3)).toEqual({ var95Usd: 300, cvar95Usd: 300, var99Usd: 300, cvar99Usd: 300 });
  });
});

describe('probabilistic Sharpe', () => {
  it('is Phi(SR sqrt(n-1) / sqrt(1 - g3 SR + (g4-1)/4 SR^2)) over the excess returns', () => {
    const returns = [0.1, -0.2, 0.05, 0, 0.03, -0.01];
    expect(near(metricsOf(returns).probabilisticSharpe ?? Number.NaN, 0.4556299755060715)).toBe(true);
    expect(near(metricsOf(returns, 0.03).probabilisticSharpe ?? Number.NaN, 0.45456227402935834)).toBe(true);
  });

  it('is null below three days and for a series that does not move', () => {
    expect(metricsOf([0.01, 0.02]).probabilisticSharpe).toBeNull();
    expect(metricsOf([0.01, 0.01, 0.01, 0.01]).probabilisticSharpe).toBeNull();
  });

  it('rests on a normal distribution function accurate in the tails', () => {
    expect(standardNormalCdf(0)).toBe(0.5);
    expect(near(standardNormalCdf(1.959963984540054), 0.975)).toBe(true);
    // Phi(-10) = 7.619853024160593e-24: relative accuracy where 1 - Phi(10) would round to 0.
    expect(near(standardNormalCdf(-10), 7.619853024160593e-24)).toBe(true);
  });
});
