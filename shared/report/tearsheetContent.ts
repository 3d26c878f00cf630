/**
 * What a level's tearsheet shows (SPEC 6, 7): its dates, capital, metrics, worst drawdowns,
 * facts and links, and which of the report's charts it holds inline; the page is made of this.
 */
import { drawdownPeriods, worstDrawdowns } from '#shared/calc/drawdowns.ts';
import { at } from '#shared/collections.ts';
import { partBInUse } from '#shared/config/partBInUse.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import { runSeriesColumns } from '#shared/model/runSeries.ts';
import type { DatedDrawdown, TearsheetInput } from './html/tearsheetPage.ts';
import { levelFacts } from './levelFacts.ts';
import { chunkAccounts, chunkLevels } from './reportChunks.ts';
import { levelSeriesColumns, type ReportLevel, type ReportSource } from './reportLevels.ts';
import { reportPaths } from './reportNames.ts';

/** The stored series a chunk's tearsheets read: its levels' and, in part B, its accounts' cash. */
export function pageChunkColumns(config: PortfolioConfig, chunk: number): Set<string> {
  const { from, to } = chunkLevels(config, chunk);
  const columns = new Set<string>();
  for (let index = from; index < to; index += 1) for (const name of levelSeriesColumns(config, index)) columns.add(name);
  if (partBInUse(config)) for (const a of chunkAccounts(config, chunk)) columns.add(runSeriesColumns.account(a, 'cash'));
  return columns;
}

/** The charts a level's tearsheet holds, by their report path: its equity; an account's weights in part B; the portfolio's own. */
export function tearsheetCharts(level: ReportLevel, { validation, results }: ReportSource): { alt: string; path: string }[] {
  const charts = [{ alt: `${level.name}: equity and margin utilization`, path: reportPaths.equityChart(level.level, level.name) }];
  if (level.level === 'account' && results.partB !== null && validation.config.strategies.some((strategy) => strategy.account === level.name)) {
    charts.push({ alt: `${level.name}: sleeve weights`, path: reportPaths.weightsChart(level.name) });
  }
  if (level.level === 'portfolio') {
    charts.push(
      { alt: 'Portfolio drawdown', path: reportPaths.portfolioDrawdownChart },
      { alt: 'Portfolio monthly returns', path: reportPaths.portfolioMonthlyChart },
      { alt: 'Strategies normalised to 1', path: reportPaths.normalizedChart },
    );
  }
  return charts;
}

export function tearsheetContent(level: ReportLevel, source: ReportSource, charts: TearsheetInput['charts']): TearsheetInput {
  const { calendar } = source;
  const date = (day: number): string => isoDate(at(calendar, day));
  const dated = (drawdown: ReturnType<typeof drawdownPeriods>[number]): DatedDrawdown => ({
    start: date(drawdown.start),
    valley: date(drawdown.valley),
    end: date(drawdown.end),
    days: drawdown.days,
    depth: drawdown.depth,
    recovered: drawdown.recovered,
  });
  const links = [{ label: 'Report index', href: '../index.html' }];
  if (level.account !== undefined) links.push({ label: `Account ${level.account}`, href: `../${reportPaths.tearsheet('account', level.account)}` });
  if (level.level !== 'portfolio') links.push({ label: 'Portfolio', href: `../${reportPaths.tearsheet('portfolio', 'Portfolio')}` });
  return {
    level: level.level,
    name: level.name,
    firstDate: date(level.first),
    lastDate: date(level.last),
    startingCapital: level.startingCapital,
    finalEquity: level.equity[level.last] ?? 0,
    metrics: level.metrics,
    worstDrawdowns: worstDrawdowns(drawdownPeriods(level.returns, calendar, level.first, level.last), 5).map(dated),
    facts: levelFacts(level, source),
    charts,
    links,
  };
}
