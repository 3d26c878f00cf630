/**
 * Rolling volatility and Sharpe (SPEC 18.2): on each date, over the `W` calendar dates ending
 * there, `std(R) * sqrt(P)` and section 7's Sharpe. NaN marks a cell with no figure: before `W`
 * dates exist, and a Sharpe whose returns are all equal. Each window is measured afresh (mean,
 * then deviations), so no rounding is carried from one date to the next.
 */
import { ZERO_TOLERANCE } from '#shared/numbers.ts';
import { dailyRiskFreeRate, type MetricsSettings } from './metrics.ts';
import { sampleCovariance, windowMean, windowRange } from './moments.ts';

export interface RollingFigures {
  volatility: Float64Array;
  sharpe: Float64Array;
}

export const ROLLING_WINDOWS = [63, 252] as const;

export function rollingFigures(returns: Float64Array, window: number, settings: MetricsSettings): RollingFigures {
  const days = returns.length;
  const volatility = new Float64Array(days).fill(Number.NaN);
  const sharpe = new Float64Array(days).fill(Number.NaN);
  const annualizer = Math.sqrt(settings.periodsPerYear);
  const riskFreeDaily = dailyRiskFreeRate(settings);
  for (let last = window - 1; last < days; last += 1) {
    const first = last - window + 1;
    const mean = windowMean(returns, first, last);
    const std = Math.sqrt(sampleCovariance(returns, returns, first, last, mean, mean));
    volatility[last] = std * annualizer;
    if (windowRange(returns, first, last) > ZERO_TOLERANCE) sharpe[last] = ((mean - riskFreeDaily) / std) * annualizer;
  }
  return { volatility, sharpe };
}
