/**
 * Where the risk comes from (SPEC 16.2): over a window of dates, each strategy's dollar
 * volatility, its share of the portfolio's variance (`cov(x_s, y) / var(y)`: the shares and the
 * costs' share add up to 1, because the portfolio's P&L is the strategies' less costs) and its
 * correlation with the portfolio; and how much the strategies diversify each other.
 */
import type { DailyPnl } from './dailyPnl.ts';
import { sampleCovariance, windowMean, windowRange } from './moments.ts';

export interface StrategyRisk {
  volatilityUsd: number | null;
  contribution: number | null;
  correlation: number | null;
}

export interface RiskAttribution {
  /** Calendar indexes of the window. */
  first: number;
  last: number;
  days: number;
  portfolioVolatilityUsd: number | null;
  strategies: StrategyRisk[];
  costsContribution: number | null;
  diversificationRatio: number | null;
}

/** In a series of dollars a spread of at most this is rounding: the series is constant. */
const DOLLAR_NOISE = 1e-6;

export function riskAttribution(flows: DailyPnl, first: number, last: number, periodsPerYear: number): RiskAttribution {
  const days = last - first + 1;
  if (days < 2) {
    const strategies = flows.strategyPnl.map(() => ({ volatilityUsd: null, contribution: null, correlation: null }));
    return { first, last, days, portfolioVolatilityUsd: null, strategies, costsContribution: null, diversificationRatio: null };
  }
  const annualizer = Math.sqrt(periodsPerYear);
  const y = flows.portfolioPnl;
  const meanY = windowMean(y, first, last);
  const varianceY = sampleCovariance(y, y, first, last, meanY, meanY);
  const stdY = Math.sqrt(varianceY);
  const yConstant = windowRange(y, first, last) <= DOLLAR_NOISE;
  /** A series' share of var(y), or null when y does not move. */
  const share = (covariance: number): number | null => (yConstant ? null : covariance / varianceY);

  let volatilitySum = 0;
  const strategies = flows.strategyPnl.map((x): StrategyRisk => {
    const meanX = windowMean(x, first, last);
    const stdX = Math.sqrt(sampleCovariance(x, x, first, last, meanX, meanX));
    const covariance = sampleCovariance(x, y, first, last, meanX, meanY);
    const volatilityUsd = stdX * annualizer;
    volatilitySum += volatilityUsd;
    const constant = yConstant || windowRange(x, first, last) <= DOLLAR_NOISE;
    return { volatilityUsd, contribution: share(covariance), correlation: constant ? null : covariance / (stdX * stdY) };
  });
  // The costs enter the portfolio's P&L with a minus sign: c = -costs.
  const meanCosts = windowMean(flows.costs, first, last);
  const costsCovariance = -sampleCovariance(flows.costs, y, first, last, meanCosts, meanY);
  const portfolioVolatilityUsd = stdY * annualizer;
  return {
    first,
    last,
    days,
    portfolioVolatilityUsd,
    strategies,
    costsContribution: share(costsCovariance),
    diversificationRatio: yConstant ? null : volatilitySum / portfolioVolatilityUsd,
  };
}
