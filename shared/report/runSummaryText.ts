/**
 * The short plain-text account of a finished run, at most 80 columns a line so that it reads
 * well in a terminal and a mail client: final equity at every level, each check with its
 * figures, rebalances, the scenarios side by side, wipe-outs, unsized returns and warnings.
 */
import { isoDate } from '#shared/dates.ts';
import type { FinalEquity } from '#shared/model/finalEquity.ts';
import type { Results } from '#shared/model/results.ts';
import type { Validation } from '#shared/model/validation.ts';
import { describeProblem } from '#shared/problems.ts';
import { describeChecks } from './checkDescriptions.ts';
import type { Comparison, ComparisonEntry } from './comparison.ts';
import { formatCount, formatFractionAsPercent, formatUsd } from './formatting.ts';

export interface RunSummaryInput {
  validation: Validation;
  results: Results;
  finalEquity: FinalEquity;
  /** The calendar's length and ends (day numbers), as Align+Scale found them. */
  dates: { dates: number; firstDate: number; lastDate: number };
  /** The base run beside its scenarios, when the config has some. */
  comparison: Comparison | null;
}

export const TEXT_WIDTH = 80;
const NAME_WIDTH = 28;
/** Warnings beyond this many are counted, not listed: summary.json has them all. */
const LISTED_WARNINGS = 20;

export function runSummaryLines({ validation, results, finalEquity, dates, comparison }: RunSummaryInput): string[] {
  const { config } = validation;
  const equityLine = (label: string, name: string, value: number, start: number): string =>
    `  ${label.padEnd(9)} ${clip(name, NAME_WIDTH).padEnd(NAME_WIDTH)} ${formatUsd(value).padStart(18)} ${formatFractionAsPercent(value / start - 1).padStart(9)}`;
  const lines = [
    ...wrap(`${config.strategies.length} strategies in ${config.accounts.length} accounts, ${formatCount(dates.dates)} dates from ${isoDate(dates.firstDate)} to ${isoDate(dates.lastDate)}`, ''),
    '',
    'Final equity (return on the starting capital)',
    ...config.strategies.map((s) => equityLine('strategy', s.name, finalEquity.strategies[s.name] ?? 0, s.allocatedCapital)),
    ...config.accounts.map((a) => equityLine('account', a.name, finalEquity.accounts[a.name] ?? 0, a.startingCapital)),
    equityLine('portfolio', '', finalEquity.portfolio, config.accounts.reduce((sum, a) => sum + a.startingCapital, 0)),
    '',
    'Checks',
    ...describeChecks(results.checks).flatMap((check) => [
      `  ${check.status === 'pass' ? 'pass' : 'FAIL'}  ${check.name}`,
      ...check.details.flatMap((detail) => wrap(detail, '        ', '          ')),
    ]),
  ];
  const { partB } = results;
  if (partB !== null) {
    const blocked = Object.values(partB.blockedEntries ?? {}).reduce((sum, entry) => sum + entry.count, 0);
    lines.push(
      '',
      ...wrap(
        `Rebalances: ${partB.rebalances.count} (${partB.rebalances.byTrigger.calendar} calendar, ${partB.rebalances.byTrigger.band} band), total cost ${formatUsd(partB.rebalances.totalCost)}` +
          (partB.blockedEntries === undefined ? '' : `; blocked entries: ${blocked}`) +
          (partB.riskParityFallbacks === undefined ? '' : `; risk-parity fallbacks: ${partB.riskParityFallbacks.length}`),
        '',
      ),
    );
  }
  if (comparison !== null) lines.push('', ...comparisonLines(comparison));
  const wipeouts = Object.entries(results.wipeouts);
  if (wipeouts.length > 0) {
    lines.push('', 'Wiped out (trades no more)', ...wipeouts.flatMap(([name, date]) => wrap(`${name} on ${date}`, '  ')));
  }
  const unsized = Object.entries(results.unsizedReturns);
  if (unsized.length > 0) {
    lines.push(
      '',
      'Unsized returns (a return with no margin, taken at maxPositionScale)',
      ...unsized.flatMap(([name, { count, dates: days }]) => wrap(`${name}: ${count} day(s), first ${days[0] ?? ''}`, '  ')),
    );
  }
  const { warnings } = validation;
  if (warnings.length > 0) {
    lines.push('', `Warnings (${warnings.length})`, ...warnings.slice(0, LISTED_WARNINGS).flatMap((warning) => wrap(describeProblem(warning), '  ', '    ')));
    if (warnings.length > LISTED_WARNINGS) lines.push(`  ... and ${warnings.length - LISTED_WARNINGS} more in summary.json`);
  }
  return lines;
}

const SCENARIO_WIDTH = 22;
/** Right-aligned widths of return, CAGR, Sharpe, max DD, costs, failed checks: 80 columns in all. */
const SCENARIO_COLUMNS = [9, 8, 8, 9, 14, 8];

/** The portfolio of the base run and of each scenario, one line each. */
function comparisonLines({ base, scenarios }: Comparison): string[] {
  const cells = (name: string, figures: readonly string[]): string =>
    `  ${clip(name, SCENARIO_WIDTH).padEnd(SCENARIO_WIDTH)}${figures.map((figure, i) => figure.padStart(SCENARIO_COLUMNS[i] ?? 0)).join('')}`;
  const line = (entry: ComparisonEntry): string => {
    const { totalReturn, cagr, sharpe, maxDrawdown } = entry.metrics.portfolio;
    const failed = Object.values(entry.checks).filter((status) => status === 'fail').length;
    return cells(entry.name, [
      formatFractionAsPercent(totalReturn),
      formatFractionAsPercent(cagr),
      sharpe === null ? 'n/a' : sharpe.toFixed(2),
      formatFractionAsPercent(maxDrawdown),
      formatUsd(entry.rebalances?.totalCost ?? 0),
      String(failed),
    ]);
  };
  return [
    'Scenarios (the portfolio; comparison.json has every level)',
    cells('', ['return', 'CAGR', 'Sharpe', 'max DD', 'costs', 'failed']),
    line(base),
    ...scenarios.map(line),
  ];
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}~`;
}

/** Breaks text at spaces into lines of at most 80 columns; a word longer than a line is cut. */
export function wrap(text: string, indent: string, continuation: string = indent): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? indent : continuation;
    const candidate = line === prefix ? `${line}${word}` : `${line} ${word}`;
    if (candidate.length <= TEXT_WIDTH || line === prefix) {
      line = candidate;
    } else {
      lines.push(line);
      line = `${continuation}${word}`;
    }
    while (line.length > TEXT_WIDTH) {
      lines.push(line.slice(0, TEXT_WIDTH));
      line = `${continuation}${line.slice(TEXT_WIDTH)}`;
    }
  }
  lines.push(line);
  return lines;
}
