/** Each check of SPEC 5, 14, 16.1, 19.1 and 19.2 in a sentence with its figures: the same words in the terminal, the email and the HTML. */
import type { PartBChecks } from '#shared/calc/partBResults.ts';
import type { PartCChecks } from '#shared/calc/partCResults.ts';
import type { Checks, Status } from '#shared/calc/reconcile.ts';
import type { RestatementsCheck } from '#shared/calc/restatements.ts';
import { formatCount, formatPercent, formatUsd } from './formatting.ts';

export interface CheckDescription {
  name: string;
  status: Status;
  /** The figures, one short line each. */
  details: string[];
}

/** Dates in a sentence: the first few and how many more. */
function someDates(dates: readonly string[], shown = 5): string {
  return dates.length <= shown ? dates.join(', ') : `${dates.slice(0, shown).join(', ')} and ${dates.length - shown} more`;
}

export function describeChecks(checks: Checks & Partial<PartBChecks> & Partial<PartCChecks> & { restatements?: RestatementsCheck }): CheckDescription[] {
  const { accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization } = checks;
  const { costConservation, maxLeverage, maxConcurrentPositions, dailyStopLoss, drawdownBreaches, maxConcentration } = checks;
  const partB: CheckDescription[] = [];
  if (costConservation !== undefined) {
    partB.push({
      name: 'costConservation',
      status: costConservation.status,
      details: [
        `${costConservation.rebalances} rebalance(s); max |difference| ${formatUsd(costConservation.maxAbsDiff)} on ${costConservation.maxAbsDiffDate}, ${costConservation.failingRebalances} over ${formatUsd(costConservation.toleranceUsd)}`,
      ],
    });
  }
  if (maxLeverage !== undefined) {
    partB.push({
      name: 'maxLeverage',
      status: maxLeverage.status,
      details: [
        `worst ${maxLeverage.worst.toFixed(2)}x on ${maxLeverage.worstDate}; ${maxLeverage.days} day(s) above ${maxLeverage.limit}x` +
          (maxLeverage.firstDate === null ? '' : ` from ${maxLeverage.firstDate}`),
      ],
    });
  }
  if (maxConcurrentPositions !== undefined) {
    const blocked = Object.entries(maxConcurrentPositions.strategies).filter(([, stats]) => stats.blocked > 0);
    partB.push({
      name: 'maxConcurrentPositions',
      status: maxConcurrentPositions.status,
      details: [
        `limit ${maxConcurrentPositions.limit}: ${maxConcurrentPositions.requested} entries, ${maxConcurrentPositions.allowed} allowed, ${maxConcurrentPositions.blocked} blocked; at most ${maxConcurrentPositions.maxConcurrent} held at once (${maxConcurrentPositions.maxConcurrentDate})`,
        ...blocked.map(([name, stats]) => `${name}: ${stats.blocked} of ${stats.requested} entries blocked, ${stats.blockedDays} day(s) out`),
      ],
    });
  }
  if (dailyStopLoss !== undefined) {
    partB.push({
      name: 'dailyStopLoss',
      status: dailyStopLoss.status,
      details: [
        `worst day ${formatUsd(dailyStopLoss.worstChangeUsd)} on ${dailyStopLoss.worstDate}; ${dailyStopLoss.days} day(s) lost ${formatUsd(dailyStopLoss.limitUsd)} or more` +
          (dailyStopLoss.days > 0 ? `: ${someDates(dailyStopLoss.dates)}` : ''),
      ],
    });
  }
  if (drawdownBreaches !== undefined) {
    partB.push({
      name: 'drawdownBreaches',
      status: drawdownBreaches.status,
      details: [
        `deepest ${formatUsd(drawdownBreaches.maxDrawdownUsd)}${drawdownBreaches.maxDrawdownDate === null ? '' : ` on ${drawdownBreaches.maxDrawdownDate}`}; ${drawdownBreaches.events} time(s) down ${formatUsd(drawdownBreaches.limitUsd)} or more` +
          (drawdownBreaches.events > 0 ? `: ${someDates(drawdownBreaches.dates)}` : ''),
      ],
    });
  }
  if (maxConcentration !== undefined) {
    partB.push({
      name: 'maxConcentration',
      status: maxConcentration.status,
      details: [
        `worst ${maxConcentration.worstStrategy} ${formatPercent(maxConcentration.worstPct)} of the portfolio on ${maxConcentration.worstDate}; ${formatCount(maxConcentration.days)} day(s) above ${formatPercent(maxConcentration.limitPct)}` +
          (maxConcentration.firstDate === null ? '' : ` from ${maxConcentration.firstDate}`),
      ],
    });
  }
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
    ...partB,
    ...partCDescriptions(checks),
    ...(checks.restatements === undefined ? [] : [restatementsDescription(checks.restatements)]),
  ];
}

/** SPEC 19.2: history that differs from the copy sent before. */
function restatementsDescription(restatements: RestatementsCheck): CheckDescription {
  return {
    name: 'restatements',
    status: restatements.status,
    details: [
      restatements.strategies === 0
        ? 'no past date differs from the previous copy of the inputs'
        : `${restatements.strategies} strategy(ies) re-sent history that differs from the previous copy: ${formatCount(restatements.dates)} past date(s) changed, removed or inserted (restatements.csv)`,
    ],
  };
}

/** Part C's checks: every dollar of P&L explained, every track record up to date. */
function partCDescriptions({ attributionReconciliation, freshness }: Partial<PartCChecks>): CheckDescription[] {
  const descriptions: CheckDescription[] = [];
  if (attributionReconciliation !== undefined) {
    descriptions.push({
      name: 'attributionReconciliation',
      status: attributionReconciliation.status,
      details: [
        `P&L not explained by the strategies and costs: at most ${formatUsd(attributionReconciliation.maxAbsResidualUsd)}` +
          (attributionReconciliation.date === null ? '' : ` on ${attributionReconciliation.date}`) +
          `, tolerance ${formatUsd(attributionReconciliation.toleranceUsd)}`,
      ],
    });
  }
  if (freshness !== undefined) {
    const behind = Object.entries(freshness.strategies);
    descriptions.push({
      name: 'freshness',
      status: freshness.status,
      details:
        freshness.staleAfterWeekdays === null
          ? ['off (thresholds.staleAfterWeekdays is null)']
          : behind.length === 0
            ? [`every track record runs to ${freshness.asOf}`]
            : behind.map(
                ([name, strategy]) =>
                  `${name}: last date ${strategy.lastDate}, ${strategy.weekdaysBehind} weekday(s) behind ${freshness.asOf}` +
                  (strategy.stale ? `, more than ${freshness.staleAfterWeekdays}: stale` : ''),
              ),
    });
  }
  return descriptions;
}
