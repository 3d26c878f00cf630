/**
 * The portfolio rules of SPEC 12 as checks: leverage, concurrent positions (enforced in the day
 * loop; here its statistics), daily stop loss, drawdown breaches and concentration. Each is
 * `pass` when nothing exceeded, with the figures and dates that say what happened.
 */
import { isoDate } from '#shared/dates.ts';
import { exceeds } from '#shared/numbers.ts';
import type { Ledger, Rebalance } from './compound.ts';
import { daysAbove } from './daysAbove.ts';
import { dollarDrawdowns } from './drawdowns.ts';
import { noEntries, type EntryStats } from './entryGate.ts';
import type { Status } from './reconcile.ts';

export interface MaxLeverageCheck {
  status: Status;
  limit: number;
  days: number;
  firstDate: string | null;
  worst: number;
  worstDate: string;
}

/** Days with the portfolio's Leverage_Ratio strictly above the limit; the highest over all days. */
export function maxLeverageCheck(calendar: Int32Array, leverage: Float64Array, limit: number): MaxLeverageCheck {
  const { days, first, worst } = daysAbove(leverage, limit);
  return {
    status: days > 0 ? 'fail' : 'pass',
    limit,
    days,
    firstDate: first === -1 ? null : isoDate(calendar[first] ?? 0),
    worst: leverage[worst] ?? 0,
    worstDate: isoDate(calendar[worst] ?? 0),
  };
}

export interface EntryFigures {
  requested: number;
  allowed: number;
  blocked: number;
  blockRate: number | null;
}

export interface MaxConcurrentPositionsCheck extends EntryFigures {
  status: Status;
  limit: number;
  maxConcurrent: number;
  maxConcurrentDate: string;
  strategies: Record<string, EntryFigures & { blockedDays: number }>;
}

function entryFigures({ requested, allowed, blocked }: { requested: number; allowed: number; blocked: number }): EntryFigures {
  return { requested, allowed, blocked, blockRate: requested === 0 ? null : blocked / requested };
}

/** The rule is enforced, so never exceeded: it fails (alerts) when an entry was blocked. */
export function maxConcurrentPositionsCheck(calendar: Int32Array, names: readonly string[], ledger: Ledger, limit: number): MaxConcurrentPositionsCheck {
  const total = ledger.entries.reduce(
    (sum, entries) => ({ requested: sum.requested + entries.requested, allowed: sum.allowed + entries.allowed, blocked: sum.blocked + entries.blocked }),
    { requested: 0, allowed: 0, blocked: 0 },
  );
  return {
    status: total.blocked > 0 ? 'fail' : 'pass',
    limit,
    ...entryFigures(total),
    maxConcurrent: ledger.maxConcurrent.count,
    maxConcurrentDate: isoDate(calendar[ledger.maxConcurrent.day] ?? 0),
    strategies: Object.fromEntries(
      names.map((name, s) => {
        const entries: EntryStats = ledger.entries[s] ?? noEntries();
        const sleeve = ledger.sleeves[s];
        let blockedDays = 0;
        if (sleeve !== undefined) for (const flag of sleeve.blocked) blockedDays += flag;
        return [name, { ...entryFigures(entries), blockedDays }];
      }),
    ),
  };
}

export interface DailyStopLossCheck {
  status: Status;
  limitUsd: number;
  days: number;
  dates: string[];
  worstChangeUsd: number;
  worstDate: string;
}

/** Days on which the portfolio lost the limit or more: daily data cannot stop a day early, so a report. */
export function dailyStopLossCheck(calendar: Int32Array, equity: Float64Array, startingEquity: number, limitUsd: number): DailyStopLossCheck {
  const dates: string[] = [];
  let worstChange = Number.POSITIVE_INFINITY;
  let worstDay = 0;
  let previous = startingEquity;
  for (let day = 0; day < equity.length; day += 1) {
    const change = (equity[day] ?? 0) - previous;
    if (!(change > -limitUsd)) dates.push(isoDate(calendar[day] ?? 0));
    if (change < worstChange) {
      worstChange = change;
      worstDay = day;
    }
    previous = equity[day] ?? 0;
  }
  return {
    status: dates.length > 0 ? 'fail' : 'pass',
    limitUsd,
    days: dates.length,
    dates,
    worstChangeUsd: equity.length === 0 ? 0 : worstChange,
    worstDate: isoDate(calendar[worstDay] ?? 0),
  };
}

export interface DrawdownBreachesCheck {
  status: Status;
  limitUsd: number;
  events: number;
  dates: string[];
  maxDrawdownUsd: number;
  maxDrawdownDate: string | null;
}

/** The portfolio's dollar drawdown from its running peak (the starting capital counts); a breach event each time it crosses the limit. */
export function drawdownBreachesCheck(calendar: Int32Array, equity: Float64Array, startingEquity: number, limitUsd: number): DrawdownBreachesCheck {
  const { events, maxDrawdownUsd, maxDrawdownDay } = dollarDrawdowns(equity, startingEquity, limitUsd, 0, equity.length - 1);
  return {
    status: events.length > 0 ? 'fail' : 'pass',
    limitUsd,
    events: events.length,
    dates: events.map((day) => isoDate(calendar[day] ?? 0)),
    maxDrawdownUsd,
    maxDrawdownDate: maxDrawdownDay === -1 ? null : isoDate(calendar[maxDrawdownDay] ?? 0),
  };
}

export interface MaxConcentrationCheck {
  status: Status;
  limitPct: number;
  days: number;
  firstDate: string | null;
  worstPct: number;
  worstDate: string;
  worstStrategy: string;
}

/** Days on which some sleeve holds more than the limit of the portfolio's equity (days with E_p <= 0 skipped). */
export function maxConcentrationCheck(calendar: Int32Array, names: readonly string[], ledger: Ledger, limitPct: number): MaxConcentrationCheck {
  let days = 0;
  let first = -1;
  let worstPct = Number.NEGATIVE_INFINITY;
  let worstDay = 0;
  let worstStrategy = 0;
  const portfolio = ledger.portfolio.equity;
  for (let day = 0; day < portfolio.length; day += 1) {
    const total = portfolio[day] ?? 0;
    if (total <= 0) continue;
    let exceeded = false;
    ledger.sleeves.forEach((sleeve, s) => {
      const share = ((sleeve.equity[day] ?? 0) / total) * 100;
      if (exceeds(share, limitPct)) exceeded = true;
      if (share > worstPct) {
        worstPct = share;
        worstDay = day;
        worstStrategy = s;
      }
    });
    if (exceeded) {
      days += 1;
      if (first === -1) first = day;
    }
  }
  return {
    status: days > 0 ? 'fail' : 'pass',
    limitPct,
    days,
    firstDate: first === -1 ? null : isoDate(calendar[first] ?? 0),
    worstPct: Number.isFinite(worstPct) ? worstPct : 0,
    worstDate: isoDate(calendar[worstDay] ?? 0),
    worstStrategy: names[worstStrategy] ?? '',
  };
}

export interface CostConservationCheck {
  status: Status;
  toleranceUsd: number;
  rebalances: number;
  maxAbsDiff: number;
  maxAbsDiffDate: string;
  failingRebalances: number;
}

/** On every rebalance (the first allocation included): sum E'_s + cash = E_a(t-1) - sum cost_s; costs are the only leak. */
export function costConservationCheck(calendar: Int32Array, rebalances: readonly Rebalance[], toleranceUsd: number): CostConservationCheck {
  let maxAbsDiff = 0;
  let maxDay = rebalances[0]?.day ?? 0;
  let failing = 0;
  for (const rebalance of rebalances) {
    let after = 0;
    let costs = 0;
    for (const move of rebalance.moves) {
      after += move.equityAfter;
      costs += move.cost;
    }
    const difference = Math.abs(after + rebalance.cashAfter - (rebalance.accountEquityBefore - costs));
    if (difference > maxAbsDiff) {
      maxAbsDiff = difference;
      maxDay = rebalance.day;
    }
    if (exceeds(difference, toleranceUsd)) failing += 1;
  }
  return {
    status: failing > 0 ? 'fail' : 'pass',
    toleranceUsd,
    rebalances: rebalances.length,
    maxAbsDiff,
    maxAbsDiffDate: isoDate(calendar[maxDay] ?? 0),
    failingRebalances: failing,
  };
}
