/**
 * What a reader is told about a level beside its metrics (SPEC 3, 4, 5, 14): a strategy's sizing,
 * drift, unsized returns and wipe-out; an account's strategies, cash, rebalances and margin; the
 * portfolio's margin and failed checks. The tearsheet lists these facts, the index a short note.
 */
import { runSeriesColumns } from '#shared/model/runSeries.ts';
import { describeChecks } from './checkDescriptions.ts';
import { formatCount, formatFractionAsPercent, formatPercent, formatUsd } from './formatting.ts';
import type { ReportLevel, ReportSource } from './reportLevels.ts';

export function levelFacts(level: ReportLevel, source: ReportSource): { label: string; value: string }[] {
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
        : { label: 'Cash at the end', value: formatUsd(source.column(runSeriesColumns.account(config.accounts.findIndex((account) => account.name === level.name), 'cash'))[level.last] ?? 0) },
      ...(rebalances === undefined ? [] : [{ label: 'Rebalances', value: `${formatCount(rebalances.count)} after the initial allocation, total cost ${formatUsd(rebalances.totalCost)}` }]),
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

/** A strategy's note on the index: wiped out, drifting, unsized returns. */
export function strategyNote(name: string, { results }: ReportSource): string {
  const notes = [];
  if (results.wipeouts[name] !== undefined) notes.push(`wiped out ${results.wipeouts[name]}`);
  if (results.checks.roundingDrift.strategies[name]?.status === 'fail') notes.push('rounding drift beyond tolerance');
  const unsized = results.unsizedReturns[name];
  if (unsized !== undefined) notes.push(`${unsized.count} unsized return(s)`);
  return notes.join('; ');
}

/** An account's note on the index: the days its margin was above the alert. */
export function accountNote(name: string, { results }: ReportSource): string {
  const check = results.checks.marginUtilization.accounts[name];
  return check !== undefined && check.days > 0 ? `margin above ${formatPercent(check.thresholdPct)} on ${check.days} day(s)` : '';
}
