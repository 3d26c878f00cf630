/**
 * The levels of a report (SPEC 6: each strategy, each account, the portfolio, in config order)
 * cut into chunks of `LEVELS_PER_CHUNK` that the chart and page stages fan out over, so that a
 * chunk's memory and time do not grow with the portfolio.
 */
import type { PortfolioConfig } from '#shared/config/schema.ts';

/** Levels per Map item of the chart and page stages: 2,000 strategies make 21 items. */
export const LEVELS_PER_CHUNK = 100;

export function levelCount(config: PortfolioConfig): number {
  return config.strategies.length + config.accounts.length + 1;
}

export function chunkCount(config: PortfolioConfig): number {
  return Math.ceil(levelCount(config) / LEVELS_PER_CHUNK);
}

/** The level indexes `[from, to)` of a chunk. */
export function chunkLevels(config: PortfolioConfig, chunk: number): { from: number; to: number } {
  const from = chunk * LEVELS_PER_CHUNK;
  if (!Number.isInteger(chunk) || chunk < 0 || from >= levelCount(config)) throw new Error(`chunk ${chunk} is not a chunk of this report (${chunkCount(config)} chunks)`);
  return { from, to: Math.min(levelCount(config), from + LEVELS_PER_CHUNK) };
}

/** The indexes of the accounts among a chunk's levels. */
export function chunkAccounts(config: PortfolioConfig, chunk: number): number[] {
  const { from, to } = chunkLevels(config, chunk);
  const strategies = config.strategies.length;
  return config.accounts.flatMap((_, a) => (strategies + a >= from && strategies + a < to ? [a] : []));
}

/** Whether a chunk holds the portfolio, the last level. */
export function holdsPortfolio(config: PortfolioConfig, chunk: number): boolean {
  return chunkLevels(config, chunk).to === levelCount(config);
}
