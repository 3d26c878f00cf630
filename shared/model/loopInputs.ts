/**
 * A config and its scaled data as the day loop takes them (SPEC 4, 9): each strategy's capital,
 * scaled columns and span, each account's strategies, and the loop's settings.
 */
import type { LoopAccount, LoopSettings, LoopStrategy } from '#shared/calc/compound.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { LoopData } from './scaledData.ts';

export interface LoopInputs {
  strategies: LoopStrategy[];
  accounts: LoopAccount[];
}

/** Per account, the indexes of its strategies in config order. */
export function strategiesByAccount(config: PortfolioConfig): number[][] {
  return config.accounts.map((account) =>
    config.strategies.flatMap((strategy, s) => (strategy.account === account.name ? [s] : [])),
  );
}

export function loopInputs(config: PortfolioConfig, { aligned, scaled }: LoopData): LoopInputs {
  const accountStrategies = strategiesByAccount(config);
  return {
    strategies: config.strategies.map((strategy, s) => {
      const { spanStart, spanEnd } = at(aligned.series, s);
      return { allocatedCapital: strategy.allocatedCapital, scaled: at(scaled, s), spanStart, spanEnd };
    }),
    accounts: config.accounts.map((account, a) => ({ startingCapital: account.startingCapital, strategies: at(accountStrategies, a) })),
  };
}

/** The loop settings of a config: its allocation, rebalancing and concurrent-position limit. */
export function loopSettings(config: PortfolioConfig): LoopSettings {
  return { allocation: config.allocation, rebalance: config.rebalance, maxConcurrentPositions: config.limits.maxConcurrentPositions };
}
