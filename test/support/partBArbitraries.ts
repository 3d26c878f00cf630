/**
 * fast-check arbitraries of part B's settings (SPEC 10-12) over the random portfolios of
 * `arbitraries.ts`: allocation, rebalancing with bands and costs, the concurrent-position limit.
 * Shared by the property tests of part B and of part C (whose figures read part B's ledger).
 */
import { fc } from '@fast-check/vitest';
import { ALLOCATION_METHODS, type AllocationConfig, type LimitsConfig, type RebalanceConfig } from '#shared/config/partBSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { portfolioArb, runCore, uniform, type CoreRun, type GeneratedPortfolio } from './arbitraries.ts';

export const allocationArb: fc.Arbitrary<AllocationConfig> = fc
  .record({
    method: fc.constantFrom(...ALLOCATION_METHODS),
    lookbackDays: fc.integer({ min: 2, max: 12 }),
    kellyFraction: fc.constantFrom(0.25, 0.5, 1, 2),
    bounds: fc.oneof(
      fc.constant({ minWeight: 0, maxWeight: 1 }),
      fc.tuple(uniform(0, 0.4), uniform(0.2, 1)).map(([a, b]) => ({ minWeight: Math.min(a, b), maxWeight: Math.max(a, b) })),
    ),
    cashBufferPct: fc.constantFrom(0, 0, 5, 10, 50),
  })
  .map(({ bounds, ...rest }) => ({ ...rest, ...bounds }));

export const rebalanceArb: fc.Arbitrary<RebalanceConfig> = fc.record({
  frequency: fc.constantFrom('none', 'weekly', 'monthly', 'quarterly', 'annually' as const),
  band: fc.oneof(fc.constant(null), uniform(0.001, 0.2).map((absolute) => ({ absolute })), uniform(0.01, 0.5).map((relative) => ({ relative }))),
  costBps: fc.oneof(fc.constant(0), uniform(0, 200), fc.constantFrom(5000, 9999)),
});

export const limitsArb: fc.Arbitrary<LimitsConfig> = fc.record({
  maxLeverage: fc.constant(null),
  maxConcurrentPositions: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 4 })),
  dailyStopLossUsd: fc.constant(null),
  drawdownBreachUsd: fc.constant(null),
  maxConcentrationPct: fc.constant(null),
});

export interface PartBCase {
  portfolio: GeneratedPortfolio;
  config: PortfolioConfig;
}

export const partBCaseArb: fc.Arbitrary<PartBCase> = fc
  .record({ portfolio: portfolioArb, allocation: allocationArb, rebalance: rebalanceArb, limits: limitsArb })
  .map(({ portfolio, allocation, rebalance, limits }) => ({
    portfolio,
    config: { ...portfolio.config, allocation, rebalance, limits },
  }));

export function runPartB({ portfolio, config }: PartBCase): CoreRun {
  return runCore({ ...portfolio, config });
}

export const describeCase = (c: PartBCase): string =>
  JSON.stringify({ allocation: c.config.allocation, rebalance: c.config.rebalance, limits: c.config.limits });
