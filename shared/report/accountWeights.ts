/**
 * Each sleeve's and the cash's share of an account's equity, day by day (SPEC 9's weights as they
 * came out, drawn under each part-B account): the largest sleeves, the rest summed as "Other".
 */
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { runSeriesColumns } from '#shared/model/runSeries.ts';
import type { WeightSeries } from './charts/figures.ts';
import type { ReportSource } from './reportLevels.ts';

/** A stacked chart of more sleeves than this shows the largest ones and sums the rest as "Other". */
const MAX_WEIGHT_SERIES = 11;

/** The stored series account `a`'s weights are made of: its equity and cash, its sleeves' equity. */
export function accountWeightColumns(config: PortfolioConfig, a: number): string[] {
  const { sleeve, account } = runSeriesColumns;
  const name = config.accounts[a]?.name;
  return [account(a, 'equity'), account(a, 'cash'), ...config.strategies.flatMap((strategy, s) => (strategy.account === name ? [sleeve(s, 'equity')] : []))];
}

/** Each sleeve's and the cash's share of account `a`'s equity (0 while the account holds nothing); none for an account without strategies. */
export function accountWeights(source: ReportSource, a: number): WeightSeries[] {
  const { sleeve, account } = runSeriesColumns;
  const { config } = source.validation;
  const equity = source.column(account(a, 'equity'));
  const share = (values: Float64Array): Float64Array => values.map((value, day) => ((equity[day] ?? 0) > 0 ? value / (equity[day] ?? 1) : 0));
  const sleeves = config.strategies.flatMap((strategy, s) =>
    strategy.account === config.accounts[a]?.name ? [{ name: strategy.name, share: share(source.column(sleeve(s, 'equity'))) }] : [],
  );
  if (sleeves.length === 0) return [];
  const cash = { name: 'Cash', share: share(source.column(account(a, 'cash'))) };
  if (sleeves.length <= MAX_WEIGHT_SERIES) return [...sleeves, cash];
  // Each sleeve's sum once, not once per comparison of the sort (500 sleeves of 5,214 dates took 0.6 s).
  const totals = new Map(sleeves.map((series) => [series, series.share.reduce((sum, value) => sum + value, 0)]));
  const total = (series: WeightSeries): number => totals.get(series) ?? 0;
  const ranked = [...sleeves].sort((x, y) => total(y) - total(x));
  const shown = new Set(ranked.slice(0, MAX_WEIGHT_SERIES - 1));
  const rest = sleeves.filter((item) => !shown.has(item));
  const other = new Float64Array(equity.length);
  for (const item of rest) item.share.forEach((value, day) => (other[day] = (other[day] ?? 0) + value));
  return [...sleeves.filter((item) => shown.has(item)), { name: `Other (${rest.length} strategies)`, share: other }, cash];
}
