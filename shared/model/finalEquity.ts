/** Every level's final equity (SPEC 4): what the terminal and the email show first. */
import type { Ledger } from '#shared/calc/compound.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';

export interface FinalEquity {
  strategies: Record<string, number>;
  accounts: Record<string, number>;
  portfolio: number;
}

export function finalEquity(config: PortfolioConfig, ledger: Ledger): FinalEquity {
  const last = (series: Float64Array): number => series[series.length - 1] ?? 0;
  return {
    strategies: Object.fromEntries(config.strategies.map((strategy, s) => [strategy.name, last(at(ledger.sleeves, s).equity)])),
    accounts: Object.fromEntries(config.accounts.map((account, a) => [account.name, last(at(ledger.accounts, a).equity)])),
    portfolio: last(ledger.portfolio.equity),
  };
}
