/** comparison.json (SPEC 14): the base run and each scenario side by side. */
import type { RebalanceSummary } from '#shared/calc/partBResults.ts';
import type { Status } from '#shared/calc/reconcile.ts';
import type { AllocationConfig, LimitsConfig, RebalanceConfig } from '#shared/config/partBSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { Results } from '#shared/model/results.ts';

export interface ComparisonEntry {
  name: string;
  overrides: Record<string, unknown>;
  allocation: AllocationConfig;
  rebalance: RebalanceConfig;
  limits: LimitsConfig;
  checks: Record<string, Status>;
  rebalances: RebalanceSummary | null;
  wipeouts: Record<string, string>;
  /** Blocked entries, all strategies together. */
  blockedEntries: number;
  metrics: Results['metrics'];
}

export interface Comparison {
  base: ComparisonEntry;
  scenarios: ComparisonEntry[];
}

export function comparisonEntry(name: string, overrides: Record<string, unknown>, config: PortfolioConfig, results: Results): ComparisonEntry {
  return {
    name,
    overrides,
    allocation: config.allocation,
    rebalance: config.rebalance,
    limits: config.limits,
    checks: Object.fromEntries(Object.entries(results.checks).map(([check, figures]) => [check, (figures as { status: Status }).status])),
    rebalances: results.partB?.rebalances ?? null,
    wipeouts: results.wipeouts,
    blockedEntries: Object.values(results.partB?.blockedEntries ?? {}).reduce((sum, entry) => sum + entry.count, 0),
    metrics: results.metrics,
  };
}

/** An entry with the portfolio's metrics only: what the terminal, the email and the index show of it. */
export function portfolioOnly(entry: ComparisonEntry): ComparisonEntry {
  return { ...entry, metrics: { strategies: {}, accounts: {}, portfolio: entry.metrics.portfolio } };
}
