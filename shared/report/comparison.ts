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

/**
 * comparison.json as text, piece by piece: the same bytes as `JSON.stringify({base, scenarios},
 * null, 2)`, without ever holding the whole text, which passes V8's longest string (536.9 M
 * characters) at about 22 scenarios of 2,000 strategies. Each scenario's entry comes as the JSON
 * text it was stored as.
 */
export async function* comparisonJsonText(base: ComparisonEntry, scenarioEntries: AsyncIterable<string>): AsyncIterable<string> {
  const nested = (value: unknown): string => JSON.stringify(value, null, 2).replaceAll('\n', '\n    ');
  yield `{\n  "base": ${JSON.stringify(base, null, 2).replaceAll('\n', '\n  ')},\n  "scenarios": [`;
  let index = 0;
  for await (const entry of scenarioEntries) {
    yield `${index === 0 ? '' : ','}\n    ${nested(JSON.parse(entry))}`;
    index += 1;
  }
  yield index === 0 ? ']\n}\n' : '\n  ]\n}\n';
}
