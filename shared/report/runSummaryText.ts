/**
 * The plain-text account of a finished run that `run` prints (issue 13, SPEC 15-16 figures): the
 * morning's lines first (morningText.ts, as the email), then every strategy, account and the
 * portfolio since inception in dollars and time-weighted return, the failing checks with their
 * figures (the passing ones are named in one line among the morning's), rebalances, scenarios, wipe-outs, unsized returns and
 * warnings. The parts the email also carries are exported for it.
 */
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { isoDate } from '#shared/dates.ts';
import type { FinalEquity } from '#shared/model/finalEquity.ts';
import type { Results } from '#shared/model/results.ts';
import type { Validation } from '#shared/model/validation.ts';
import { describeProblem } from '#shared/problems.ts';
import { describeChecks } from './checkDescriptions.ts';
import type { Comparison, ComparisonEntry } from './comparison.ts';
import { countOf, formatCount, formatFixed, formatSignedPercent, formatSignedUsd, formatUsd } from './formatting.ts';
import { forwardRiskSentences } from './forwardRiskText.ts';
import { morningFactsOf, morningLines } from './morningText.ts';
import { rebalancesText } from './partBFacts.ts';
import { section, wrap } from './plainText.ts';

export interface RunSummaryInput {
  validation: Validation;
  results: Results;
  finalEquity: FinalEquity;
  /** The calendar's length and ends (day numbers), as Align+Scale found them. */
  dates: { dates: number; firstDate: number; lastDate: number };
  /** The base run beside its scenarios, when the config has some. */
  comparison: Comparison | null;
  /** montecarlo.json, when the config sets monteCarlo (SPEC 20). */
  forwardRisk: MonteCarloJson | null;
}

/** The bootstrap's chances and where its paths end, wrapped: the terminal's and the email's (SPEC 20). */
export function forwardRiskLines({ forwardRisk, validation }: RunSummaryInput): string[] {
  if (forwardRisk === null) return [];
  const startingCapital = validation.config.accounts.reduce((sum, account) => sum + account.startingCapital, 0);
  return forwardRiskSentences(forwardRisk, startingCapital).flatMap((sentence) => wrap(sentence, ''));
}

/** Warnings the terminal lists before counting the rest: summary.json has them all. */
const LISTED_WARNINGS = 20;

export function runSummaryLines(input: RunSummaryInput): string[] {
  const { validation, results, finalEquity } = input;
  const lines = [
    runLine(input),
    '',
    ...morningLines(morningFactsOf(results), results.asOf.portfolio.periods.inception, finalEquity.portfolio),
    '',
    ...inceptionTable(input),
  ];
  const failing = describeChecks(results.checks).filter((check) => check.status === 'fail');
  const wipeouts = Object.entries(results.wipeouts).flatMap(([name, date]) => wrap(`${name} on ${date}`, '  '));
  lines.push(
    ...section(
      failing.length === 0
        ? []
        : ['Failing checks in figures', ...failing.flatMap((check) => [`  FAIL  ${check.name}`, ...check.details.flatMap((detail) => wrap(detail, '        ', '          '))])],
    ),
    ...section(rebalanceLines(results)),
    ...section(input.comparison === null ? [] : scenarioLines(input.comparison)),
    ...section(forwardRiskLines(input)),
    ...section(wipeouts.length === 0 ? [] : ['Wiped out (trades no more)', ...wipeouts]),
    ...section(unsizedLines(results, Number.POSITIVE_INFINITY)),
    ...section(warningLines(validation, LISTED_WARNINGS)),
  );
  return lines;
}

/** What was run: "3 strategies in 2 accounts, 2,608 dates from 2016-01-04 to 2025-12-31". */
export function runLine({ validation: { config }, dates }: RunSummaryInput): string {
  return `${countOf(config.strategies.length, 'strategy', 'strategies')} in ${countOf(config.accounts.length, 'account')}, ${countOf(dates.dates, 'date')} from ${isoDate(dates.firstDate)} to ${isoDate(dates.lastDate)}`;
}

/**
 * Every level since inception, in the terminal's monospace columns (as wide as the longest name,
 * never cut): SPEC 15's P&L and time-weighted return, a strategy's net capital moved in (its
 * initial allocation and part B's transfers), and the final equity, which is capital in plus P&L.
 */
function inceptionTable({ validation: { config }, results: { asOf }, finalEquity }: RunSummaryInput): string[] {
  const row = (label: string, figures: { pnlUsd: number; return: number; transfersUsd?: number } | null | undefined, equity: number): string[] => [
    label,
    figures === null || figures === undefined ? 'n/a' : formatSignedUsd(figures.pnlUsd),
    figures === null || figures === undefined ? 'n/a' : formatSignedPercent(figures.return),
    figures?.transfersUsd === undefined ? '' : formatSignedUsd(figures.transfersUsd),
    formatUsd(equity),
  ];
  const rows = [
    ['', 'P&L', 'return', 'capital in', 'final equity'],
    ...config.strategies.map((s) => row(`strategy ${s.name}`, asOf.strategies[s.name]?.periods.inception, finalEquity.strategies[s.name] ?? 0)),
    ...config.accounts.map((a) => row(`account ${a.name}`, asOf.accounts[a.name]?.periods.inception, finalEquity.accounts[a.name] ?? 0)),
    row('portfolio', asOf.portfolio.periods.inception, finalEquity.portfolio),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length))) ?? [];
  return [
    'Since inception: P&L, time-weighted return, net capital moved in, final equity',
    ...rows.map((cells) => `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`.trimEnd()),
  ];
}

/**
 * Part B's rebalances, counted as SPEC 14 does (after each account's initial allocation), with
 * the initial allocations said: together they are the allocations costConservation checks.
 */
export function rebalanceLines({ partB, checks }: Results): string[] {
  if (partB === null) return [];
  const blocked = Object.values(partB.blockedEntries ?? {}).reduce((sum, entry) => sum + entry.count, 0);
  return wrap(
    `Rebalances: ${rebalancesText({ partB, checks })}` +
      (partB.blockedEntries === undefined ? '' : `; blocked entries: ${blocked}`) +
      (partB.riskParityFallbacks === undefined ? '' : `; risk-parity fallbacks: ${partB.riskParityFallbacks.length}`),
    '',
    '  ',
  );
}

/** The portfolio of the base run and of the first `shown` scenarios, one sentence each (no table: it reads on a phone). */
export function scenarioLines({ base, scenarios }: Comparison, shown = Number.POSITIVE_INFINITY): string[] {
  const sentence = (entry: ComparisonEntry): string[] => {
    const { totalReturn, cagr, sharpe, maxDrawdown } = entry.metrics.portfolio;
    const failed = Object.values(entry.checks).filter((status) => status === 'fail').length;
    return wrap(
      `${entry.name}: return ${formatSignedPercent(totalReturn)}, CAGR ${cagr === null ? 'n/a' : formatSignedPercent(cagr)}, ` +
        `Sharpe ${sharpe === null ? 'n/a' : formatFixed(sharpe, 2)}, max drawdown ${formatSignedPercent(maxDrawdown)}, ` +
        `costs ${formatUsd(entry.rebalances?.totalCost ?? 0)}, ${countOf(failed, 'check')} failed`,
      '  ',
      '    ',
    );
  };
  return [
    'Scenarios: the portfolio since inception (comparison.json has every level)',
    ...sentence(base),
    ...scenarios.slice(0, shown).flatMap(sentence),
    ...(scenarios.length > shown ? [`  ... and ${scenarios.length - shown} more in comparison.json`] : []),
  ];
}

/** Strategies with unsized returns (a return with no margin, taken at maxPositionScale): the first `shown`, then how many more. */
export function unsizedLines({ unsizedReturns }: Results, shown: number): string[] {
  const unsized = Object.entries(unsizedReturns);
  if (unsized.length === 0) return [];
  return [
    `Unsized returns (a return with no margin, taken at maxPositionScale): ${countOf(unsized.length, 'strategy', 'strategies')}`,
    ...unsized.slice(0, shown).flatMap(([name, { count, dates }]) => wrap(`${name}: ${countOf(count, 'day')}, first ${dates[0] ?? ''}`, '  ', '    ')),
    ...(unsized.length > shown ? [`  ... and ${unsized.length - shown} more in summary.json`] : []),
  ];
}

/** The input warnings: the first `shown`, then how many more. */
export function warningLines({ warnings }: Validation, shown: number): string[] {
  if (warnings.length === 0) return [];
  return [
    `Warnings (${warnings.length})`,
    ...warnings.slice(0, shown).flatMap((warning) => wrap(describeProblem(warning), '  ', '    ')),
    ...(warnings.length > shown ? [`  ... and ${warnings.length - shown} more in summary.json`] : []),
  ];
}
