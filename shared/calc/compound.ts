/**
 * The day loop (SPEC 4 and 9). For each date, in order: each account rebalances when a trigger
 * fires (target weights from data strictly before the date, capital moved at a cost using the
 * previous day's equity); entries beyond the concurrent-position limit are blocked (`entryGate.ts`);
 * every sleeve compounds its return on the capital it holds (a sleeve that loses everything is
 * wiped out and trades no more); accounts add their sleeves and cash, the portfolio its accounts.
 * Each is a named step over one state record, `DayLoop`, that carries what the next date needs.
 * Part A is the case `fixed`, no rebalancing, no limit: one allocation at the first date.
 */
import { at } from '#shared/collections.ts';
import type { AllocationConfig, RebalanceConfig } from '#shared/config/partBSchema.ts';
import { calendarTriggers } from './calendarTriggers.ts';
import { float64Columns, uint8Columns } from './columnSlab.ts';
import { EntryGate, noEntries, type EntryStats, type MaxConcurrent } from './entryGate.ts';
import type { ScaledSeries } from './scale.ts';
import { targetWeights, type WeightCandidate } from './targetWeights.ts';

/** The scaled columns the day loop reads. */
export type LoopSeries = Pick<ScaledSeries, 'units' | 'scaledMargin' | 'scaledNotional' | 'scaledReturn'>;

export interface LoopStrategy {
  allocatedCapital: number;
  scaled: LoopSeries;
  /** Calendar indexes of the strategy's own span. */
  spanStart: number;
  spanEnd: number;
  /** A span that is a set of days, not an interval (a bootstrap path, SPEC 20): see `WeightCandidate`. */
  spanRunStart?: Int32Array | undefined;
}

export interface LoopAccount {
  startingCapital: number;
  /** Indexes into the strategy list, in config order. */
  strategies: readonly number[];
}

export interface LoopSettings {
  allocation: AllocationConfig;
  rebalance: RebalanceConfig;
  maxConcurrentPositions: number | null;
  /** The optimizer's set: strategies outside it never hold and their weight stays as cash. Default: all. */
  included?: readonly boolean[];
  /** Calendar indexes before this one only (the optimizer's in-sample window). Default: all. */
  days?: number;
}

export interface SleeveLedger {
  /** 1 on the days the sleeve trades: not blocked, not after its wipe-out. */
  traded: Uint8Array;
  /** 1 on the days an entry beyond the concurrent-position limit keeps it out. */
  blocked: Uint8Array;
  /** Part A's units on the days it trades. */
  units: Float64Array;
  /** Dollar margin and notional: part A's times the sleeve's capital over its allocated capital. */
  margin: Float64Array;
  notional: Float64Array;
  /** Part A's scaled return on the days it trades (the `Scaled_Return_%` column). */
  scaledReturn: Float64Array;
  /** `rho` as the metrics read it: the scaled return when it trades, -1 on the wipe-out day, else 0. */
  sleeveReturn: Float64Array;
  equity: Float64Array;
  /** Part A's margin over allocated capital, in percent, on the days it trades. */
  marginUtilization: Float64Array;
  /** Calendar index of the wipe-out, -1 when the sleeve survives. */
  wipeoutDay: number;
}

export interface AccountLedger {
  equity: Float64Array;
  cash: Float64Array;
  marginUsed: Float64Array;
  notional: Float64Array;
}

export interface PortfolioLedger {
  equity: Float64Array;
  marginUsed: Float64Array;
  notional: Float64Array;
}

export type RebalanceTrigger = 'initial' | 'calendar' | 'band';

export interface SleeveMove {
  strategy: number;
  weightBefore: number;
  targetWeight: number;
  equityBefore: number;
  equityAfter: number;
  cost: number;
}

export interface Rebalance {
  day: number;
  account: number;
  trigger: RebalanceTrigger;
  /** E_a(t-1): the account's equity the targets apply to. */
  accountEquityBefore: number;
  cashAfter: number;
  moves: SleeveMove[];
}

export interface RiskParityFallback {
  day: number;
  account: number;
  strategies: number[];
  maxContributionDeviation: number | null;
}

export interface Ledger {
  /**
   * false: only what the day loop itself and the bootstrap's path figures read is written (each
   * sleeve's equity and margin, each account's equity, the portfolio's equity and margin); the
   * other columns are empty and no rebalance is listed.
   */
  detailed: boolean;
  sleeves: SleeveLedger[];
  accounts: AccountLedger[];
  portfolio: PortfolioLedger;
  rebalances: Rebalance[];
  /** Per strategy; counted only under a concurrent-position limit. */
  entries: EntryStats[];
  maxConcurrent: MaxConcurrent;
  riskParityFallbacks: RiskParityFallback[];
  /** E'_s on the last date: the capital each sleeve trades that day, after any rebalance. */
  lastDayCapital: number[];
}

export const PART_A_SETTINGS: LoopSettings = {
  allocation: { method: 'fixed', lookbackDays: 63, kellyFraction: 0.5, minWeight: 0, maxWeight: 1, cashBufferPct: 0 },
  rebalance: { frequency: 'none', band: null, costBps: 0 },
  maxConcurrentPositions: null,
};


/**
 * `into`: a ledger of the same shape to write again (`newLedger`), so that runs one after the
 * other (the bootstrap's paths) make no new columns; every column it keeps is written on every date.
 */
export function compoundEquity(
  strategies: readonly LoopStrategy[],
  accounts: readonly LoopAccount[],
  calendar: Int32Array,
  settings: LoopSettings = PART_A_SETTINGS,
  into?: Ledger,
): Ledger {
  const loop = startDayLoop(strategies, accounts, calendar, settings, into);
  const { days } = loop;
  for (let day = 0; day < days; day += 1) {
    rebalanceAccounts(loop, day);
    if (day === days - 1) loop.ledger.lastDayCapital = Array.from(loop.capital);
    compoundSleeves(loop, day, blockedEntries(loop, day));
    sumAccounts(loop, day);
  }
  return loop.ledger;
}

/** A ledger's columns for `days` dates, zero; not `detailed`, the columns it does not write are empty. */
export function newLedger(strategyCount: number, accountCount: number, days: number, detailed = true): Ledger {
  const detail = detailed ? days : 0;
  return {
    detailed,
    sleeves: newSleeveLedgers(strategyCount, days, detail),
    accounts: Array.from({ length: accountCount }, () => ({
      equity: new Float64Array(days),
      cash: new Float64Array(detail),
      marginUsed: new Float64Array(detail),
      notional: new Float64Array(detail),
    })),
    portfolio: { equity: new Float64Array(days), marginUsed: new Float64Array(days), notional: new Float64Array(detail) },
    rebalances: [],
    entries: [],
    maxConcurrent: { count: 0, day: 0 },
    riskParityFallbacks: [],
    lastDayCapital: [],
  };
}

/** What the day loop carries from one date to the next, beside the ledger it writes. */
interface DayLoop {
  readonly strategies: readonly LoopStrategy[];
  readonly accounts: readonly LoopAccount[];
  readonly settings: LoopSettings;
  /** The dates the loop runs: calendar indexes `0 .. days - 1`. */
  readonly days: number;
  readonly ledger: Ledger;
  /** In the optimizer's set (all outside the optimizer). */
  readonly included: readonly boolean[];
  readonly wipedOut: Uint8Array;
  /** E'_s: the capital each sleeve compounds on today (after any rebalance). */
  readonly capital: Float64Array;
  /** k_s = E'_s(last rebalance) / allocatedCapital_s: scales part A's margin and notional. */
  readonly exposureScale: Float64Array;
  /** Each account's cash, constant between rebalances. */
  readonly cash: Float64Array;
  /** Per account, w*: the target weights of its last rebalance, in the order of its strategies. */
  readonly targets: readonly Float64Array[];
  /** 1 on the dates a calendar trigger fires. */
  readonly calendarFires: Uint8Array;
  readonly gate: EntryGate | null;
  /** Today's holds (part-A units above 0, in the set, not wiped out): what the gate admits or blocks. */
  readonly holds: Uint8Array;
}

function startDayLoop(strategies: readonly LoopStrategy[], accounts: readonly LoopAccount[], calendar: Int32Array, settings: LoopSettings, into: Ledger | undefined): DayLoop {
  const days = settings.days ?? calendar.length;
  const gate = settings.maxConcurrentPositions === null ? null : new EntryGate(strategies.length, settings.maxConcurrentPositions);
  const ledger: Ledger = {
    ...(into ?? newLedger(strategies.length, accounts.length, days)),
    rebalances: [],
    entries: gate?.entries ?? strategies.map(noEntries),
    maxConcurrent: gate?.maxConcurrent ?? { count: 0, day: 0 },
    riskParityFallbacks: [],
    lastDayCapital: [],
  };
  for (const sleeve of ledger.sleeves) sleeve.wipeoutDay = -1;
  return {
    strategies,
    accounts,
    settings,
    days,
    ledger,
    included: strategies.map((_, s) => settings.included?.[s] ?? true),
    wipedOut: new Uint8Array(strategies.length),
    capital: new Float64Array(strategies.length),
    exposureScale: new Float64Array(strategies.length),
    cash: new Float64Array(accounts.length),
    targets: accounts.map((account) => new Float64Array(account.strategies.length)),
    calendarFires: calendarTriggers(calendar, settings.rebalance.frequency),
    gate,
    holds: new Uint8Array(strategies.length),
  };
}

/** Step 1 (SPEC 11): each account with strategies rebalances when a trigger fires; one without keeps its capital as cash. */
function rebalanceAccounts(loop: DayLoop, day: number): void {
  const { accounts, calendarFires, cash } = loop;
  for (let a = 0; a < accounts.length; a += 1) {
    const account = at(accounts, a);
    if (account.strategies.length === 0) {
      cash[a] = account.startingCapital;
      continue;
    }
    const trigger: RebalanceTrigger | null =
      day === 0 ? 'initial' : calendarFires[day] === 1 ? 'calendar' : bandBreached(loop, a, day) ? 'band' : null;
    if (trigger !== null) rebalanceAccount(loop, a, day, trigger);
  }
}

/** w_s(t-1) = E_s(t-1) / E_a(t-1) against the last targets; no check while the account has nothing. */
function bandBreached(loop: DayLoop, a: number, day: number): boolean {
  const band = loop.settings.rebalance.band;
  if (band === null) return false;
  const accountEquity = at(loop.ledger.accounts, a).equity[day - 1] ?? 0;
  if (accountEquity === 0) return false;
  const target = at(loop.targets, a);
  return at(loop.accounts, a).strategies.some((s, m) => {
    const weight = (at(loop.ledger.sleeves, s).equity[day - 1] ?? 0) / accountEquity;
    const goal = target[m] ?? 0;
    return 'absolute' in band ? Math.abs(weight - goal) > band.absolute : goal > 0 && Math.abs(weight - goal) > band.relative * goal;
  });
}

/** Moves the account's sleeves to their targets: T_s = w*_s E_a(t-1), a cost on what moves, the rest cash. */
function rebalanceAccount(loop: DayLoop, a: number, day: number, trigger: RebalanceTrigger): void {
  const { strategies, settings, ledger, capital, exposureScale, cash, wipedOut, included } = loop;
  const account = at(loop.accounts, a);
  const members = account.strategies;
  const initial = trigger === 'initial';
  const accountEquity = initial ? account.startingCapital : (at(ledger.accounts, a).equity[day - 1] ?? 0);
  const candidates: WeightCandidate[] = members.map((s) => {
    const strategy = at(strategies, s);
    return {
      rho: strategy.scaled.scaledReturn,
      spanStart: strategy.spanStart,
      spanEnd: strategy.spanEnd,
      spanRunStart: strategy.spanRunStart,
      wipedOut: wipedOut[s] === 1,
      excluded: included[s] !== true,
      allocatedCapital: strategy.allocatedCapital,
    };
  });
  const { weights, riskParityFallback } = targetWeights(settings.allocation, day, candidates, account.startingCapital);
  if (riskParityFallback !== null) {
    ledger.riskParityFallbacks.push({
      day,
      account: a,
      strategies: riskParityFallback.candidates.map((m) => at(members, m)),
      maxContributionDeviation: riskParityFallback.maxContributionDeviation,
    });
  }
  const costRate = initial ? 0 : settings.rebalance.costBps / 10_000;
  // Part A: under `fixed` the first allocation is exactly the allocated capital and the idle
  // cash exactly what is left, so that part A's outputs do not move by a rounding.
  const exact = initial && settings.allocation.method === 'fixed';
  const targets = at(loop.targets, a);
  let unpaid = 0;
  let allocated = 0;
  let targetSum = 0;
  const moves: SleeveMove[] = [];
  for (let m = 0; m < members.length; m += 1) {
    const s = members[m] as number;
    const strategy = strategies[s] as LoopStrategy;
    const weight = weights[m] ?? 0;
    const equityBefore = initial ? 0 : (at(ledger.sleeves, s).equity[day - 1] ?? 0);
    const target = exact ? (weight > 0 ? strategy.allocatedCapital : 0) : weight * accountEquity;
    const cost = costRate * Math.abs(target - equityBefore);
    const equityAfter = Math.max(0, target - cost);
    unpaid += Math.max(0, cost - target);
    allocated += equityAfter;
    targetSum += weight;
    capital[s] = equityAfter;
    exposureScale[s] = equityAfter / strategy.allocatedCapital;
    targets[m] = weight;
    if (ledger.detailed) {
      moves.push({
        strategy: s,
        weightBefore: initial || accountEquity === 0 ? 0 : equityBefore / accountEquity,
        targetWeight: weight,
        equityBefore,
        equityAfter,
        cost,
      });
    }
  }
  cash[a] = exact ? account.startingCapital - allocated : (1 - targetSum) * accountEquity - unpaid;
  if (ledger.detailed) ledger.rebalances.push({ day, account: a, trigger, accountEquityBefore: accountEquity, cashAfter: cash[a] ?? 0, moves });
}

/** Step 2 (SPEC 12.2): today's blocked flags under a concurrent-position limit; undefined without one. */
function blockedEntries(loop: DayLoop, day: number): Uint8Array | undefined {
  const { gate, holds, strategies, included, wipedOut } = loop;
  if (gate === null) return undefined;
  for (let s = 0; s < strategies.length; s += 1) {
    holds[s] = included[s] === true && wipedOut[s] === 0 && ((strategies[s] as LoopStrategy).scaled.units[day] ?? 0) > 0 ? 1 : 0;
  }
  return gate.admit(day, holds);
}

/**
 * Step 3 (SPEC 4, 9.3-4): each sleeve that trades compounds its return on its capital (one that
 * loses everything is wiped out and trades no more); its margin and notional are part A's times k_s.
 * A blocked, wiped-out or left-out sleeve keeps its capital and trades nothing.
 */
function compoundSleeves(loop: DayLoop, day: number, blockedToday: Uint8Array | undefined): void {
  const { strategies, ledger, capital, exposureScale, wipedOut, included } = loop;
  const { sleeves, detailed } = ledger;
  for (let s = 0; s < strategies.length; s += 1) {
    const sleeve = sleeves[s] as SleeveLedger;
    const blocked = blockedToday?.[s] === 1;
    if (wipedOut[s] === 1 || blocked || included[s] !== true) {
      sleeve.margin[day] = 0;
      sleeve.equity[day] = capital[s] ?? 0;
      if (detailed) idleDay(sleeve, day, blocked);
      continue;
    }
    const strategy = strategies[s] as LoopStrategy;
    const { scaled } = strategy;
    const scaledReturn = scaled.scaledReturn[day] ?? 0;
    const before = capital[s] ?? 0;
    const equity = Math.max(0, before * (1 + scaledReturn));
    const wipedToday = before > 0 && equity === 0;
    const k = exposureScale[s] ?? 0;
    sleeve.margin[day] = (scaled.scaledMargin[day] ?? 0) * k;
    sleeve.equity[day] = equity;
    if (detailed) {
      sleeve.traded[day] = 1;
      sleeve.blocked[day] = 0;
      sleeve.units[day] = scaled.units[day] ?? 0;
      sleeve.notional[day] = (scaled.scaledNotional[day] ?? 0) * k;
      sleeve.scaledReturn[day] = scaledReturn;
      sleeve.sleeveReturn[day] = wipedToday ? -1 : scaledReturn;
      sleeve.marginUtilization[day] = ((scaled.scaledMargin[day] ?? 0) / strategy.allocatedCapital) * 100;
    }
    capital[s] = equity;
    if (wipedToday) {
      wipedOut[s] = 1;
      sleeve.wipeoutDay = day;
    }
  }
}

/** A day the sleeve does not trade: its detail columns, written over what a ledger written before held. */
function idleDay(sleeve: SleeveLedger, day: number, blocked: boolean): void {
  sleeve.traded[day] = 0;
  sleeve.blocked[day] = blocked ? 1 : 0;
  sleeve.units[day] = 0;
  sleeve.notional[day] = 0;
  sleeve.scaledReturn[day] = 0;
  sleeve.sleeveReturn[day] = 0;
  sleeve.marginUtilization[day] = 0;
}

/** Step 4 (SPEC 4): each account adds its sleeves (config order) and its cash; the portfolio adds its accounts. */
function sumAccounts(loop: DayLoop, day: number): void {
  const { accounts, cash, ledger } = loop;
  const { sleeves, portfolio, detailed } = ledger;
  let portfolioEquity = 0;
  let portfolioMargin = 0;
  let portfolioNotional = 0;
  for (let a = 0; a < accounts.length; a += 1) {
    const members = at(accounts, a).strategies;
    let equity = 0;
    let marginUsed = 0;
    let notional = 0;
    for (let m = 0; m < members.length; m += 1) {
      const sleeve = sleeves[members[m] as number] as SleeveLedger;
      equity += sleeve.equity[day] ?? 0;
      marginUsed += sleeve.margin[day] ?? 0;
      if (detailed) notional += sleeve.notional[day] ?? 0;
    }
    const accountCash = cash[a] ?? 0;
    const accountEquity = equity + accountCash;
    const accountLedger = at(ledger.accounts, a);
    accountLedger.equity[day] = accountEquity;
    if (detailed) {
      accountLedger.cash[day] = accountCash;
      accountLedger.marginUsed[day] = marginUsed;
      accountLedger.notional[day] = notional;
    }
    portfolioEquity += accountEquity;
    portfolioMargin += marginUsed;
    portfolioNotional += notional;
  }
  portfolio.equity[day] = portfolioEquity;
  portfolio.marginUsed[day] = portfolioMargin;
  if (detailed) portfolio.notional[day] = portfolioNotional;
}

/** `detail`: the length of the columns beside equity and margin (0 when not written). Each column kind is one slab for all sleeves. */
function newSleeveLedgers(count: number, days: number, detail: number): SleeveLedger[] {
  const float64 = (length: number): Float64Array[] => float64Columns(count, length);
  const uint8 = (length: number): Uint8Array[] => uint8Columns(count, length);
  const traded = uint8(detail);
  const blocked = uint8(detail);
  const units = float64(detail);
  const margin = float64(days);
  const notional = float64(detail);
  const scaledReturn = float64(detail);
  const sleeveReturn = float64(detail);
  const equity = float64(days);
  const marginUtilization = float64(detail);
  return Array.from({ length: count }, (_, s) => ({
    traded: at(traded, s),
    blocked: at(blocked, s),
    units: at(units, s),
    margin: at(margin, s),
    notional: at(notional, s),
    scaledReturn: at(scaledReturn, s),
    sleeveReturn: at(sleeveReturn, s),
    equity: at(equity, s),
    marginUtilization: at(marginUtilization, s),
    wipeoutDay: -1,
  }));
}
