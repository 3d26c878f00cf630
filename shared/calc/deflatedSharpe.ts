/**
 * The deflated Sharpe ratio of Bailey and Lopez de Prado (SPEC 18.3): the best of many tries
 * looks better than it is, so the chosen set's Sharpe is tested not against 0 but against the
 * Sharpe the best of `N` tries would reach by luck alone, `SR0`, estimated from the spread of
 * the Sharpe ratios the search actually saw. Per-period Sharpe ratios, as the probabilistic
 * Sharpe of 18.1 takes them.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { CentralMoments } from './moments.ts';
import { probabilisticSharpe } from './probabilisticSharpe.ts';

/** The Euler-Mascheroni constant, as SPEC 18.3 writes it. */
const EULER_GAMMA = 0.5772156649015329;

export interface DeflatedSharpe {
  /** The Sharpe ratios tried (not null), `N`. */
  trials: number;
  /** `var(SR_k, ddof=1)` of the per-period Sharpe ratios; null below two trials or when nothing was chosen. */
  sharpeVariance: number | null;
  /** `SR0` annualized: the Sharpe the best of `N` tries would show by luck; null as sharpeVariance. */
  expectedMaxSharpe: number | null;
  /** `PSR(SR0)` over the chosen set's excess returns; null as sharpeVariance, or where PSR is. */
  dsr: number | null;
}

/** The inverse of the standard normal distribution function. */
function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** `sqrt(V) ((1 - gamma) PhiInv(1 - 1/N) + gamma PhiInv(1 - 1/(N e)))`: the expected maximum of `N` per-period Sharpe ratios of no skill. */
export function expectedMaxSharpe(variance: number, trials: number): number {
  const spread = (1 - EULER_GAMMA) * standardNormalQuantile(1 - 1 / trials) + EULER_GAMMA * standardNormalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(variance) * spread;
}

/**
 * From the annualized Sharpe ratios of every trial (nulls left out by the caller) and the
 * moments of the chosen set's in-sample excess returns `x = R - rf_d` (null when nothing was
 * chosen).
 */
export function deflatedSharpe(trialSharpes: readonly number[], periodsPerYear: number, chosenExcess: CentralMoments | null): DeflatedSharpe {
  const trials = trialSharpes.length;
  if (trials < 2 || chosenExcess === null) return { trials, sharpeVariance: null, expectedMaxSharpe: null, dsr: null };
  const annualizer = Math.sqrt(periodsPerYear);
  const perPeriod = trialSharpes.map((sharpe) => sharpe / annualizer);
  const mean = perPeriod.reduce((sum, value) => sum + value, 0) / trials;
  const variance = perPeriod.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (trials - 1);
  const benchmark = expectedMaxSharpe(variance, trials);
  return {
    trials,
    sharpeVariance: variance,
    expectedMaxSharpe: benchmark * annualizer,
    dsr: probabilisticSharpe(chosenExcess, benchmark),
  };
}
