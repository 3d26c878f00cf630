/**
 * What index.html shows (SPEC 6, 14, 15, 16; issue 13's morning page): the breaches and the
 * portfolio's as-of figures first (morningFacts), the day's and month's movers, every account and
 * strategy with its periods, drawdown now and share of risk, grouped by account, the checks, the
 * correlation as pairs (the matrix while it fits), part B's settings, the scenarios and the data
 * files; the page is made of this.
 */
import { weekdaysBetween } from '#shared/calc/freshness.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { at } from '#shared/collections.ts';
import { isoDate } from '#shared/dates.ts';
import { describeProblem } from '#shared/problems.ts';
import { describeChecks } from './checkDescriptions.ts';
import type { Comparison } from './comparison.ts';
import { correlationExtremes } from './correlationPairs.ts';
import type { DataRow, IndexInput, LevelRow } from './html/indexPage.ts';
import { accountNote, strategyNote } from './levelFacts.ts';
import { MONTE_CARLO_FILES } from './monteCarloFiles.ts';
import { morningFacts } from './morningFacts.ts';
import { partBFacts } from './partBFacts.ts';
import { EVERY_RUN_FILES, REPORT_FILES } from './reportFiles.ts';
import type { ReportLevel, ReportSource } from './reportLevels.ts';
import { OPTIMIZER_FILES, reportPaths } from './reportNames.ts';

/** Beyond this many strategies the full matrix is a CSV only (the pairs stay on the page): a wider table fits no screen. */
export const MAX_CORRELATION_TABLE = 12;

export interface IndexCharts {
  portfolio: Uint8Array;
  /** The scenarios side by side, when the run has scenarios. */
  scenarios: Uint8Array | null;
  /** montecarlo.json and the fan chart, when the config sets monteCarlo (SPEC 20). */
  forwardRisk: { report: MonteCarloJson; chart: Uint8Array } | null;
}

/** `levels`: every level of the report in order, the portfolio last. */
export function indexContent(
  source: ReportSource,
  levels: readonly ReportLevel[],
  correlation: (number | null)[][],
  comparison: Comparison | null,
  charts: IndexCharts,
): IndexInput {
  const { validation, results, calendar } = source;
  const { config } = validation;
  const { asOf, attribution } = results;
  const trailingRisk = attribution.risk.trailing;
  const row = (level: ReportLevel, note: string): LevelRow => {
    const figures = level.level === 'strategy' ? asOf.strategies[level.name] : level.level === 'account' ? asOf.accounts[level.name] : asOf.portfolio;
    if (figures === undefined) throw new Error(`summary.json's asOf has no ${level.level} ${level.name}`);
    const members = level.level === 'strategy' ? [level.name] : config.strategies.filter((strategy) => level.level === 'portfolio' || strategy.account === level.name).map((strategy) => strategy.name);
    return {
      name: level.name,
      href: reportPaths.tearsheet(level.level, level.name),
      account: level.account,
      since: isoDate(at(calendar, level.first)),
      startingCapital: level.startingCapital,
      equity: level.equity[level.last] ?? 0,
      asOf: figures,
      riskShare: riskShareOf(members, trailingRisk.strategies),
      metrics: level.metrics,
      note,
    };
  };
  const portfolio = at(levels, levels.length - 1);
  const utilization = results.checks.marginUtilization;
  const names = config.strategies.map((strategy) => strategy.name);
  const strategies = levels.filter((level) => level.level === 'strategy').map((level) => row(level, strategyNote(level.name, source)));
  return {
    firstDate: isoDate(at(calendar, 0)),
    lastDate: isoDate(at(calendar, calendar.length - 1)),
    morning: morningFacts(results),
    portfolio: { ...row(portfolio, ''), worstUtilizationPct: utilization.portfolio.worstPct, worstUtilizationDate: utilization.portfolio.worstDate },
    portfolioChart: charts.portfolio,
    checks: describeChecks(results.checks),
    warnings: validation.warnings.map(describeProblem),
    strategies,
    accounts: levels.filter((level) => level.level === 'account').map((level) => row(level, accountNote(level.name, source))),
    groups: config.accounts.map((account) => ({ account: account.name, strategies: strategies.filter((strategy) => strategy.account === account.name) })),
    riskWindow: { first: trailingRisk.first, last: trailingRisk.last, days: trailingRisk.days, costsShare: trailingRisk.costsContribution },
    correlation: {
      extremes: correlationExtremes(names, correlation),
      matrix: names.length <= MAX_CORRELATION_TABLE ? { names, matrix: correlation } : null,
    },
    partB: results.partB === null ? null : partBFacts(source),
    scenarios: comparison === null || charts.scenarios === null ? null : { entries: [comparison.base, ...comparison.scenarios], chart: charts.scenarios },
    forwardRisk: charts.forwardRisk === null ? null : { ...charts.forwardRisk, startingCapital: portfolio.startingCapital },
    // `optimize` writes optimizer.html into the same folder (published beside the run's report); the run cannot see whether it has.
    optimizerPage: OPTIMIZER_FILES.page,
    dataFiles: [
      ...EVERY_RUN_FILES,
      ...(results.partB === null ? [] : [REPORT_FILES.rebalanceLog, REPORT_FILES.limits]),
      ...(config.scenarios.length === 0 ? [] : [REPORT_FILES.comparison]),
      ...(validation.restatements === undefined ? [] : [REPORT_FILES.restatements]),
      ...(config.monteCarlo === undefined ? [] : [MONTE_CARLO_FILES.json, MONTE_CARLO_FILES.fan]),
      reportPaths.correlation,
    ],
    data: dataRows(source, levels.filter((level) => level.level === 'strategy')),
  };
}

/**
 * Issue 15's "data" section: each strategy's track record as this run read it (first and last
 * date, rows, weekdays behind `T` as SPEC 19.1 counts them, stale or not) and, when a previous
 * copy was compared, whether it is new, restated (with its rows' lines in restatements.csv),
 * unchanged, or could not be compared.
 */
function dataRows({ validation, results, calendar }: ReportSource, strategies: readonly ReportLevel[]): IndexInput['data'] {
  const asOfDay = at(calendar, calendar.length - 1);
  const { freshness } = results.checks;
  const notes = validation.previousCopy;
  const unreadable = new Set(validation.warnings.filter((warning) => warning.kind === 'previousUnreadable').map((warning) => warning.file));
  const rowsOf = new Map(validation.inputs.map((input) => [input.file, input.rows]));
  const rows = strategies.map((level): DataRow => {
    const file = `${level.name}.csv`;
    const lastDay = at(calendar, level.last);
    const restated = notes?.restated[level.name];
    const summary = validation.restatements?.strategies[level.name];
    return {
      name: level.name,
      href: reportPaths.tearsheet('strategy', level.name),
      firstDate: isoDate(at(calendar, level.first)),
      lastDate: isoDate(lastDay),
      rows: rowsOf.get(file) ?? 0,
      weekdaysBehind: weekdaysBetween(lastDay, asOfDay),
      stale: freshness.strategies[level.name]?.stale ?? false,
      previous:
        notes === undefined
          ? null
          : restated !== undefined && summary !== undefined
            ? { kind: 'restated', days: summary.changed + summary.removed + summary.inserted, firstDate: summary.firstDate, lastDate: summary.lastDate, lines: restated.lines }
            : notes.newStrategies.includes(level.name)
              ? { kind: 'new' }
              : unreadable.has(file)
                ? { kind: 'unreadable' }
                : { kind: 'unchanged', appended: notes.appended[level.name] ?? 0 },
    };
  });
  return { previous: validation.restatements?.previous ?? null, staleAfterWeekdays: freshness.staleAfterWeekdays, strategies: rows };
}

/** SPEC 16.2's trailing contribution of a strategy, or the sum over an account's (the contributions add up); null when the window has none. */
function riskShareOf(strategies: readonly string[], risk: Record<string, { contribution: number | null }>): number | null {
  let share = 0;
  for (const name of strategies) {
    const contribution = risk[name]?.contribution;
    if (contribution === null || contribution === undefined) return null;
    share += contribution;
  }
  return share;
}
