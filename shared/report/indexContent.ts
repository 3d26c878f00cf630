/**
 * What index.html shows (SPEC 6, 14): the portfolio at a glance, the checks, the warnings, every
 * strategy and account with its note, the correlation table, part B's settings, the scenarios
 * and the data files; the page is made of this.
 */
import { at } from '#shared/collections.ts';
import { isoDate } from '#shared/dates.ts';
import { describeProblem } from '#shared/problems.ts';
import { describeChecks } from './checkDescriptions.ts';
import type { Comparison } from './comparison.ts';
import type { IndexInput, LevelRow } from './html/indexPage.ts';
import { accountNote, strategyNote } from './levelFacts.ts';
import { partBFacts } from './partBFacts.ts';
import { EVERY_RUN_FILES, REPORT_FILES } from './reportFiles.ts';
import type { ReportLevel, ReportSource } from './reportLevels.ts';
import { reportPaths } from './reportNames.ts';

/** Beyond this many strategies the correlation matrix is a CSV only: a 500 x 500 table helps nobody. */
const MAX_CORRELATION_TABLE = 30;

export interface IndexCharts {
  portfolio: Uint8Array;
  /** The scenarios side by side, when the run has scenarios. */
  scenarios: Uint8Array | null;
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
  const names = validation.config.strategies.map((strategy) => strategy.name);
  return {
    firstDate: isoDate(at(calendar, 0)),
    lastDate: isoDate(at(calendar, calendar.length - 1)),
    portfolio: { ...row(portfolio, ''), worstUtilizationPct: utilization.portfolio.worstPct, worstUtilizationDate: utilization.portfolio.worstDate },
    portfolioChart: charts.portfolio,
    checks: describeChecks(results.checks),
    warnings: validation.warnings.map(describeProblem),
    strategies: levels.filter((level) => level.level === 'strategy').map((level) => row(level, strategyNote(level.name, source))),
    accounts: levels.filter((level) => level.level === 'account').map((level) => row(level, accountNote(level.name, source))),
    correlation: names.length <= MAX_CORRELATION_TABLE ? { names, matrix: correlation } : null,
    partB: results.partB === null ? null : partBFacts(source),
    scenarios: comparison === null || charts.scenarios === null ? null : { entries: [comparison.base, ...comparison.scenarios], chart: charts.scenarios },
    dataFiles: [
      ...EVERY_RUN_FILES,
      ...(results.partB === null ? [] : [REPORT_FILES.rebalanceLog, REPORT_FILES.limits]),
      ...(validation.config.scenarios.length === 0 ? [] : [REPORT_FILES.comparison]),
      reportPaths.correlation,
    ],
  };
}
