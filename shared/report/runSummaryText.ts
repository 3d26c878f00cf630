/**
 * The short plain-text account of a finished run: final equity at every level, each check
 * with its figures, wipe-outs, unsized returns and warnings. The command line prints it; the
 * notification sends it.
 */
import type { Checks } from '../calc/reconcile.js';
import type { FinalEquity } from '../pipeline/compoundAndReconcile.js';
import type { Results, Validation } from '../pipeline/artifacts.js';
import { describeProblem } from '../problems.js';
import { formatCount, formatFractionAsPercent, formatPercent, formatUsd } from './formatting.js';

export interface RunSummaryInput {
  validation: Validation;
  results: Results;
  finalEquity: FinalEquity;
  dates: { count: number; first: string; last: string };
}

export function runSummaryLines({ validation, results, finalEquity, dates }: RunSummaryInput): string[] {
  const { config } = validation;
  const nameWidth = Math.max(9, ...config.strategies.map((s) => s.name.length), ...config.accounts.map((a) => a.name.length));
  const equityLine = (label: string, name: string, value: number, start: number): string =>
    `  ${label.padEnd(9)} ${name.padEnd(nameWidth)} ${formatUsd(value).padStart(18)}  (${formatFractionAsPercent(value / start - 1)})`;
  const lines = [
    `${config.strategies.length} strategies in ${config.accounts.length} accounts, ${formatCount(dates.count)} dates from ${dates.first} to ${dates.last}`,
    '',
    'Final equity',
    ...config.strategies.map((s) => equityLine('strategy', s.name, finalEquity.strategies[s.name] ?? 0, s.allocatedCapital)),
    ...config.accounts.map((a) => equityLine('account', a.name, finalEquity.accounts[a.name] ?? 0, a.startingCapital)),
    equityLine(
      'portfolio',
      '',
      finalEquity.portfolio,
      config.accounts.reduce((sum, a) => sum + a.startingCapital, 0),
    ),
    '',
    'Checks',
    ...checkLines(results.checks),
  ];
  const wipeouts = Object.entries(results.wipeouts);
  if (wipeouts.length > 0) lines.push('', 'Wiped out', ...wipeouts.map(([name, date]) => `  ${name} on ${date}: it trades no more`));
  const unsized = Object.entries(results.unsizedReturns);
  if (unsized.length > 0) {
    lines.push(
      '',
      'Unsized returns (a return with no margin, sized at maxPositionScale)',
      ...unsized.map(([name, { count, dates: days }]) => `  ${name}: ${count} day(s), first ${days[0] ?? ''}`),
    );
  }
  if (validation.warnings.length > 0) {
    lines.push('', `Warnings (${validation.warnings.length})`, ...validation.warnings.map((warning) => `  ${describeProblem(warning)}`));
  }
  return lines;
}

function checkLines(checks: Checks): string[] {
  const line = (status: string, name: string, detail: string): string =>
    `  ${status === 'pass' ? 'pass' : 'FAIL'}  ${name.padEnd(24)} ${detail}`;
  const { accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization } = checks;
  const worstAccountDiff = Math.max(0, ...Object.values(accountReconciliation.accounts).map((account) => account.maxAbsDiff));
  const drifts = Object.entries(roundingDrift.strategies).map(
    ([name, drift]) => `${name} ${drift.drift === null ? 'n/a' : drift.drift.toFixed(4)}${drift.status === 'fail' ? ' (FAIL)' : ''}`,
  );
  const utilization = [
    ...Object.entries(marginUtilization.accounts).map(([name, check]) => ({ name, check })),
    { name: 'portfolio', check: marginUtilization.portfolio },
  ].map(
    ({ name, check }) =>
      `${name} worst ${formatPercent(check.worstPct)} on ${check.worstDate}` +
      (check.days > 0 ? `, ${check.days} day(s) above ${check.thresholdPct}% from ${check.firstDate ?? ''}` : ''),
  );
  return [
    line(
      accountReconciliation.status,
      'accountReconciliation',
      `max |difference| ${formatUsd(worstAccountDiff)} (tolerance ${formatUsd(accountReconciliation.toleranceUsd)})`,
    ),
    line(
      portfolioReconciliation.status,
      'portfolioReconciliation',
      `max |difference| ${formatUsd(portfolioReconciliation.maxAbsDiff)} on ${portfolioReconciliation.maxAbsDiffDate}`,
    ),
    line(roundingDrift.status, 'roundingDrift', `drift ${drifts.join(', ')} (tolerance ${roundingDrift.tolerance})`),
    line(
      invariants.status,
      'invariants',
      invariants.violations === 0
        ? 'no violations'
        : `${invariants.violations} violation(s), first ${invariants.firstViolations.map((v) => `${v.strategy} ${v.rule} on ${v.date}`).slice(0, 3).join('; ')}`,
    ),
    line(marginUtilization.status, 'marginUtilization', utilization.join('; ')),
  ];
}
