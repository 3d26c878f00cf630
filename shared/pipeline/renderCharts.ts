/**
 * Stage Charts, one chunk of levels at a time (a Map item in the cloud): a PNG per strategy,
 * account and the portfolio (equity over margin utilization), each part-B account's sleeve
 * weights; with the chunk that holds the portfolio, its drawdown and monthly returns, all
 * strategies normalised to 1 and the scenarios side by side.
 */
import { partBInUse } from '#shared/config/partBInUse.ts';
import { drawdownFigure, equityFigure, monthlyReturnsFigure, normalizedFigure, weightsFigure, type WeightSeries } from '#shared/report/charts/figures.ts';
import { reportPaths } from '#shared/report/reportNames.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from './artifacts.ts';
import { chunkLevels, ledgerColumns, levelColumns, levelCount, readReportSource, reportLevel, type ReportSource } from './reportSource.ts';
import { readScenarioEquity } from './runScenarios.ts';
import type { ProgressListener } from './progress.ts';

export interface ChartsInput {
  workPrefix: string;
  outputPrefix: string;
  chunk: number;
}

export interface ChartsOutput {
  charts: number;
}

export async function renderChartChunk(storage: Storage, input: ChartsInput, progress?: ProgressListener): Promise<ChartsOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { from, to } = chunkLevels(config, input.chunk);
  const strategies = config.strategies.length;
  const holdsPortfolio = to === levelCount(config);
  const weightAccounts = config.accounts.flatMap((_, a) => (strategies + a >= from && strategies + a < to ? [a] : []));
  const columns = new Set<string>();
  for (let index = from; index < to; index += 1) for (const name of levelColumns(config, index)) columns.add(name);
  const partB = partBInUse(config);
  if (partB) for (const a of weightAccounts) for (const name of accountWeightColumns(config, a)) columns.add(name);
  if (holdsPortfolio) config.strategies.forEach((_, s) => columns.add(ledgerColumns.sleeve(s, 'equity')));
  const source = await readReportSource(storage, input.workPrefix, columns);
  const { calendar } = source;
  const put = (path: string, png: Uint8Array): Promise<void> => storage.put(joinKey(input.outputPrefix, path), png);
  let charts = 0;
  for (let index = from; index < to; index += 1) {
    progress?.({ stage: 'charts', done: index, total: levelCount(config) });
    const level = reportLevel(source, index);
    const png = equityFigure({
      title: level.level === 'portfolio' ? 'Portfolio' : `${level.level === 'strategy' ? 'Strategy' : 'Account'} ${level.name}`,
      window: { calendar, first: level.first, last: level.last },
      equity: level.equity,
      utilization: level.utilization,
      alertPct: level.alertPct,
      rebalanceDays: level.rebalanceDays,
    });
    await put(reportPaths.equityChart(level.level, level.name), png);
    charts += 1;
  }
  if (partB) {
    for (const a of weightAccounts) {
      const series = accountWeights(source, a);
      if (series.length > 1) {
        await put(reportPaths.weightsChart(config.accounts[a]?.name ?? ''), weightsFigure(config.accounts[a]?.name ?? '', { calendar, first: 0, last: calendar.length - 1 }, series));
        charts += 1;
      }
    }
  }
  if (holdsPortfolio) charts += await portfolioCharts(storage, source, input);
  return { charts };
}

/** The whole-portfolio charts, drawn by the chunk that holds the portfolio. */
async function portfolioCharts(storage: Storage, source: ReportSource, input: ChartsInput): Promise<number> {
  const { config } = source.validation;
  const { calendar } = source;
  const portfolio = reportLevel(source, levelCount(config) - 1);
  const whole = { calendar, first: 0, last: calendar.length - 1 };
  const put = (path: string, png: Uint8Array): Promise<void> => storage.put(joinKey(input.outputPrefix, path), png);
  await put(reportPaths.portfolioDrawdownChart, drawdownFigure('Portfolio', whole, portfolio.returns));
  await put(reportPaths.portfolioMonthlyChart, monthlyReturnsFigure('Portfolio', portfolio.metrics.monthlyReturns));
  await put(
    reportPaths.normalizedChart,
    normalizedFigure(
      whole,
      config.strategies.map((strategy, s) => {
        const equity = source.column(ledgerColumns.sleeve(s, 'equity'));
        const span = source.spans[s] ?? { spanStart: 0, spanEnd: 0 };
        return { name: strategy.name, values: equity.map((value) => value / strategy.allocatedCapital), first: span.spanStart, last: span.spanEnd };
      }),
      'strategies',
    ),
  );
  const { scenarios } = config;
  if (scenarios.length === 0) return 3;
  const normalized = (name: string, equity: Float64Array) => ({ name, values: equity.map((value) => value / portfolio.startingCapital), first: 0, last: calendar.length - 1 });
  const series = [normalized('base', portfolio.equity)];
  for (const [index, scenario] of scenarios.entries()) series.push(normalized(scenario.name, await readScenarioEquity(storage, input.workPrefix, index)));
  await put(reportPaths.scenariosChart, normalizedFigure(whole, series, 'scenarios'));
  return 4;
}

/** A stacked chart of more sleeves than this shows the largest ones and sums the rest as "Other". */
const MAX_WEIGHT_SERIES = 11;

function accountWeightColumns(config: Validation['config'], a: number): string[] {
  const name = config.accounts[a]?.name;
  return [
    ledgerColumns.account(a, 'equity'),
    ledgerColumns.account(a, 'cash'),
    ...config.strategies.flatMap((strategy, s) => (strategy.account === name ? [ledgerColumns.sleeve(s, 'equity')] : [])),
  ];
}

/** Each sleeve's and the cash's share of an account's equity, day by day (0 while the account holds nothing). */
function accountWeights(source: ReportSource, a: number): WeightSeries[] {
  const { config } = source.validation;
  const equity = source.column(ledgerColumns.account(a, 'equity'));
  const share = (values: Float64Array): Float64Array => values.map((value, day) => ((equity[day] ?? 0) > 0 ? value / (equity[day] ?? 1) : 0));
  const sleeves = config.strategies.flatMap((strategy, s) =>
    strategy.account === config.accounts[a]?.name ? [{ name: strategy.name, share: share(source.column(ledgerColumns.sleeve(s, 'equity'))) }] : [],
  );
  if (sleeves.length === 0) return [];
  const cash = { name: 'Cash', share: share(source.column(ledgerColumns.account(a, 'cash'))) };
  if (sleeves.length <= MAX_WEIGHT_SERIES) return [...sleeves, cash];
  const mean = (series: WeightSeries): number => series.share.reduce((sum, value) => sum + value, 0);
  const ranked = [...sleeves].sort((x, y) => mean(y) - mean(x));
  const shown = new Set(ranked.slice(0, MAX_WEIGHT_SERIES - 1));
  const rest = sleeves.filter((sleeve) => !shown.has(sleeve));
  const other = new Float64Array(equity.length);
  for (const sleeve of rest) sleeve.share.forEach((value, day) => (other[day] = (other[day] ?? 0) + value));
  return [...sleeves.filter((sleeve) => shown.has(sleeve)), { name: `Other (${rest.length} strategies)`, share: other }, cash];
}
