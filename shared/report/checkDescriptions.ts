/** Each check of SPEC 5 in a sentence with its figures: the same words in the terminal, the email and the HTML. */
import type { Checks, Status } from '../calc/reconcile.js';
import { formatPercent, formatUsd } from './formatting.js';

export interface CheckDescription {
  name: keyof Checks;
  status: Status;
  /** The figures, one short line each. */
  details: string[];
}

export function describeChecks(checks: Checks): CheckDescription[] {
  const { accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization } = checks;
  return [
    {
      name: 'accountReconciliation',
      status: accountReconciliation.status,
      details: Object.entries(accountReconciliation.accounts).map(
        ([name, account]) =>
          `${name}: max |difference| ${formatUsd(account.maxAbsDiff)} on ${account.maxAbsDiffDate}, ${account.failingDays} day(s) over ${formatUsd(accountReconciliation.toleranceUsd)}`,
      ),
    },
    {
      name: 'portfolioReconciliation',
      status: portfolioReconciliation.status,
      details: [
        `max |difference| ${formatUsd(portfolioReconciliation.maxAbsDiff)} on ${portfolioReconciliation.maxAbsDiffDate}, ${portfolioReconciliation.failingDays} day(s) over ${formatUsd(portfolioReconciliation.toleranceUsd)}`,
      ],
    },
    {
      name: 'roundingDrift',
      status: roundingDrift.status,
      details: Object.entries(roundingDrift.strategies).map(([name, drift]) =>
        drift.drift === null
          ? `${name}: no sized day`
          : `${name}: drift ${drift.drift.toFixed(4)} (traded ${drift.meanRatio?.toFixed(4) ?? ''} of implied, target ${drift.target}, ${drift.days} days, tolerance ${roundingDrift.tolerance})`,
      ),
    },
    {
      name: 'invariants',
      status: invariants.status,
      details:
        invariants.violations === 0
          ? ['no violation of capital, minimum position or increments']
          : [
              `${invariants.violations} violation(s), first:`,
              ...invariants.firstViolations.map((violation) => `${violation.date} ${violation.strategy}: ${violation.rule}`),
            ],
    },
    {
      name: 'marginUtilization',
      status: marginUtilization.status,
      details: [
        ...Object.entries(marginUtilization.accounts).map(([name, check]) => ({ name: `account ${name}`, check })),
        { name: 'portfolio', check: marginUtilization.portfolio },
      ].map(
        ({ name, check }) =>
          `${name}: worst ${formatPercent(check.worstPct)} on ${check.worstDate}` +
          (check.days > 0 ? `; above ${formatPercent(check.thresholdPct)} on ${check.days} day(s) from ${check.firstDate ?? ''}` : `; alert ${formatPercent(check.thresholdPct)}`),
      ),
    },
  ];
}
