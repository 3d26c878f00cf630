/**
 * SPEC 18.3, the optimizer's deflated Sharpe, as a user reads it: the figure by hand for a small
 * list of trials (numbers worked out apart from the code, with Python's statistics.NormalDist),
 * optimizer.json's `deflatedSharpe` after a real `optimize` against an independent model of the
 * search's trials and of the chosen set's returns, and the sentence of the terminal, the email and
 * optimizer.html on both sides of 0.95.
 */
import { describe, expect, it } from 'vitest';
import { deflatedSharpe, expectedMaxSharpe } from '#shared/calc/deflatedSharpe.ts';
import { centralMoments } from '#shared/calc/moments.ts';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import { optimizerPage } from '#shared/report/html/optimizerPage.ts';
import { deflatedSharpeSentence, optimizerSummaryLines } from '#shared/report/optimizerSummaryText.ts';
import { modelEquity, modelReturns, optimizeCase, readOptimizer, type ModelPortfolio } from '#test/support/optimizer.ts';
import { expectNear, strat, track, type Row } from '#test/support/partB.ts';
import { writeCase } from '#test/support/writeCase.ts';

const GAMMA = 0.5772156649015329;

/** PSR(SR*) of SPEC 18.1 over returns, from its formula (riskFreeRate 0), with Phi from erf's Taylor series: enough digits for |z| < 3. */
function modelPsr(returns: readonly number[], benchmark: number): number {
  const n = returns.length;
  const mean = returns.reduce((sum, r) => sum + r, 0) / n;
  const moment = (k: number): number => returns.reduce((sum, r) => sum + (r - mean) ** k, 0) / n;
  const [m2, m3, m4] = [moment(2), moment(3), moment(4)];
  const sharpe = mean / Math.sqrt((m2 * n) / (n - 1));
  const z = ((sharpe - benchmark) * Math.sqrt(n - 1)) / Math.sqrt(1 - (m3 / m2 ** 1.5) * sharpe + ((m4 / (m2 * m2) - 1) / 4) * sharpe * sharpe);
  return 0.5 * (1 + erfSeries(z / Math.SQRT2));
}

function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k += 1) {
    term *= (-x * x) / k;
    sum += term / (2 * k + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('the deflated Sharpe by hand (SPEC 18.3)', () => {
  // Four trials, annualized Sharpe ratios 1.2, 0.4, -0.3 and 2.0 over 252 periods a year; the chosen set's returns below.
  const trials = [1.2, 0.4, -0.3, 2.0];
  const chosen = Float64Array.from([0.01, -0.004, 0.006, 0.002, -0.001, 0.008, 0.003]);

  it('V, SR0 and PSR(SR0) as worked out apart (Python: statistics.NormalDist, math.erfc)', () => {
    const result = deflatedSharpe(trials, 252, centralMoments(chosen, 0, chosen.length - 1));
    expect(result.trials).toBe(4);
    expectNear(result.sharpeVariance, 0.0039252645502645496, 'sharpeVariance');
    expectNear(result.expectedMaxSharpe, 1.0464083065948104, 'expectedMaxSharpe');
    expectNear(result.dsr, 0.9182628516124117, 'dsr');
  });

  it('SR0 from the two normal quantiles of N = 4: PhiInv(3/4) = 0.6744897501960817, PhiInv(1 - 1/(4e)) = 1.3287219496247633', () => {
    const variance = 0.0039252645502645496;
    expectNear(expectedMaxSharpe(variance, 4), Math.sqrt(variance) * ((1 - GAMMA) * 0.6744897501960817 + GAMMA * 1.3287219496247633), 'SR0');
    // Two trials: PhiInv(1/2) = 0, so only the second quantile counts.
    expectNear(expectedMaxSharpe(1, 2), GAMMA * 0.9004525966377903, 'SR0 of two trials');
  });

  it('null figures below two trials or with nothing chosen; the trials still counted', () => {
    const moments = centralMoments(chosen, 0, chosen.length - 1);
    expect(deflatedSharpe([1.5], 252, moments)).toEqual({ trials: 1, sharpeVariance: null, expectedMaxSharpe: null, dsr: null });
    expect(deflatedSharpe([], 252, moments)).toEqual({ trials: 0, sharpeVariance: null, expectedMaxSharpe: null, dsr: null });
    expect(deflatedSharpe(trials, 252, null)).toEqual({ trials: 4, sharpeVariance: null, expectedMaxSharpe: null, dsr: null });
  });

  it('equal Sharpe ratios deflate nothing: SR0 = 0 and the figure is the probabilistic Sharpe', () => {
    const result = deflatedSharpe([0.7, 0.7, 0.7], 252, centralMoments(chosen, 0, chosen.length - 1));
    expect(result.sharpeVariance).toBe(0);
    expect(result.expectedMaxSharpe).toBe(0);
    expectNear(result.dsr, modelPsr(Array.from(chosen), 0), 'dsr = PSR(0)');
  });
});

const q = 1 / 128;
const DATES = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10'];
/** Z never moves (a null Sharpe: not a trial). */
const RETURNS: Record<string, number[]> = {
  A: [2 * q, -q, 3 * q, -q, 2 * q, q, -2 * q, 3 * q],
  B: [q, q, -q, 2 * q, -q, q, 2 * q, -q],
  Z: [0, 0, 0, 0, 0, 0, 0, 0],
  C: [-q, 2 * q, -2 * q, q, 3 * q, -q, q, q],
};
const NAMES = Object.keys(RETURNS);

function optimizerCase() {
  const files = Object.fromEntries(NAMES.map((name) => [`${name}.csv`, track(...DATES.map((date, t): Row => [date, RETURNS[name]?.[t] ?? 0, 1000, 10000]))]));
  return writeCase(files, { accounts: [{ name: 'Main', startingCapital: 400000 }], strategies: NAMES.map((name) => strat(name, { allocatedCapital: 100000 })) });
}

describe('optimize writes the deflated Sharpe of every trial it made (SPEC 18.3)', () => {
  it('trials are the non-null candidates of every step; V, SR0 and dsr follow from their Sharpe ratios and the chosen set', async () => {
    const run = await optimizeCase(optimizerCase());
    expect(run.exitCode, run.stderr.join('\n')).toBe(0);
    const report = readOptimizer(run);
    const sharpes = report.steps.flatMap((step) => step.candidates.map((candidate) => candidate.sharpe));
    const tried = sharpes.filter((sharpe): sharpe is number => sharpe !== null);
    // Z alone has a null Sharpe at step 1 and is no trial; every other candidate of every step is one.
    expect(sharpes.length - tried.length).toBe(1);
    expect(report.deflatedSharpe.trials).toBe(tried.length);
    expect(report.chosen.length).toBeGreaterThan(0);

    const perPeriod = tried.map((sharpe) => sharpe / Math.sqrt(252));
    const mean = perPeriod.reduce((sum, value) => sum + value, 0) / perPeriod.length;
    const variance = perPeriod.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (perPeriod.length - 1);
    expectNear(report.deflatedSharpe.sharpeVariance, variance, 'sharpeVariance');
    // The chosen set's in-sample returns, from the model (every date in sample: no inSampleEnd).
    const model: ModelPortfolio = { startingCapital: 400000, allocated: NAMES.map(() => 100000), returns: NAMES.map((name) => RETURNS[name] ?? []) };
    const chosen = report.chosen.map((name) => NAMES.indexOf(name));
    const returns = modelReturns(modelEquity(model, chosen, DATES.length), 400000);
    const benchmark = report.deflatedSharpe.expectedMaxSharpe;
    expect(benchmark).not.toBeNull();
    expectNear(report.deflatedSharpe.dsr, modelPsr(returns, (benchmark ?? 0) / Math.sqrt(252)), 'dsr');
    // The page and the terminal say it beside the in/out-of-sample figures.
    const sentence = deflatedSharpeSentence(report);
    expect(sentence).toContain(`after ${tried.length} trials: deflated Sharpe`);
    expect(run.stdout.join('\n').replace(/\s+/g, ' ')).toContain(sentence?.replace(/\s+/g, ' ').slice(0, 40));
  });
});

/** A window's metrics with the Sharpe given and every other figure plain. */
function windowMetrics(sharpe: number): NonNullable<OptimizerJson['inSampleMetrics']> {
  return {
    totalReturn: 0.1, years: 1, cagr: 0.1, volatility: 0.12, sharpe, sortino: 1, maxDrawdown: -0.05, calmar: 2, winRate: 0.5,
    bestDay: 0.02, worstDay: -0.02, longestDrawdownDays: 10, monthlyReturns: {}, skew: 0, kurtosis: 0, var95: 0.01, cvar95: 0.015,
    var99: 0.02, cvar99: 0.02, probabilisticSharpe: 0.9, var95Usd: 1000, cvar95Usd: 1500, var99Usd: 2000, cvar99Usd: 2000,
    maxDrawdownUsd: 5000, breachEvents: null,
  };
}

describe('the deflated Sharpe in words: the verdict flips at 0.95 (SPEC 18.3)', () => {
  const report = (dsr: number | null, trials = 1044): OptimizerJson => ({
      objective: 'sharpe',
      inSampleEnd: '2024-06-28',
      inSample: { first: '2020-01-02', last: '2024-06-28', days: 1130 },
      outOfSample: { first: '2024-07-01', last: '2024-12-31', days: 132 },
      constraints: { maxDrawdownUsd: null, maxBreachEvents: null, drawdownBreachUsd: null, maxStrategies: 50 },
      steps: [],
      chosen: ['A', 'B'],
      stopReason: 'noImprovement',
      inSampleMetrics: windowMetrics(1.9),
      outOfSampleMetrics: windowMetrics(0.6),
      deflatedSharpe: { trials, sharpeVariance: 0.001, expectedMaxSharpe: 1.7, dsr },
    });

  it('below 0.95: not distinguishable from luck', () => {
    expect(deflatedSharpeSentence(report(0.41))).toBe(
      "The chosen set's in-sample Sharpe 1.90 after 1,044 trials: deflated Sharpe 0.41, i.e. not distinguishable from luck at 95 %.",
    );
    expect(deflatedSharpeSentence(report(0.9499))).toContain('deflated Sharpe 0.95, i.e. not distinguishable from luck at 95 %');
  });

  it('at 0.95 and above: distinguishable from luck', () => {
    expect(deflatedSharpeSentence(report(0.95))).toContain('deflated Sharpe 0.95, i.e. distinguishable from luck at 95 %.');
    expect(deflatedSharpeSentence(report(0.999))).toContain('i.e. distinguishable from luck at 95 %.');
  });

  it('too few trials, an undefined figure, nothing chosen', () => {
    expect(deflatedSharpeSentence(report(null, 1))).toBe("The chosen set's in-sample Sharpe 1.90 after 1 trial: too few trials to deflate it.");
    expect(deflatedSharpeSentence(report(null))).toContain('the deflated Sharpe is undefined');
    expect(deflatedSharpeSentence({ ...report(0.5), inSampleMetrics: null })).toBeNull();
  });

  it('the terminal and email lines and optimizer.html carry the sentence beside the out-of-sample figures', () => {
    const lines = optimizerSummaryLines(report(0.41)).join(' ').replace(/\s+/g, ' ');
    expect(lines).toContain('Sharpe in sample 1.90, out of sample 0.60');
    expect(lines).toContain('after 1,044 trials: deflated Sharpe 0.41, i.e. not distinguishable from luck at 95 %.');
    const page = optimizerPage({ ...report(0.97), inSampleMetrics: null }, [], new Uint8Array());
    expect(page).not.toContain('deflated Sharpe');
    const withMetrics = optimizerPage(report(0.97), [], new Uint8Array()).replace(/\s+/g, ' ');
    expect(withMetrics).toContain('after 1,044 trials: deflated Sharpe 0.97, i.e. distinguishable from luck at 95 %.');
  });
});
