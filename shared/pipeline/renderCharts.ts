/**
 * Stage Charts: a PNG per strategy, account and the portfolio (equity over margin utilization),
 * plus the portfolio's drawdown and monthly returns and all strategies normalised to 1.
 */
import { at } from '../collections.js';
import { drawdownFigure, equityFigure, monthlyReturnsFigure, normalizedFigure, weightsFigure, type WeightSeries } from '../report/charts/figures.js';
import { reportLevels } from '../report/reportLevels.js';
import { reportPaths } from '../report/reportNames.js';
import { joinKey, type Storage } from '../storage/storage.js';
import { readRunArtifacts, type RunArtifacts } from './artifacts.js';
import { readScenarioEquity } from './runScenarios.js';
import type { ProgressListener } from './progress.js';

export interface ChartsInput {
  workPrefix: string;
  outputPrefix: string;
}

export interface ChartsOutput {
  charts: number;
}

export async function renderCharts(storage: Storage, input: ChartsInput, progress?: ProgressListener): Promise<ChartsOutput> {
  const artifacts = await readRunArtifacts(storage, input.workPrefix);
  const { calendar } = artifacts.scaled.aligned;
  const levels = reportLevels(artifacts.validation, artifacts.results, artifacts.scaled, artifacts.performance);
  const put = (path: string, png: Uint8Array): Promise<void> => storage.put(joinKey(input.outputPrefix, path), png);
  for (const [index, level] of levels.entries()) {
    progress?.({ stage: 'charts', done: index, total: levels.length });
    const png = equityFigure({
      title: level.level === 'portfolio' ? 'Portfolio' : `${level.level === 'strategy' ? 'Strategy' : 'Account'} ${level.name}`,
      window: { calendar, first: level.first, last: level.last },
      equity: level.equity,
      utilization: level.utilization,
      alertPct: level.alertPct,
      rebalanceDays: level.rebalanceDays,
    });
    await put(reportPaths.equityChart(level.level, level.name), png);
  }
  if (artifacts.results.partB !== null) {
    for (const [a, account] of artifacts.validation.config.accounts.entries()) {
      const series = accountWeights(artifacts, a);
      if (series.length > 1) await put(reportPaths.weightsChart(account.name), weightsFigure(account.name, { calendar, first: 0, last: calendar.length - 1 }, series));
    }
  }
  const portfolio = at(levels, levels.length - 1);
  const whole = { calendar, first: 0, last: calendar.length - 1 };
  await put(reportPaths.portfolioDrawdownChart, drawdownFigure('Portfolio', whole, portfolio.returns));
  await put(reportPaths.portfolioMonthlyChart, monthlyReturnsFigure('Portfolio', portfolio.metrics.monthlyReturns));
  const strategies = levels.filter((level) => level.level === 'strategy');
  await put(
    reportPaths.normalizedChart,
    normalizedFigure(
      whole,
      strategies.map((level) => ({ name: level.name, values: level.equity.map((value) => value / level.startingCapital), first: level.first, last: level.last })),
      'strategies',
    ),
  );
  const { scenarios } = artifacts.validation.config;
  if (scenarios.length > 0) {
    const normalized = (name: string, equity: Float64Array) => ({ name, values: equity.map((value) => value / portfolio.startingCapital), first: 0, last: calendar.length - 1 });
    const series = [normalized('base', portfolio.equity)];
    for (const [index, scenario] of scenarios.entries()) series.push(normalized(scenario.name, await readScenarioEquity(storage, input.workPrefix, index)));
    await put(reportPaths.scenariosChart, normalizedFigure(whole, series, 'scenarios'));
  }
  return { charts: levels.length + 3 };
}

/** A stacked chart of more sleeves than this shows the largest ones and sums the rest as "Other". */
const MAX_WEIGHT_SERIES = 11;

/** Each sleeve's and the cash's share of an account's equity, day by day (0 while the account holds nothing). */
function accountWeights({ validation, performance }: RunArtifacts, a: number): WeightSeries[] {
  const { config } = validation;
  const account = at(performance.ledger.accounts, a);
  const share = (values: Float64Array): Float64Array => values.map((value, day) => ((account.equity[day] ?? 0) > 0 ? value / (account.equity[day] ?? 1) : 0));
  const sleeves = config.strategies.flatMap((strategy, s) =>
    strategy.account === at(config.accounts, a).name ? [{ name: strategy.name, share: share(at(performance.ledger.sleeves, s).equity) }] : [],
  );
  if (sleeves.length === 0) return [];
  const cash = { name: 'Cash', share: share(account.cash) };
  if (sleeves.length <= MAX_WEIGHT_SERIES) return [...sleeves, cash];
  const mean = (series: WeightSeries): number => series.share.reduce((sum, value) => sum + value, 0);
  const ranked = [...sleeves].sort((x, y) => mean(y) - mean(x));
  const shown = new Set(ranked.slice(0, MAX_WEIGHT_SERIES - 1));
  const rest = sleeves.filter((sleeve) => !shown.has(sleeve));
  const other = new Float64Array(account.equity.length);
  for (const sleeve of rest) sleeve.share.forEach((value, day) => (other[day] = (other[day] ?? 0) + value));
  return [...sleeves.filter((sleeve) => shown.has(sleeve)), { name: `Other (${rest.length} strategies)`, share: other }, cash];
}
