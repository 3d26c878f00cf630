/**
 * Property tests of part C's daily P&L and attribution (SPEC 15.1, 15.2, 16) with fast-check, on
 * random portfolios with random part-B settings (rebalancing with bands and costs, closing
 * sleeves, blocked entries, wipe-outs):
 *  (a) a sleeve's equity moves by its transfer and its P&L: E_s(t) = E_s(t-1) + tr_s(t) + pnl_s(t);
 *  (b) every dollar of P&L is a strategy's or a cost, every date: pnl_a = sum_{s in a} pnl_s - costs_a,
 *      pnl_p = sum_s pnl_s - costs, and the attributionReconciliation check finds nothing bigger;
 *  (c) since inception, a sleeve holds what was moved into it plus what it earned, and the
 *      portfolio's P&L is its final equity less the starting capital;
 *  (d) the strategies' risk contributions and the costs' share add up to 1.
 * The identities hold in exact arithmetic; in doubles each side carries the rounding of the
 * equities it is made of, so dollars are compared within 1e-6 or 1e-9 of the equity's size.
 *
 * Reproduce a failure: FC_SEED=<seed> npx vitest run test/partC/properties.test.ts -t '<name>'.
 */
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { strategiesByAccount } from '#shared/model/loopInputs.ts';
import { dailyPnlOf } from '#shared/model/runSeries.ts';
import { check, nth } from '#test/support/arbitraries.ts';
import { describeCase, partBCaseArb, runPartB } from '#test/support/partBArbitraries.ts';

const seedText = process.env['FC_SEED'];
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 150);
const seed = seedText === undefined || seedText === '' ? {} : { seed: Number(seedText) };
const params = (runs = numRuns): fc.Parameters<unknown> => ({ numRuns: runs, ...seed });

/** Dollars equal up to the rounding of amounts of size `scale`: 1e-6 absolute or 1e-9 of the scale. */
function sameDollars(actual: number, expected: number, scale: number): boolean {
  return Math.abs(actual - expected) <= Math.max(1e-6, 1e-9 * Math.abs(scale));
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('daily P&L and transfers (SPEC 15.1)', () => {
  it('(a) E_s(t) = E_s(t-1) + tr_s(t) + pnl_s(t) on every date, the first allocation a transfer from 0', () => {
    let transfersSeen = 0;
    fc.assert(
      fc.property(partBCaseArb, (c) => {
        const { series } = runPartB(c);
        const flows = dailyPnlOf(c.config, series.ledger);
        series.ledger.sleeves.forEach((sleeve, s) => {
          const transfers = nth(flows.strategyTransfers, s);
          const pnl = nth(flows.strategyPnl, s);
          for (let day = 0; day < sleeve.equity.length; day += 1) {
            const before = day === 0 ? 0 : nth(sleeve.equity, day - 1);
            const now = nth(sleeve.equity, day);
            const rebuilt = before + nth(transfers, day) + nth(pnl, day);
            check(sameDollars(now, rebuilt, Math.max(now, before)), () => `${describeCase(c)}: sleeve ${s} day ${day}: E ${now} vs E(t-1) ${before} + tr ${nth(transfers, day)} + pnl ${nth(pnl, day)}`);
            if (day > 0 && nth(transfers, day) !== 0) transfersSeen += 1;
          }
        });
      }),
      params(),
    );
    // The generator reaches rebalances that move capital after the first date.
    expect(transfersSeen).toBeGreaterThan(0);
  });

  it('(b) pnl_a = sum of its strategies\' pnl - costs_a and pnl_p = sum_s pnl_s - costs on every date; the check reports the largest residual', () => {
    let costsSeen = 0;
    fc.assert(
      fc.property(partBCaseArb, (c) => {
        const { series, results } = runPartB(c);
        const { ledger } = series;
        const flows = dailyPnlOf(c.config, ledger);
        const members = strategiesByAccount(c.config);
        const days = ledger.portfolio.equity.length;
        let largest = 0;
        for (let day = 0; day < days; day += 1) {
          const strategiesPnl = (list: readonly number[]): number => sum(list.map((s) => nth(nth(flows.strategyPnl, s), day)));
          members.forEach((list, a) => {
            const equity = nth(ledger.accounts, a).equity;
            const residual = nth(nth(flows.accountPnl, a), day) - (strategiesPnl(list) - nth(nth(flows.accountCosts, a), day));
            largest = Math.max(largest, Math.abs(residual));
            check(sameDollars(residual, 0, Math.max(nth(equity, day), day === 0 ? 0 : nth(equity, day - 1))), () => `${describeCase(c)}: account ${a} day ${day}: residual ${residual}`);
          });
          const equity = ledger.portfolio.equity;
          const all = c.config.strategies.map((_, s) => s);
          const residual = nth(flows.portfolioPnl, day) - (strategiesPnl(all) - nth(flows.costs, day));
          largest = Math.max(largest, Math.abs(residual));
          check(sameDollars(residual, 0, Math.max(nth(equity, day), day === 0 ? 0 : nth(equity, day - 1))), () => `${describeCase(c)}: portfolio day ${day}: residual ${residual}`);
          if (nth(flows.costs, day) > 0) costsSeen += 1;
        }
        const reported = results.checks.attributionReconciliation.maxAbsResidualUsd;
        check(sameDollars(reported, largest, largest), () => `${describeCase(c)}: maxAbsResidualUsd ${reported}, largest residual ${largest}`);
      }),
      params(),
    );
    expect(costsSeen).toBeGreaterThan(0);
  });

  it('(c) since inception a sleeve holds its transfers plus its P&L, and the portfolio earned E_p(T) less its starting capital', () => {
    fc.assert(
      fc.property(partBCaseArb, (c) => {
        const { series, results } = runPartB(c);
        const { ledger } = series;
        const last = ledger.portfolio.equity.length - 1;
        c.config.strategies.forEach((strategy, s) => {
          const inception = results.asOf.strategies[strategy.name]?.periods.inception;
          check(inception !== null && inception !== undefined, () => `${strategy.name}: no inception period`);
          const held = nth(nth(ledger.sleeves, s).equity, last);
          const rebuilt = (inception.transfersUsd ?? Number.NaN) + inception.pnlUsd;
          check(sameDollars(held, rebuilt, Math.max(held, ...nth(ledger.sleeves, s).equity)), () => `${describeCase(c)}: ${strategy.name}: E_s(T) ${held} vs transfers + P&L ${rebuilt}`);
        });
        const starting = sum(c.config.accounts.map((account) => account.startingCapital));
        const earned = results.asOf.portfolio.periods.inception?.pnlUsd ?? Number.NaN;
        const peak = Math.max(starting, ...ledger.portfolio.equity);
        check(sameDollars(earned, nth(ledger.portfolio.equity, last) - starting, peak), () => `${describeCase(c)}: inception P&L ${earned}`);
      }),
      params(),
    );
  });
});

describe('risk attribution (SPEC 16.2)', () => {
  it('(d) the contributions and costsContribution add up to 1 when the portfolio\'s P&L moves more than 1e-3 dollars a day', () => {
    let windowsChecked = 0;
    fc.assert(
      fc.property(partBCaseArb, (c) => {
        const { results } = runPartB(c);
        for (const window of [results.attribution.risk.trailing, results.attribution.risk.inception]) {
          const volatility = window.portfolioVolatilityUsd;
          if (volatility === null || volatility / Math.sqrt(c.config.metrics.periodsPerYear) <= 1e-3) continue;
          const shares = [...Object.values(window.strategies).map((strategy) => strategy.contribution), window.costsContribution];
          check(shares.every((share) => share !== null), () => `${describeCase(c)}: a null share in a window that moves`);
          const total = sum(shares as number[]);
          // sum - 1 = cov(d, y) / var(y) with d = (sum pnl_s - costs) - pnl_p, the rounding of the equities:
          // at most 2 max|d| / std(y). On ordinary magnitudes that is far below the SPEC's 1e-9.
          const stdY = volatility / Math.sqrt(c.config.metrics.periodsPerYear);
          const rounding = (2 * results.checks.attributionReconciliation.maxAbsResidualUsd) / stdY;
          check(Math.abs(total - 1) <= 1e-9 + rounding, () => `${describeCase(c)}: shares add up to ${total} (rounding allowance ${rounding})`);
          if (rounding < 1e-12) windowsChecked += 1;
        }
      }),
      params(),
    );
    // Most windows carry no rounding at all: there the shares add up to 1 within the SPEC's 1e-9.
    expect(windowsChecked).toBeGreaterThan(0);
  });
});
