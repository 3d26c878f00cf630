/**
 * The day loop (SPEC 4; part B's section 9 grows inside it): each date, account by account,
 * every sleeve compounds its scaled return on the capital it holds, a sleeve that loses
 * everything is wiped out and trades no more, and accounts and the portfolio sum their sleeves.
 */
import { at } from '../collections.js';
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
  const idleCash = Float64Array.from(
    accounts,
    (account) => account.startingCapital - account.strategies.reduce((sum, s) => sum + (strategies[s]?.allocatedCapital ?? 0), 0),
  );
  // Plain loops over arrays taken out of the objects once: this runs days x sleeves times.
  const sleeveEquity = sleeves.map((sleeve) => sleeve.equity);
  const sleeveMargin = sleeves.map((sleeve) => sleeve.margin);
  const sleeveNotional = sleeves.map((sleeve) => sleeve.notional);

  for (let day = 0; day < days; day += 1) {
    for (let s = 0; s < strategies.length; s += 1) {
      capital[s] = compoundSleeveDay(at(strategies, s), at(sleeves, s), day, capital[s] ?? 0);
    }
    let portfolioEquity = 0;
    let portfolioMargin = 0;
    let portfolioNotional = 0;
    for (let a = 0; a < accounts.length; a += 1) {
      const members = at(accounts, a).strategies;
      let equity = 0;
      let marginUsed = 0;
      let notional = 0;
      for (let m = 0; m < members.length; m += 1) {
        const s = at(members, m);
        equity += at(sleeveEquity, s)[day] ?? 0;
        marginUsed += at(sleeveMargin, s)[day] ?? 0;
        notional += at(sleeveNotional, s)[day] ?? 0;
      }
      const cash = idleCash[a] ?? 0;
      const accountEquity = equity + cash;
      const ledger = at(accountLedgers, a);
      ledger.cash[day] = cash;
      ledger.equity[day] = accountEquity;
      ledger.marginUsed[day] = marginUsed;
      ledger.notional[day] = notional;
      portfolioEquity += accountEquity;
      portfolioMargin += marginUsed;
      portfolioNotional += notional;
    }
    portfolio.equity[day] = portfolioEquity;
    portfolio.marginUsed[day] = portfolioMargin;
    portfolio.notional[day] = portfolioNotional;
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
