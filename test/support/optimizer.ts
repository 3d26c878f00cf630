/**
 * Helpers for the optimizer and scenario tests (SPEC 13-14): `optimize` through the command line
 * with snapshots around it, and an independent model of the optimizer's figures for the simple
 * portfolios these tests use.
 *
 * The model covers one account, `allocation.method: fixed`, no rebalancing, and strategies whose
 * every row trades exactly one unit (Margin_Used = marginPerUnit, maxPositionScale 1), so each
 * sleeve's return is the CSV's `Return` (SPEC 3: ratio = units / implied = 1). It is written from
 * the SPEC's text (sections 4, 7, 12.4, 13), not from the code: a sleeve of the set compounds its
 * allocated capital, a strategy outside the set keeps its allocated capital as cash, the portfolio
 * adds the sleeves in config order and then the idle cash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import { runCli } from './runCli.ts';
import { snapshot, type Case, type Run } from './writeCase.ts';

/** `portfolio-combiner optimize --data DATA [--config FILE] --out OUT`, with snapshots around it. */
export async function optimizeCase(c: Case, extraArgs: readonly string[] = []): Promise<Run> {
  const before = snapshot(c.root);
  const args = ['optimize', '--data', c.data, ...(c.config === undefined ? [] : ['--config', c.config]), '--out', c.out, ...extraArgs];
  const result = await runCli(args);
  return { ...result, case: c, before, after: snapshot(c.root) };
}

export function readOptimizer(run: Run): OptimizerJson {
  return JSON.parse(readFileSync(join(run.case.out, 'optimizer.json'), 'utf8')) as OptimizerJson;
}

/** A portfolio the model understands: one account, the strategies' allocated capital and daily returns. */
export interface ModelPortfolio {
  startingCapital: number;
  /** Per strategy, in config order. */
  allocated: readonly number[];
  /** Per strategy, one return per calendar date (every strategy has a row on every date). */
  returns: readonly (readonly number[])[];
}

/** E_p(t) for t = 0 .. days-1 with only `set` trading: SPEC 4 and 13. */
export function modelEquity(p: ModelPortfolio, set: readonly number[], days: number): number[] {
  const idleCash = p.startingCapital - p.allocated.reduce((sum, a) => sum + a, 0);
  const sleeves = [...p.allocated];
  const equity: number[] = [];
  for (let t = 0; t < days; t += 1) {
    let total = 0;
    for (let s = 0; s < sleeves.length; s += 1) {
      if (set.includes(s)) sleeves[s] = Math.max(0, (sleeves[s] ?? 0) * (1 + (p.returns[s]?.[t] ?? 0)));
      total += sleeves[s] ?? 0;
    }
    equity.push(total + idleCash);
  }
  return equity;
}

/** R(t) = E(t) / E(t-1) - 1 with E(t0-1) the starting capital: SPEC 4. */
export function modelReturns(equity: readonly number[], start: number): number[] {
  return equity.map((e, t) => {
    const before = t === 0 ? start : (equity[t - 1] ?? 0);
    return before === 0 ? 0 : e / before - 1;
  });
}

/** SPEC 7 Sharpe with riskFreeRate 0 and 252 periods: mean / std(ddof 1) * sqrt(252); null when every R is the same. */
export function modelSharpe(returns: readonly number[]): number | null {
  const first = returns[0] ?? 0;
  if (returns.every((r) => Math.abs(r - first) <= 1e-12)) return null;
  const { mean, std } = meanAndStd(returns);
  return (mean / std) * Math.sqrt(252);
}

/** The mean and the sample standard deviation (ddof 1). */
function meanAndStd(returns: readonly number[]): { mean: number; std: number } {
  const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length;
  return { mean, std: Math.sqrt(returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (returns.length - 1)) };
}

/**
 * SPEC 12.4 and 14 over `equity[first..last]`: DD(t) = E(t) - max(E up to t, `peakBefore`); the
 * largest -DD in dollars, and the breach events (DD <= -x after a date, or the start, with DD > -x).
 */
export function modelDrawdown(
  equity: readonly number[],
  peakBefore: number,
  breachUsd: number | null,
  first = 0,
  last = equity.length - 1,
): { maxDrawdownUsd: number; breachEvents: number | null } {
  let peak = peakBefore;
  let maxDrawdownUsd = 0;
  let events = 0;
  let under = false;
  for (let t = first; t <= last; t += 1) {
    const e = equity[t] ?? 0;
    peak = Math.max(peak, e);
    maxDrawdownUsd = Math.max(maxDrawdownUsd, peak - e);
    if (breachUsd !== null) {
      const below = e - peak <= -breachUsd;
      if (below && !under) events += 1;
      under = below;
    }
  }
  return { maxDrawdownUsd, breachEvents: breachUsd === null ? null : events };
}

/** The figures the optimizer compares for a set, in sample (calendar indexes 0..lastDay), and the returns behind its Sharpe. */
export function modelFigures(
  p: ModelPortfolio,
  set: readonly number[],
  lastDay: number,
  breachUsd: number | null,
): { sharpe: number | null; returns: number[]; maxDrawdownUsd: number; breachEvents: number | null } {
  const equity = modelEquity(p, set, lastDay + 1);
  const returns = modelReturns(equity, p.startingCapital);
  return { sharpe: modelSharpe(returns), returns, ...modelDrawdown(equity, p.startingCapital, breachUsd) };
}

/** What one daily return E(t) / E(t-1) - 1 may be off by from rounding alone: a generous 50 ulps of 1. */
const RETURN_ROUNDING = 1e-14;

/**
 * A Sharpe against the model's over `returns`, as closely as doubles fix it. Two sums of the same
 * equity in another order make returns that differ by a few 1e-16, and over returns whose standard
 * deviation is tiny (two nearly equal in-sample days) that moves the ratio far more than the
 * SPEC's 1e-9 relative: by up to sqrt(252) x RETURN_ROUNDING / std x (1 + |mean| / std).
 */
export function closeSharpe(actual: number | null | undefined, returns: readonly number[]): boolean {
  const expected = modelSharpe(returns);
  if (expected === null || actual === null || actual === undefined) return actual === expected;
  const { mean, std } = meanAndStd(returns);
  const conditioning = (Math.sqrt(252) * RETURN_ROUNDING * (1 + Math.abs(mean) / std)) / std;
  return close(actual, expected) || Math.abs(actual - expected) <= conditioning;
}

/** SPEC tolerances: dollars 1e-6 absolute or 1e-9 relative, other figures 1e-12 absolute or 1e-9 relative. */
export function close(actual: number | null | undefined, expected: number | null, dollars = false): boolean {
  if (expected === null || actual === null || actual === undefined) return actual === expected;
  const difference = Math.abs(actual - expected);
  return difference <= (dollars ? 1e-6 : 1e-12) || difference <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected));
}
