/**
 * What a level's tearsheet shows (SPEC 6, 7, 15, 16): its dates, capital, periods and drawdown now
 * (summary.json asOf), a part-B sleeve's capital moved in and out, metrics, worst drawdowns,
 * an account's and the portfolio's attribution per strategy, facts and links, and which of the
 * report's charts it holds inline; the page is made of this.
 */
import { drawdownPeriods, worstDrawdowns } from '#shared/calc/drawdowns.ts';
import { PERIOD_NAMES } from '#shared/calc/asOfPeriods.ts';
import { at } from '#shared/collections.ts';
import { partBInUse } from '#shared/config/partBInUse.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import type { LevelMetrics } from '#shared/model/results.ts';
import { runSeriesColumns } from '#shared/model/runSeries.ts';
import type { AttributionRow, DatedDrawdown, RestatedValues, TearsheetInput } from './html/tearsheetPage.ts';
import { levelFacts } from './levelFacts.ts';
import { sleeveTransfers } from './partBFacts.ts';
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
  if (level.level !== 'strategy') {
    charts.push(
      { alt: `${level.name}: rolling volatility and Sharpe over 63 and 252 dates`, path: reportPaths.rollingChart(level.level, level.name) },
      { alt: `${level.name}: daily returns with value at risk and expected shortfall`, path: reportPaths.returnsHistogramChart(level.level, level.name) },
    );
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
  const { config } = source.validation;
  const { asOf, attribution } = source.results;
  const levelAsOf = level.level === 'strategy' ? asOf.strategies[level.name] : level.level === 'account' ? asOf.accounts[level.name] : asOf.portfolio;
  if (levelAsOf === undefined) throw new Error(`summary.json's asOf has no ${level.level} ${level.name}`);
  const strategyIndex = config.strategies.findIndex((strategy) => strategy.name === level.name);
  const members = level.level === 'strategy' ? [] : config.strategies.filter((strategy) => level.level === 'portfolio' || strategy.account === level.name);
  const levelPnl = (period: PeriodAttributionOf): number => (level.level === 'portfolio' ? period.portfolioPnlUsd : (period.accounts[level.name] ?? 0));
  const attributionRow = (name: string, pnl: (period: PeriodAttributionOf) => number | null, risk: (window: WindowRiskOf) => number | null, href: string | null): AttributionRow => ({
    name,
    href,
    periods: Object.fromEntries(PERIOD_NAMES.map((period) => [period, attribution.periods[period] === null ? null : pnl(attribution.periods[period])])) as AttributionRow['periods'],
    trailingShare: risk(attribution.risk.trailing),
    inceptionShare: risk(attribution.risk.inception),
  });
  return {
    level: level.level,
    asOf: levelAsOf,
    transfers:
      level.level === 'strategy' && source.results.partB !== null
        ? { ...sleeveTransfers(strategyIndex, source.ledger.rebalances), netUsd: levelAsOf.periods.inception?.transfersUsd ?? null, pnlUsd: levelAsOf.periods.inception?.pnlUsd ?? null }
        : null,
    attribution:
      members.length === 0
        ? null
        : {
            riskDays: { trailing: attribution.risk.trailing.days, inception: attribution.risk.inception.days },
            strategies: members.map((strategy) =>
              attributionRow(strategy.name, (period) => period.strategies[strategy.name] ?? null, (window) => window.strategies[strategy.name]?.contribution ?? null, `../${reportPaths.tearsheet('strategy', strategy.name)}`),
            ),
            // An account's costs are what its P&L holds beyond its strategies' (SPEC 15.1: pnl_a = sum pnl_s - costs_a).
            costs: attributionRow(
              'Rebalance costs',
              (period) => (level.level === 'portfolio' ? -period.costsUsd : levelPnl(period) - members.reduce((sum, strategy) => sum + (period.strategies[strategy.name] ?? 0), 0)),
              (window) => (level.level === 'portfolio' ? window.costsContribution : null),
              null,
            ),
            total: attributionRow(
              level.level === 'portfolio' ? 'Portfolio' : `Account ${level.name}`,
              levelPnl,
              (window) => (level.level === 'portfolio' ? (window.costsContribution === null ? null : 1) : members.reduce<number | null>((sum, strategy) => {
                const share = window.strategies[strategy.name]?.contribution;
                return sum === null || share === null || share === undefined ? null : sum + share;
              }, 0)),
              null,
            ),
          },
    name: level.name,
    firstDate: date(level.first),
    lastDate: date(level.last),
    startingCapital: level.startingCapital,
    finalEquity: level.equity[level.last] ?? 0,
    metrics: level.metrics,
    dollarTails: level.level === 'strategy' ? null : (level.metrics as LevelMetrics),
    benchmark: benchmarkOfLevel(level, source),
    worstDrawdowns: worstDrawdowns(drawdownPeriods(level.returns, calendar, level.first, level.last), 5).map(dated),
    facts: levelFacts(level, source),
    charts,
    links,
    restated: level.level === 'strategy' ? restatedValues(source, level.name) : null,
  };
}

/** A restated strategy's rows of restatements.csv (issue 15), each with current - previous where both exist. */
function restatedValues({ validation }: ReportSource, strategy: string): RestatedValues | null {
  const restated = validation.previousCopy?.restated[strategy];
  if (restated === undefined || validation.restatements === undefined) return null;
  return {
    previous: validation.restatements.previous,
    lines: restated.lines,
    rows: restated.rows.map((row) => ({
      date: isoDate(row.date),
      kind: row.kind,
      column: row.column ?? 'Return',
      previous: row.previous,
      current: row.current,
      difference: row.previous === null || row.current === null ? null : row.current - row.previous,
    })),
  };
}

/** SPEC 17's figures of the level against the benchmark, and on the portfolio's page the benchmark's own metrics. */
function benchmarkOfLevel(level: ReportLevel, source: ReportSource): TearsheetInput['benchmark'] {
  const summary = source.results.benchmark;
  if (summary === undefined) return null;
  const figures = level.level === 'portfolio' ? summary.portfolio : level.level === 'account' ? summary.accounts[level.name] : summary.strategies[level.name];
  if (figures === undefined) return null;
  return { name: summary.name, file: summary.file, days: summary.days, figures, metrics: level.level === 'portfolio' ? summary.metrics : null };
}

type PeriodAttributionOf = NonNullable<ReportSource['results']['attribution']['periods']['day']>;
type WindowRiskOf = ReportSource['results']['attribution']['risk']['trailing'];
