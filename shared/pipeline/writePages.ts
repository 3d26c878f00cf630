/**
 * Stage Pages: a self-contained tearsheet per strategy, account and the portfolio (charts
 * inline), one chunk of levels at a time (a Map item in the cloud); then index.html and
 * correlation.csv. Reads the PNGs the Charts stage wrote.
 */
import { correlationMatrix } from '#shared/calc/correlation.ts';
import { drawdownPeriods, worstDrawdowns } from '#shared/calc/drawdowns.ts';
import { at } from '#shared/collections.ts';
import { isoDate } from '#shared/dates.ts';
import { describeProblem } from '#shared/problems.ts';
import { describeChecks } from '#shared/report/checkDescriptions.ts';
import { textCell } from '#shared/report/csvText.ts';
import { formatFractionAsPercent, formatPercent, formatUsd } from '#shared/report/formatting.ts';
import { indexPage, type LevelRow, type PartBFacts } from '#shared/report/html/indexPage.ts';
import { tearsheetPage, type DatedDrawdown, type TearsheetInput } from '#shared/report/html/tearsheetPage.ts';
import { REPORT_FILES } from '#shared/report/reportFiles.ts';
import type { ReportLevel } from '#shared/report/reportLevels.ts';
import { reportPaths } from '#shared/report/reportNames.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { partBInUse } from '#shared/config/partBInUse.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from './artifacts.ts';
import { chunkLevels, ledgerColumns, levelColumns, levelCount, readReportSource, reportLevel, type ReportSource } from './reportSource.ts';
import { readComparisonSummary } from './runScenarios.ts';
import type { ProgressListener } from './progress.ts';

export interface PagesInput {
  workPrefix: string;
  outputPrefix: string;
  chunk: number;
}

export interface PagesOutput {
  pages: number;
}

/** Beyond this many strategies the correlation matrix is a CSV only: a 500 x 500 table helps nobody. */
const MAX_CORRELATION_TABLE = 30;

/** The tearsheets of one chunk of levels (a Map item in the cloud), each with its charts inline. */
export async function writePageChunk(storage: Storage, input: PagesInput, progress?: ProgressListener): Promise<PagesOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { from, to } = chunkLevels(config, input.chunk);
  const columns = new Set<string>();
  for (let index = from; index < to; index += 1) for (const name of levelColumns(config, index)) columns.add(name);
  if (partBInUse(config)) config.accounts.forEach((_, a) => (config.strategies.length + a >= from && config.strategies.length + a < to ? columns.add(ledgerColumns.account(a, 'cash')) : undefined));
  const source = await readReportSource(storage, input.workPrefix, columns);
  const { results, validation } = source;
  const key = (path: string): string => joinKey(input.outputPrefix, path);
  const chart = (path: string): Promise<Uint8Array> => storage.get(key(path));
  for (let index = from; index < to; index += 1) {
    progress?.({ stage: 'pages', done: index, total: levelCount(config) });
    const level = reportLevel(source, index);
    const charts = [{ alt: `${level.name}: equity and margin utilization`, png: await chart(reportPaths.equityChart(level.level, level.name)) }];
    if (level.level === 'account' && results.partB !== null && validation.config.strategies.some((strategy) => strategy.account === level.name)) {
      charts.push({ alt: `${level.name}: sleeve weights`, png: await chart(reportPaths.weightsChart(level.name)) });
    }
    if (level.level === 'portfolio') {
      charts.push(
        { alt: 'Portfolio drawdown', png: await chart(reportPaths.portfolioDrawdownChart) },
        { alt: 'Portfolio monthly returns', png: await chart(reportPaths.portfolioMonthlyChart) },
        { alt: 'Strategies normalised to 1', png: await chart(reportPaths.normalizedChart) },
      );
    }
    await storage.put(key(reportPaths.tearsheet(level.level, level.name)), tearsheetPage(tearsheetInput(level, source, charts)));
  }
  return { pages: to - from };
}

/** index.html and correlation.csv, once every chunk's charts and tearsheets are written. */
export async function writeIndex(storage: Storage, input: Omit<PagesInput, 'chunk'>): Promise<PagesOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const count = levelCount(config);
  const columns = Array.from({ length: count }, (_, index) => levelColumns(config, index)).flat();
  const source = await readReportSource(storage, input.workPrefix, columns);
  const { validation, results, calendar } = source;
  const levels = Array.from({ length: count }, (_, index) => reportLevel(source, index));
  const key = (path: string): string => joinKey(input.outputPrefix, path);
  const chart = (path: string): Promise<Uint8Array> => storage.get(key(path));

  const strategySeries = levels
    .filter((level) => level.level === 'strategy')
    .map((level) => ({ returns: level.returns, spanStart: level.first, spanEnd: level.last }));
  const names = validation.config.strategies.map((strategy) => strategy.name);
  const matrix = correlationMatrix(strategySeries);
  await storage.put(key(reportPaths.correlation), correlationCsv(names, matrix));

  const row = (level: ReportLevel, note: string): LevelRow => ({
    name: level.name,
    href: reportPaths.tearsheet(level.level, level.name),
    account: level.account,
    startingCapital: level.startingCapital,
    finalEquity: level.equity[level.last] ?? 0,
    metrics: level.metrics,
    note,
  });
  const portfolio = at(levels, levels.length - 1);
  const utilization = results.checks.marginUtilization;
  const comparison = await readComparisonSummary(storage, input.workPrefix, validation.config, results);
  await storage.put(
    key(reportPaths.index),
    indexPage({
      firstDate: isoDate(at(calendar, 0)),
      lastDate: isoDate(at(calendar, calendar.length - 1)),
      portfolio: { ...row(portfolio, ''), worstUtilizationPct: utilization.portfolio.worstPct, worstUtilizationDate: utilization.portfolio.worstDate },
      portfolioChart: await chart(reportPaths.equityChart('portfolio', portfolio.name)),
      checks: describeChecks(results.checks),
      warnings: validation.warnings.map(describeProblem),
      strategies: levels.filter((level) => level.level === 'strategy').map((level) => row(level, strategyNote(level.name, source))),
      accounts: levels.filter((level) => level.level === 'account').map((level) => row(level, accountNote(level.name, source))),
      correlation: names.length <= MAX_CORRELATION_TABLE ? { names, matrix } : null,
      partB: results.partB === null ? null : partBFacts(source),
      scenarios: comparison === null ? null : { entries: [comparison.base, ...comparison.scenarios], chart: await chart(reportPaths.scenariosChart) },
      dataFiles: [
        REPORT_FILES.master,
        REPORT_FILES.accounts,
        REPORT_FILES.portfolio,
        REPORT_FILES.dailyPnl,
        REPORT_FILES.rollingMetrics,
        REPORT_FILES.summary,
        ...(results.partB === null ? [] : [REPORT_FILES.rebalanceLog, REPORT_FILES.limits]),
        ...(validation.config.scenarios.length === 0 ? [] : [REPORT_FILES.comparison]),
        reportPaths.correlation,
      ],
    }),
  );
  return { pages: 1 };
}

function tearsheetInput(level: ReportLevel, source: ReportSource, charts: TearsheetInput['charts']): TearsheetInput {
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

function levelFacts(level: ReportLevel, source: ReportSource): { label: string; value: string }[] {
  const { validation, results } = source;
  const { config } = validation;
  if (level.level === 'strategy') {
    const strategy = config.strategies.find((item) => item.name === level.name);
    const drift = results.checks.roundingDrift.strategies[level.name];
    const unsized = results.unsizedReturns[level.name];
    const wipeout = results.wipeouts[level.name];
    return [
      { label: 'Account', value: strategy?.account ?? '' },
      { label: 'Allocated capital', value: formatUsd(strategy?.allocatedCapital ?? 0) },
      { label: 'Position scale (of the developer’s)', value: formatFractionAsPercent(strategy?.maxPositionScale ?? 0) },
      { label: 'Margin per unit / minimum / increment', value: `${formatUsd(strategy?.marginPerUnit ?? 0)} / ${strategy?.minPosition ?? ''} / ${strategy?.increment ?? ''}` },
      { label: 'Rounding drift (traded / implied - scale)', value: drift?.drift === null || drift === undefined ? 'no sized day' : `${drift.drift.toFixed(4)} over ${drift.days} days (${drift.status})` },
      { label: 'Unsized returns', value: unsized === undefined ? 'none' : `${unsized.count} day(s), first ${unsized.dates[0] ?? ''}` },
      { label: 'Wiped out', value: wipeout ?? 'no' },
    ];
  }
  if (level.level === 'account') {
    const check = results.checks.marginUtilization.accounts[level.name];
    const members = config.strategies.filter((strategy) => strategy.account === level.name);
    const allocated = members.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0);
    const rebalances = results.partB?.rebalances.accounts[level.name];
    return [
      { label: 'Strategies', value: members.map((strategy) => strategy.name).join(', ') || 'none' },
      results.partB === null
        ? { label: 'Idle cash', value: formatUsd(level.startingCapital - allocated) }
        : { label: 'Cash at the end', value: formatUsd(source.column(ledgerColumns.account(config.accounts.findIndex((account) => account.name === level.name), 'cash'))[level.last] ?? 0) },
      ...(rebalances === undefined ? [] : [{ label: 'Rebalances', value: `${rebalances.count}, total cost ${formatUsd(rebalances.totalCost)}` }]),
      { label: 'Margin utilization', value: check === undefined ? '' : `worst ${formatPercent(check.worstPct)} on ${check.worstDate}; ${check.days} day(s) above ${formatPercent(check.thresholdPct)}` },
    ];
  }
  const check = results.checks.marginUtilization.portfolio;
  return [
    { label: 'Accounts / strategies', value: `${config.accounts.length} / ${config.strategies.length}` },
    { label: 'Margin utilization (of allocated capital)', value: `worst ${formatPercent(check.worstPct)} on ${check.worstDate}; ${check.days} day(s) above ${formatPercent(check.thresholdPct)}` },
    { label: 'Checks failed', value: describeChecks(results.checks).filter((item) => item.status === 'fail').map((item) => item.name).join(', ') || 'none' },
  ];
}

/** The allocation, rebalancing and rules of a part-B run, for the index. */
function partBFacts({ validation, results }: ReportSource): PartBFacts {
  const { allocation, rebalance, limits } = validation.config;
  const partB = results.partB;
  const settings = [
    { label: 'Allocation', value: allocation.method === 'fixed' ? 'fixed (allocatedCapital of each strategy)' : `${allocation.method}, look-back ${allocation.lookbackDays} dates, weights ${allocation.minWeight} to ${allocation.maxWeight}, cash buffer ${allocation.cashBufferPct}%` + (allocation.method === 'kelly' ? `, Kelly fraction ${allocation.kellyFraction}` : '') },
    { label: 'Rebalancing', value: `${rebalance.frequency}${rebalance.band === null ? '' : `, band ${'absolute' in rebalance.band ? `absolute ${rebalance.band.absolute}` : `relative ${rebalance.band.relative}`}`}, cost ${rebalance.costBps} bps` },
    { label: 'Rebalances', value: partB === null ? '' : `${partB.rebalances.count} (${partB.rebalances.byTrigger.calendar} calendar, ${partB.rebalances.byTrigger.band} band), total cost ${formatUsd(partB.rebalances.totalCost)}` },
    {
      label: 'Limits',
      value:
        Object.entries(limits)
          .filter(([, value]) => value !== null)
          .map(([key, value]) => `${key} ${String(value)}`)
          .join(', ') || 'none',
    },
  ];
  if (partB?.riskParityFallbacks !== undefined) settings.push({ label: 'Risk-parity fallbacks', value: `${partB.riskParityFallbacks.length} rebalance(s) fell back to inverse volatility` });
  if (partB?.blockedEntries !== undefined) {
    const blocked = Object.entries(partB.blockedEntries);
    settings.push({ label: 'Blocked entries', value: blocked.length === 0 ? 'none' : blocked.map(([name, { count }]) => `${name} ${count}`).join(', ') });
  }
  return { settings, limits: partB?.limits ?? null };
}

function strategyNote(name: string, { results }: ReportSource): string {
  const notes = [];
  if (results.wipeouts[name] !== undefined) notes.push(`wiped out ${results.wipeouts[name]}`);
  if (results.checks.roundingDrift.strategies[name]?.status === 'fail') notes.push('rounding drift beyond tolerance');
  const unsized = results.unsizedReturns[name];
  if (unsized !== undefined) notes.push(`${unsized.count} unsized return(s)`);
  return notes.join('; ');
}

function accountNote(name: string, { results }: ReportSource): string {
  const check = results.checks.marginUtilization.accounts[name];
  return check !== undefined && check.days > 0 ? `margin above ${formatPercent(check.thresholdPct)} on ${check.days} day(s)` : '';
}

function correlationCsv(names: readonly string[], matrix: readonly (number | null)[][]): string {
  const lines = [['Strategy', ...names].map(textCell).join(',')];
  matrix.forEach((row, i) => lines.push([textCell(names[i] ?? ''), ...row.map((value) => (value === null ? '' : String(value)))].join(',')));
  return `${lines.join('\n')}\n`;
}
