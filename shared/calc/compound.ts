/**
 * The day loop (SPEC 4; part B's section 9 grows inside it): each date, account by account,
 * every sleeve compounds its scaled return on the capital it holds, a sleeve that loses
 * everything is wiped out and trades no more, and accounts and the portfolio sum their sleeves.
 */
import type { ScaledSeries } from './scale.js';

export interface LoopStrategy {
  allocatedCapital: number;
  marginPerUnit: number;
  scaled: ScaledSeries;
}

export interface LoopAccount {
  startingCapital: number;
  /** Indexes into the strategy list, in config order. */
  strategies: readonly number[];
}

export interface SleeveLedger {
  /** 1 on the days the sleeve trades: not after its wipe-out. */
  traded: Uint8Array;
  units: Float64Array;
  margin: Float64Array;
  notional: Float64Array;
  scaledReturn: Float64Array;
  /** `E_s(t) / E_s(t-1) - 1` as the metrics read it: the scaled return, -1 on the wipe-out day, 0 after. */
  sleeveReturn: Float64Array;
  equity: Float64Array;
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

export interface Ledger {
  sleeves: SleeveLedger[];
  accounts: AccountLedger[];
  portfolio: PortfolioLedger;
}

export function compoundEquity(strategies: readonly LoopStrategy[], accounts: readonly LoopAccount[], days: number): Ledger {
  const sleeves = strategies.map(() => newSleeveLedger(days));
  const accountLedgers = accounts.map(() => ({
    equity: new Float64Array(days),
    cash: new Float64Array(days),
    marginUsed: new Float64Array(days),
    notional: new Float64Array(days),
  }));
  const portfolio = { equity: new Float64Array(days), marginUsed: new Float64Array(days), notional: new Float64Array(days) };

  const capital = Float64Array.from(strategies, (strategy) => strategy.allocatedCapital);
  const idleCash = accounts.map(
    (account) => account.startingCapital - account.strategies.reduce((sum, s) => sum + (strategies[s]?.allocatedCapital ?? 0), 0),
  );

  for (let day = 0; day < days; day += 1) {
    strategies.forEach((strategy, s) => {
      const sleeve = sleeves[s] as SleeveLedger;
      capital[s] = compoundSleeveDay(strategy, sleeve, day, capital[s] ?? 0);
    });
    accounts.forEach((account, a) => {
      const ledger = accountLedgers[a] as AccountLedger;
      let equity = 0;
      let marginUsed = 0;
      let notional = 0;
      for (const s of account.strategies) {
        const sleeve = sleeves[s] as SleeveLedger;
        equity += sleeve.equity[day] ?? 0;
        marginUsed += sleeve.margin[day] ?? 0;
        notional += sleeve.notional[day] ?? 0;
      }
      const cash = idleCash[a] ?? 0;
      const accountEquity = equity + cash;
      ledger.cash[day] = cash;
      ledger.equity[day] = accountEquity;
      ledger.marginUsed[day] = marginUsed;
      ledger.notional[day] = notional;
      portfolio.equity[day] = (portfolio.equity[day] ?? 0) + accountEquity;
      portfolio.marginUsed[day] = (portfolio.marginUsed[day] ?? 0) + marginUsed;
      portfolio.notional[day] = (portfolio.notional[day] ?? 0) + notional;
    });
  }
  return { sleeves, accounts: accountLedgers, portfolio };
}

/** One sleeve, one day: returns the equity it ends the day with. */
function compoundSleeveDay(strategy: LoopStrategy, sleeve: SleeveLedger, day: number, capital: number): number {
  if (sleeve.wipeoutDay !== -1) {
    sleeve.equity[day] = capital;
    return capital;
  }
  const { scaled } = strategy;
  const scaledReturn = scaled.scaledReturn[day] ?? 0;
  const equity = Math.max(0, capital * (1 + scaledReturn));
  const wipedOut = capital > 0 && equity === 0;
  sleeve.traded[day] = 1;
  sleeve.units[day] = scaled.units[day] ?? 0;
  sleeve.margin[day] = scaled.scaledMargin[day] ?? 0;
  sleeve.notional[day] = scaled.scaledNotional[day] ?? 0;
  sleeve.scaledReturn[day] = scaledReturn;
  sleeve.sleeveReturn[day] = wipedOut ? -1 : scaledReturn;
  sleeve.marginUtilization[day] = ((scaled.scaledMargin[day] ?? 0) / strategy.allocatedCapital) * 100;
  sleeve.equity[day] = equity;
  if (wipedOut) sleeve.wipeoutDay = day;
  return equity;
}

function newSleeveLedger(days: number): SleeveLedger {
  return {
    traded: new Uint8Array(days),
    units: new Float64Array(days),
    margin: new Float64Array(days),
    notional: new Float64Array(days),
    scaledReturn: new Float64Array(days),
    sleeveReturn: new Float64Array(days),
    equity: new Float64Array(days),
    marginUtilization: new Float64Array(days),
    wipeoutDay: -1,
  };
}
