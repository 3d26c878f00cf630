/**
 * Stage Charts: a PNG per strategy, account and the portfolio (equity over margin utilization),
 * plus the portfolio's drawdown and monthly returns and all strategies normalised to 1.
 */
import { at } from '../collections.js';
import { drawdownFigure, equityFigure, monthlyReturnsFigure, normalizedFigure } from '../report/charts/figures.js';
import { reportLevels } from '../report/reportLevels.js';
import { reportPaths } from '../report/reportNames.js';
import { joinKey, type Storage } from '../storage/storage.js';
import { readRunArtifacts } from './artifacts.js';
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
    });
    await put(reportPaths.equityChart(level.level, level.name), png);
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
    ),
  );
  return { charts: levels.length + 3 };
}
