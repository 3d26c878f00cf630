/**
 * What the bootstrap's paths say together (SPEC 20): each figure's mean and quantiles over the
 * paths where it exists, the probabilities a manager asks about (a loss, a drawdown breach, a
 * stop-loss day, a margin alert), and the fan of portfolio equity across paths day by day.
 * Quantiles interpolate linearly between order statistics, `h = (m - 1) q` (numpy's default).
 */
import type { MonteCarloConfig } from '#shared/config/monteCarloSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { exceeds, ZERO_TOLERANCE } from '#shared/numbers.ts';
import { PATH_FIGURE_NAMES, type PathChunk, type PathFigureName, type PathFigures } from './bootstrapPaths.ts';

export const FAN_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface FigureStats {
  mean: number | null;
  p5: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p95: number | null;
}

export interface MonteCarloJson {
  settings: MonteCarloConfig;
  source: { first: string; last: string; dates: number };
  stats: Record<PathFigureName, FigureStats>;
  probabilities: { loss: number; drawdownBreach: number | null; stopLossDay: number | null; marginAlert: number };
}

/** The `q` quantile of ascending values: `x[i] + (h - i)(x[i+1] - x[i])` with `h = (m-1) q`, as numpy's `_lerp` computes it. */
export function linearQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const below = Math.floor(h);
  const fraction = h - below;
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  const difference = high - low;
  // numpy interpolates from the nearer end, so that the result stays within [low, high].
  return fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction;
}

/** Mean and quantiles over the values that exist; all null when none does. */
export function figureStats(values: readonly (number | null)[]): FigureStats {
  const present = Float64Array.from(values.filter((value): value is number => value !== null)).sort();
  if (present.length === 0) return { mean: null, p5: null, p25: null, p50: null, p75: null, p95: null };
  let sum = 0;
  for (const value of present) sum += value;
  const [p5, p25, p50, p75, p95] = FAN_QUANTILES.map((q) => linearQuantile(present, q));
  return { mean: sum / present.length, p5: p5 ?? null, p25: p25 ?? null, p50: p50 ?? null, p75: p75 ?? null, p95: p95 ?? null };
}

/** The share of paths on which `happened` holds. */
function share(figures: readonly PathFigures[], happened: (path: PathFigures) => boolean): number {
  return figures.filter(happened).length / figures.length;
}

export interface MonteCarloSource {
  first: string;
  last: string;
  dates: number;
}

/** montecarlo.json from every path's figures, in path order. */
export function monteCarloJson(config: PortfolioConfig, settings: MonteCarloConfig, source: MonteCarloSource, figures: readonly PathFigures[]): MonteCarloJson {
  const { limits } = config;
  const alertPct = config.thresholds.marginUtilizationAlertPct.portfolio;
  return {
    settings,
    source,
    stats: Object.fromEntries(PATH_FIGURE_NAMES.map((name) => [name, figureStats(figures.map((path) => path[name]))])) as MonteCarloJson['stats'],
    probabilities: {
      loss: share(figures, (path) => (path.totalReturn ?? 0) < -ZERO_TOLERANCE),
      drawdownBreach: limits.drawdownBreachUsd === null ? null : share(figures, (path) => (path.breachEvents ?? 0) >= 1),
      stopLossDay: limits.dailyStopLossUsd === null ? null : share(figures, (path) => (path.stopLossDays ?? 0) >= 1),
      marginAlert: share(figures, (path) => exceeds(path.worstMarginUtilizationPct ?? 0, alertPct)),
    },
  };
}

/**
 * Every path's portfolio equity, day by day (`paths` numbers per day), filled chunk by chunk so
 * that only one chunk's curves are held besides: one number per path and day in all.
 */
export class EquityByDay {
  readonly values: Float64Array;

  readonly paths: number;
  readonly horizonDays: number;

  constructor(paths: number, horizonDays: number) {
    this.paths = paths;
    this.horizonDays = horizonDays;
    this.values = new Float64Array(paths * horizonDays);
  }

  add(chunk: PathChunk): void {
    const { paths, horizonDays, values } = this;
    for (let k = 0; k < chunk.figures.length; k += 1) {
      const path = chunk.firstPath + k;
      for (let day = 0; day < horizonDays; day += 1) values[day * paths + path] = chunk.equity[k * horizonDays + day] ?? 0;
    }
  }

  /** The fan: per path day, the quantiles of `E_p` across every path, one column per quantile of `FAN_QUANTILES`. */
  fan(): Float64Array[] {
    const { paths, horizonDays } = this;
    const fan = FAN_QUANTILES.map(() => new Float64Array(horizonDays));
    for (let day = 0; day < horizonDays; day += 1) {
      const sorted = this.values.slice(day * paths, (day + 1) * paths).sort();
      FAN_QUANTILES.forEach((q, i) => {
        (fan[i] as Float64Array)[day] = linearQuantile(sorted, q);
      });
    }
    return fan;
  }
}
