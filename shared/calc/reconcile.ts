/**
 * The checks of SPEC 5, on every date: accounts and the portfolio add up, positions keep to
 * their rules, rounding does not drift from the chosen scale, margin stays under its alert.
 */
import { isoDate } from '#shared/dates.ts';
import { exceeds, isNearInteger } from '#shared/numbers.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { Ledger } from './compound.ts';
import { daysAbove } from './daysAbove.ts';
import type { ScaledSeries } from './scale.ts';

export type Status = 'pass' | 'fail';

export interface DifferenceCheck {
  status: Status;
  maxAbsDiff: number;
  maxAbsDiffDate: string;
  failingDays: number;
}

export interface DriftCheck {
  status: Status;
  days: number;
  meanRatio: number | null;
  target: number;
  drift: number | null;
}

export interface InvariantViolation {
  date: string;
  strategy: string;
  rule: 'marginWithinCapital' | 'minimumPosition' | 'wholeIncrements';
}

export interface UtilizationCheck {
  status: Status;
  thresholdPct: number;
  days: number;
  firstDate: string | null;
  worstPct: number;
  worstDate: string;
}

export interface Checks {
  accountReconciliation: { status: Status; toleranceUsd: number; accounts: Record<string, DifferenceCheck> };
  portfolioReconciliation: DifferenceCheck & { toleranceUsd: number };
  roundingDrift: { status: Status; tolerance: number; strategies: Record<string, DriftCheck> };
  invariants: { status: Status; violations: number; firstViolations: InvariantViolation[] };
  marginUtilization: { status: Status; accounts: Record<string, UtilizationCheck>; portfolio: UtilizationCheck };
}

export interface ReconcileInput {
  config: PortfolioConfig;
  calendar: Int32Array;
  /** Per account, the indexes of its strategies in config order. */
  accountStrategies: readonly (readonly number[])[];
  scaled: readonly ScaledSeries[];
  ledger: Ledger;
  accountUtilization: readonly Float64Array[];
  portfolioUtilization: Float64Array;
}

const MAX_LISTED_VIOLATIONS = 20;

export function reconcile(input: ReconcileInput): Checks {
  const { config, calendar, ledger } = input;
  const tolerance = config.thresholds.reconciliationToleranceUsd;
  const accounts = Object.fromEntries(
    config.accounts.map((account, a) => {
      const accountLedger = ledger.accounts[a];
      const members = input.accountStrategies[a] ?? [];
      const difference = (day: number): number => {
        let sum = 0;
        for (const s of members) sum += ledger.sleeves[s]?.equity[day] ?? 0;
        return sum + (accountLedger?.cash[day] ?? 0) - (accountLedger?.equity[day] ?? 0);
      };
      return [account.name, differenceCheck(calendar, difference, tolerance)];
    }),
  );
  const portfolioDifference = (day: number): number => {
    let sum = 0;
    for (const account of ledger.accounts) sum += account.equity[day] ?? 0;
    return sum - (ledger.portfolio.equity[day] ?? 0);
  };
  const portfolio = differenceCheck(calendar, portfolioDifference, tolerance);

  const strategies = Object.fromEntries(
    config.strategies.map((strategy, s) => [
      strategy.name,
      driftCheck(input.scaled[s], ledger.sleeves[s]?.traded, strategy.maxPositionScale, config.thresholds.driftTolerance),
    ]),
  );

  const utilization = config.thresholds.marginUtilizationAlertPct;
  const accountUtilization = Object.fromEntries(
    config.accounts.map((account, a) => [
      account.name,
      utilizationCheck(calendar, input.accountUtilization[a] ?? new Float64Array(calendar.length), utilization.account),
    ]),
  );
  const portfolioUtilization = utilizationCheck(calendar, input.portfolioUtilization, utilization.portfolio);

  return {
    accountReconciliation: { status: worst(Object.values(accounts)), toleranceUsd: tolerance, accounts },
    portfolioReconciliation: { status: portfolio.status, toleranceUsd: tolerance, ...withoutStatus(portfolio) },
    roundingDrift: { status: worst(Object.values(strategies)), tolerance: config.thresholds.driftTolerance, strategies },
    invariants: invariantsCheck(input),
    marginUtilization: {
      status: worst([...Object.values(accountUtilization), portfolioUtilization]),
      accounts: accountUtilization,
      portfolio: portfolioUtilization,
    },
  };
}

function withoutStatus(check: DifferenceCheck): Omit<DifferenceCheck, 'status'> {
  const { maxAbsDiff, maxAbsDiffDate, failingDays } = check;
  return { maxAbsDiff, maxAbsDiffDate, failingDays };
}

function worst(checks: readonly { status: Status }[]): Status {
  return checks.some((check) => check.status === 'fail') ? 'fail' : 'pass';
}

/** `|difference|` on each date: the days above the tolerance fail; the largest, on its first date. */
function differenceCheck(calendar: Int32Array, difference: (day: number) => number, tolerance: number): DifferenceCheck {
  const absolute = new Float64Array(calendar.length);
  for (let day = 0; day < calendar.length; day += 1) absolute[day] = Math.abs(difference(day));
  const { days, worst } = daysAbove(absolute, tolerance);
  return { status: days > 0 ? 'fail' : 'pass', maxAbsDiff: absolute[worst] ?? 0, maxAbsDiffDate: isoDate(calendar[worst] ?? 0), failingDays: days };
}

function driftCheck(scaled: ScaledSeries | undefined, traded: Uint8Array | undefined, target: number, tolerance: number): DriftCheck {
  let days = 0;
  let ratioSum = 0;
  const length = scaled?.impliedUnits.length ?? 0;
  for (let day = 0; day < length; day += 1) {
    const implied = scaled?.impliedUnits[day] ?? 0;
    if (implied > 0 && traded?.[day] === 1) {
      days += 1;
      ratioSum += (scaled?.units[day] ?? 0) / implied;
    }
  }
  if (days === 0) return { status: 'pass', days, meanRatio: null, target, drift: null };
  const meanRatio = ratioSum / days;
  const drift = meanRatio - target;
  return { status: exceeds(Math.abs(drift), tolerance) ? 'fail' : 'pass', days, meanRatio, target, drift };
}

function invariantsCheck(input: ReconcileInput): Checks['invariants'] {
  const { config, calendar, ledger } = input;
  const firstViolations: InvariantViolation[] = [];
  let violations = 0;
  const violate = (day: number, strategy: string, rule: InvariantViolation['rule']): void => {
    violations += 1;
    if (firstViolations.length < MAX_LISTED_VIOLATIONS) firstViolations.push({ date: isoDate(calendar[day] ?? 0), strategy, rule });
  };
  for (let day = 0; day < calendar.length; day += 1) {
    config.strategies.forEach((strategy, s) => {
      const units = ledger.sleeves[s]?.units[day] ?? 0;
      if (exceeds(units * strategy.marginPerUnit, strategy.allocatedCapital * (1 + 1e-9))) violate(day, strategy.name, 'marginWithinCapital');
      if (units !== 0 && units < strategy.minPosition) violate(day, strategy.name, 'minimumPosition');
      if (!isNearInteger(units / strategy.increment)) violate(day, strategy.name, 'wholeIncrements');
    });
  }
  return { status: violations > 0 ? 'fail' : 'pass', violations, firstViolations };
}

function utilizationCheck(calendar: Int32Array, utilization: Float64Array, thresholdPct: number): UtilizationCheck {
  const { days, first, worst } = daysAbove(utilization, thresholdPct);
  return {
    status: days > 0 ? 'fail' : 'pass',
    thresholdPct,
    days,
    firstDate: first === -1 ? null : isoDate(calendar[first] ?? 0),
    worstPct: utilization[worst] ?? 0,
    worstDate: isoDate(calendar[worst] ?? 0),
  };
}
