/**
 * Each check of SPEC 5, 14, 16.1, 19.1 and 19.2 in words with its figures: the same words in the
 * terminal, the email and the HTML. A headline says in one line what a reader must know when the
 * check fails (the morning page's banner, the email's first lines); the details give every figure.
 */
import type { PartBChecks } from '#shared/calc/partBResults.ts';
import type { PartCChecks } from '#shared/calc/partCResults.ts';
import type { Checks, Status } from '#shared/calc/reconcile.ts';
import type { FreshnessCheck } from '#shared/calc/freshness.ts';
import type { RestatementsCheck } from '#shared/calc/restatements.ts';
import { countOf, formatCount, formatFixed, formatPercent, formatUsd } from './formatting.ts';

/**
 * What a check watches: a rule the manager set (limits, the margin alert), the developers' data
 * (freshness, restatements), or the pipeline's own arithmetic (reconciliations, drift, invariants).
 */
export type CheckKind = 'rule' | 'data' | 'internal';

export interface CheckDescription {
  name: string;
  kind: CheckKind;
  status: Status;
  /** The check in one sentence, its worst figure and how often; a failing check's line in the banner. */
  headline: string;
  /** The figures, one short line each. */
  details: string[];
}

/**
 * Dates or names in a sentence, each whole: the first few and how many more, so that a headline
 * stays one line at 200 strategies.
 */
export function firstFew(items: readonly string[], shown = 5): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

export function describeChecks(checks: Checks & Partial<PartBChecks> & Partial<PartCChecks> & { restatements?: RestatementsCheck }): CheckDescription[] {
  const { accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization } = checks;
  const { costConservation, maxLeverage, maxConcurrentPositions, dailyStopLoss, drawdownBreaches, maxConcentration } = checks;
  const partB: CheckDescription[] = [];
  if (costConservation !== undefined) {
    partB.push({
      name: 'costConservation',
      status: costConservation.status,
      kind: 'internal',
      // SPEC 14 counts the initial allocations here and not in `rebalances.count`: said so, the two counts agree.
      headline: `${countOf(costConservation.failingRebalances, 'allocation')} of ${formatCount(costConservation.rebalances)} (the initial ones and the rebalances) leak more than ${formatUsd(costConservation.toleranceUsd)} beyond their costs, worst ${formatUsd(costConservation.maxAbsDiff)} on ${costConservation.maxAbsDiffDate}`,
      details: [
        `${countOf(costConservation.rebalances, 'allocation')} checked (each account's initial allocation and every rebalance after it); max |difference| ${formatUsd(costConservation.maxAbsDiff)} on ${costConservation.maxAbsDiffDate}, ${costConservation.failingRebalances} over ${formatUsd(costConservation.toleranceUsd)}`,
      ],
    });
  }
  if (maxLeverage !== undefined) {
    partB.push({
      name: 'maxLeverage',
      status: maxLeverage.status,
      kind: 'rule',
      headline: `Leverage above ${maxLeverage.limit}x on ${countOf(maxLeverage.days, 'day')}, worst ${maxLeverage.worst.toFixed(1)}x on ${maxLeverage.worstDate}`,
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
      kind: 'rule',
      headline: `${formatCount(maxConcurrentPositions.blocked)} of ${countOf(maxConcurrentPositions.requested, 'entry', 'entries')} blocked by the limit of ${maxConcurrentPositions.limit} positions at once`,
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
      kind: 'rule',
      headline: `Lost ${formatUsd(dailyStopLoss.limitUsd)} or more in a day on ${countOf(dailyStopLoss.days, 'day')}, worst ${formatUsd(dailyStopLoss.worstChangeUsd)} on ${dailyStopLoss.worstDate}`,
      details: [
        `worst day ${formatUsd(dailyStopLoss.worstChangeUsd)} on ${dailyStopLoss.worstDate}; ${dailyStopLoss.days} day(s) lost ${formatUsd(dailyStopLoss.limitUsd)} or more` +
          (dailyStopLoss.days > 0 ? `: ${firstFew(dailyStopLoss.dates)}` : ''),
      ],
    });
  }
  if (drawdownBreaches !== undefined) {
    partB.push({
      name: 'drawdownBreaches',
      status: drawdownBreaches.status,
      kind: 'rule',
      headline:
        `Down ${formatUsd(drawdownBreaches.limitUsd)} or more from the peak ${countOf(drawdownBreaches.events, 'time')}, deepest ${formatUsd(drawdownBreaches.maxDrawdownUsd)}` +
        (drawdownBreaches.maxDrawdownDate === null ? '' : ` on ${drawdownBreaches.maxDrawdownDate}`),
      details: [
        `deepest ${formatUsd(drawdownBreaches.maxDrawdownUsd)}${drawdownBreaches.maxDrawdownDate === null ? '' : ` on ${drawdownBreaches.maxDrawdownDate}`}; ${drawdownBreaches.events} time(s) down ${formatUsd(drawdownBreaches.limitUsd)} or more` +
          (drawdownBreaches.events > 0 ? `: ${firstFew(drawdownBreaches.dates)}` : ''),
      ],
    });
  }
  if (maxConcentration !== undefined) {
    partB.push({
      name: 'maxConcentration',
      status: maxConcentration.status,
      kind: 'rule',
      headline: `A strategy above ${formatPercent(maxConcentration.limitPct)} of the portfolio on ${countOf(maxConcentration.days, 'day')}, worst ${maxConcentration.worstStrategy} ${formatPercent(maxConcentration.worstPct)} on ${maxConcentration.worstDate}`,
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
      kind: 'internal',
      headline: accountReconciliationHeadline(accountReconciliation),
      details: Object.entries(accountReconciliation.accounts).map(
        ([name, account]) =>
          `${name}: max |difference| ${formatUsd(account.maxAbsDiff)} on ${account.maxAbsDiffDate}, ${account.failingDays} day(s) over ${formatUsd(accountReconciliation.toleranceUsd)}`,
      ),
    },
    {
      name: 'portfolioReconciliation',
      status: portfolioReconciliation.status,
      kind: 'internal',
      headline: `The portfolio differs from the sum of its accounts by more than ${formatUsd(portfolioReconciliation.toleranceUsd)} on ${countOf(portfolioReconciliation.failingDays, 'day')}, worst ${formatUsd(portfolioReconciliation.maxAbsDiff)} on ${portfolioReconciliation.maxAbsDiffDate}`,
      details: [
        `max |difference| ${formatUsd(portfolioReconciliation.maxAbsDiff)} on ${portfolioReconciliation.maxAbsDiffDate}, ${portfolioReconciliation.failingDays} day(s) over ${formatUsd(portfolioReconciliation.toleranceUsd)}`,
      ],
    },
    {
      name: 'roundingDrift',
      status: roundingDrift.status,
      kind: 'internal',
      headline: roundingDriftHeadline(roundingDrift),
      details: Object.entries(roundingDrift.strategies).map(([name, drift]) =>
        drift.drift === null
          ? `${name}: no sized day`
          : `${name}: drift ${formatFixed(drift.drift, 4)} (traded ${drift.meanRatio === null ? '' : formatFixed(drift.meanRatio, 4)} of implied, target ${drift.target}, ${drift.days} days, tolerance ${roundingDrift.tolerance})`,
      ),
    },
    {
      name: 'invariants',
      status: invariants.status,
      kind: 'internal',
      headline:
        `${countOf(invariants.violations, 'violation')} of capital, minimum position or increments` +
        (invariants.firstViolations[0] === undefined ? '' : `, first ${invariants.firstViolations[0].strategy} on ${invariants.firstViolations[0].date} (${invariants.firstViolations[0].rule})`),
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
      kind: 'rule',
      headline: marginUtilizationHeadline(marginUtilization),
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
    kind: 'data',
    headline:
      restatements.strategies === 0
        ? 'No past date differs from the previous copy of the inputs'
        : `${countOf(restatements.strategies, 'strategy', 'strategies')} re-sent history: ${countOf(restatements.dates, 'past date')} changed, removed or inserted`,
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
      kind: 'internal',
      headline:
        `P&L not explained by the strategies and costs: at most ${formatUsd(attributionReconciliation.maxAbsResidualUsd)}` +
        (attributionReconciliation.date === null ? '' : ` on ${attributionReconciliation.date}`) +
        `, tolerance ${formatUsd(attributionReconciliation.toleranceUsd)}`,
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
      kind: 'data',
      headline: freshnessHeadline(freshness),
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

function accountReconciliationHeadline({ toleranceUsd, accounts }: Checks['accountReconciliation']): string {
  const entries = Object.entries(accounts);
  const days = entries.reduce((sum, [, account]) => sum + account.failingDays, 0);
  const worst = entries.reduce<(typeof entries)[number] | undefined>((found, entry) => (found === undefined || entry[1].maxAbsDiff > found[1].maxAbsDiff ? entry : found), undefined);
  return (
    `Accounts differ from the sum of their sleeves by more than ${formatUsd(toleranceUsd)} on ${countOf(days, 'account-day')}` +
    (worst === undefined ? '' : `, worst ${formatUsd(worst[1].maxAbsDiff)} in ${worst[0]} on ${worst[1].maxAbsDiffDate}`)
  );
}

function roundingDriftHeadline({ tolerance, strategies }: Checks['roundingDrift']): string {
  const drifting = Object.entries(strategies).filter(([, drift]) => drift.status === 'fail');
  return drifting.length === 0
    ? `Every strategy's traded position within ${tolerance} of its target`
    : `Traded positions more than ${tolerance} off their target: ${firstFew(drifting.map(([name, drift]) => `${name} (${drift.drift === null ? 'n/a' : formatFixed(drift.drift, 4)})`), 3)}`;
}

function marginUtilizationHeadline({ accounts, portfolio }: Checks['marginUtilization']): string {
  const levels = [...Object.entries(accounts), ['the portfolio', portfolio] as const];
  const worst = levels.reduce((found, level) => (level[1].worstPct > found[1].worstPct ? level : found));
  const above = levels.filter(([, check]) => check.days > 0);
  return above.length === 0
    ? `Margin utilization at most ${formatPercent(worst[1].worstPct)} (${worst[0]} on ${worst[1].worstDate}), alert at ${formatPercent(worst[1].thresholdPct)}`
    : `Margin utilization above ${formatPercent(worst[1].thresholdPct)}: ${firstFew(above.map(([name, check]) => `${name} on ${countOf(check.days, 'day')}`), 3)}; worst ${formatPercent(worst[1].worstPct)} (${worst[0]}) on ${worst[1].worstDate}`;
}

function freshnessHeadline({ staleAfterWeekdays, asOf, strategies }: FreshnessCheck): string {
  if (staleAfterWeekdays === null) return 'Freshness not checked (thresholds.staleAfterWeekdays is null)';
  const stale = Object.entries(strategies).filter(([, strategy]) => strategy.stale);
  return stale.length === 0
    ? `No track record more than ${countOf(staleAfterWeekdays, 'weekday')} behind ${asOf}`
    : `${countOf(stale.length, 'track record')} stale: ${firstFew(stale.map(([name, strategy]) => `${name} (last row ${strategy.lastDate}, ${countOf(strategy.weekdaysBehind, 'weekday')} behind)`), 3)}`;
}
