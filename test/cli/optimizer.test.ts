/**
 * SPEC 13-14, the `optimize` command end to end, as a user runs it: the greedy forward selection
 * on small track records whose figures are checked by hand and by an independent few-line model
 * (test/support/optimizer.ts, written from the SPEC, not from the code), the limits that make a
 * candidate infeasible, the honest out-of-sample figures, and the errors a user would see.
 *
 * The hand-made returns are multiples of 1/128 on 100,000 sleeves, so every equity is an exact
 * binary number: sets that hold the same sleeves have bit-identical equity whatever the order of
 * the sums, which makes the ties of SPEC 13 (config order) exact ties, not noise.
 *
 * Reproduce a property failure: FC_SEED=<seed> npx vitest run test/optimizer.test.ts -t '<name>'.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import { close, closeSharpe, modelDrawdown, modelEquity, modelFigures, modelReturns, modelSharpe, optimizeCase, readOptimizer, type ModelPortfolio } from '#test/support/optimizer.ts';
import { strat, track, type Row } from '#test/support/partB.ts';
import { runCli } from '#test/support/runCli.ts';
import { expectNothingWritten, linesReporting, runCase, writeCase, type Case, type Json, type Run } from '#test/support/writeCase.ts';

const seedText = process.env['FC_SEED'];
const seed = seedText === undefined || seedText === '' ? {} : { seed: Number(seedText) };
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...seed });

const q = 1 / 128;
const DATES = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
/** Z never moves (its Sharpe is null); B is A again (an exact tie); C zigzags against A. */
const HAND: Record<string, number[]> = {
  Z: [0, 0, 0, 0, 0],
  A: [2 * q, -q, 4 * q, -q, 2 * q],
  B: [2 * q, -q, 4 * q, -q, 2 * q],
  C: [-q, 2 * q, -q, 2 * q, q],
};

/** One unit traded on every date (margin 1000 = marginPerUnit): the sleeve's return is the CSV's. */
function trackOf(dates: readonly string[], returns: readonly number[], margins?: readonly number[]): string {
  return track(...dates.map((date, t): Row => [date, returns[t] ?? 0, margins?.[t] ?? 1000, 10000]));
}

function handCase(names: readonly string[], extra: Json = {}) {
  const files = Object.fromEntries(names.map((name) => [`${name}.csv`, trackOf(DATES, HAND[name] ?? [])]));
  const config = {
    accounts: [{ name: 'Main', startingCapital: 100000 * names.length }],
    strategies: names.map((name) => strat(name, { allocatedCapital: 100000 })),
    ...extra,
  };
  return writeCase(files, config);
}

function handModel(names: readonly string[]): ModelPortfolio {
  return { startingCapital: 100000 * names.length, allocated: names.map(() => 100000), returns: names.map((name) => HAND[name] ?? []) };
}

function expectWrittenOptimizer(run: Run): OptimizerJson {
  expect(run.exitCode, `exit code; stderr:\n${run.stderr.join('\n')}`).toBe(0);
  return readOptimizer(run);
}

interface ExpectedCandidate {
  strategy: string;
  set: string[];
  feasible: boolean;
  failed: string[];
}

interface ExpectedStep {
  current: string[];
  candidates: ExpectedCandidate[];
  chosen: string | null;
}

/**
 * Every step as expected: the structure exactly, the figures of every candidate and of the
 * current set against the model (SPEC tolerances), breachEvents null without drawdownBreachUsd.
 */
function expectSteps(report: OptimizerJson, names: readonly string[], model: ModelPortfolio, breachUsd: number | null, expected: ExpectedStep[], lastDay = DATES.length - 1): void {
  const index = (name: string): number => names.indexOf(name);
  expect(
    report.steps.map((step) => ({
      current: step.current,
      candidates: step.candidates.map(({ strategy, set, feasible, failed }) => ({ strategy, set, feasible, failed })),
      chosen: step.chosen,
    })),
  ).toEqual(expected);
  report.steps.forEach((step, k) => {
    expect(step.step).toBe(k + 1);
    const current = step.current.length === 0 ? null : modelFigures(model, step.current.map(index), lastDay, breachUsd).sharpe;
    expect(close(step.currentSharpe, current), `step ${k + 1} currentSharpe ${step.currentSharpe} vs ${current}`).toBe(true);
    for (const candidate of step.candidates) {
      const want = modelFigures(model, candidate.set.map(index), lastDay, breachUsd);
      const label = `step ${k + 1} candidate ${candidate.set.join('+')}`;
      expect(close(candidate.sharpe, want.sharpe), `${label} sharpe ${candidate.sharpe} vs ${want.sharpe}`).toBe(true);
      expect(close(candidate.maxDrawdownUsd, want.maxDrawdownUsd, true), `${label} maxDrawdownUsd ${candidate.maxDrawdownUsd} vs ${want.maxDrawdownUsd}`).toBe(true);
      expect(candidate.breachEvents, `${label} breachEvents`).toBe(want.breachEvents);
    }
  });
}

const ok = (strategy: string, set: string[]): ExpectedCandidate => ({ strategy, set, feasible: true, failed: [] });
const fails = (strategy: string, set: string[], ...failed: string[]): ExpectedCandidate => ({ strategy, set, feasible: false, failed });

// The hand figures (E_p with only the named set trading; the others' capital held as cash):
//  A alone:  401562.5, 400769.04296875, 403918.07556152344, 403106.21559619904, 404717.25021488965
//            max dollar drawdown = 403918.07556152344 - 403106.21559619904 = 103918.0755615234 / 128
//  C alone:  399218.75, 400769.04296875, 399981.78482055664, 401544.00020837784, 402337.3127100058
//            max dollar drawdown = 400769.04296875 - 399981.78482055664 (1.0078125 * 1.015625 * 100000 / 128)
//  A and C:  rises every day (400781.25, 401538.0859375, ...): no drawdown at all.
const DD_A = 103918.07556152344 / 128;
const DD_C = (100000 * (1 - q) * (1 + 2 * q)) / 128;
const SHARPE_A = 8.739336468323941;
const SHARPE_C = 6.269289872480346;
const SHARPE_AC = 25.312640036134226;
const SHARPE_AB = 8.75541904406759;
const SHARPE_ACB = 15.17685833919322;

describe('optimize: a greedy search checked by hand (SPEC 13-14)', () => {
  const names = ['Z', 'A', 'B', 'C'];
  const model = handModel(names);

  it('the model agrees with the hand figures', () => {
    const figures = (set: string[]) => modelFigures(model, set.map((name) => names.indexOf(name)), 4, null);
    expect(modelEquity(model, [1], 5)).toEqual([401562.5, 400769.04296875, 403918.07556152344, 403106.21559619904, 404717.25021488965]);
    expect(figures(['A']).maxDrawdownUsd).toBe(DD_A);
    expect(figures(['C']).maxDrawdownUsd).toBe(DD_C);
    expect(figures(['A', 'C']).maxDrawdownUsd).toBe(0);
    expect(figures(['Z']).sharpe).toBeNull();
    for (const [set, sharpe] of [[['A'], SHARPE_A], [['C'], SHARPE_C], [['A', 'C'], SHARPE_AC], [['A', 'B'], SHARPE_AB], [['A', 'C', 'B'], SHARPE_ACB]] as const) {
      expect(close(figures([...set]).sharpe, sharpe), set.join('+')).toBe(true);
    }
  });

  it('no optimizer section: defaults; A (tie with B, config order) then C, then nothing raises the Sharpe', async () => {
    const c = handCase(names);
    const run = await optimizeCase(c);
    const report = expectWrittenOptimizer(run);
    expect(run.stderr).toEqual([]);
    expect(report.objective).toBe('sharpe');
    expect(report.inSampleEnd).toBeNull();
    expect(report.inSample).toEqual({ first: '2024-01-01', last: '2024-01-05', days: 5 });
    expect(report.outOfSample).toBeNull();
    expect(report.constraints).toEqual({ maxDrawdownUsd: null, maxBreachEvents: null, drawdownBreachUsd: null, maxStrategies: 4 });
    expectSteps(report, names, model, null, [
      { current: [], candidates: [ok('Z', ['Z']), ok('A', ['A']), ok('B', ['B']), ok('C', ['C'])], chosen: 'A' },
      { current: ['A'], candidates: [ok('Z', ['A', 'Z']), ok('B', ['A', 'B']), ok('C', ['A', 'C'])], chosen: 'C' },
      { current: ['A', 'C'], candidates: [ok('Z', ['A', 'C', 'Z']), ok('B', ['A', 'C', 'B'])], chosen: null },
    ]);
    const [step1, step2, step3] = report.steps;
    // Step 1: Z's Sharpe is null (its returns never move) and it is not chosen; A and B tie exactly.
    expect(step1?.candidates.map((candidate) => candidate.sharpe)).toEqual([null, SHARPE_A, SHARPE_A, expect.closeTo(SHARPE_C, 9)]);
    expect(step1?.candidates[1]?.maxDrawdownUsd).toBeCloseTo(DD_A, 6);
    expect(step1?.candidates[3]?.maxDrawdownUsd).toBeCloseTo(DD_C, 6);
    expect(step1?.currentSharpe).toBeNull();
    // Step 2: A+C beats A+B and A+Z; A+Z is A exactly.
    expect(step2?.currentSharpe).toBe(SHARPE_A);
    expect(step2?.candidates[0]?.sharpe).toBe(step2?.currentSharpe);
    expect(step2?.candidates[2]?.sharpe).toBeCloseTo(SHARPE_AC, 9);
    expect(step2?.candidates[2]?.maxDrawdownUsd).toBe(0);
    // Step 3: the best (A+C+Z) only equals the current Sharpe: it does not raise it, so the search stops.
    expect(step3?.candidates[0]?.sharpe).toBe(step3?.currentSharpe);
    expect(step3?.candidates[1]?.sharpe).toBeCloseTo(SHARPE_ACB, 9);
    expect(report.chosen).toEqual(['A', 'C']);
    expect(report.stopReason).toBe('noImprovement');
    expect(report.outOfSampleMetrics).toBeNull();
    // The chosen set's metrics over the whole calendar (no inSampleEnd), from the model's equity.
    const equity = modelEquity(model, [1, 3], 5);
    const returns = modelReturns(equity, 400000);
    const metrics = report.inSampleMetrics;
    expect(metrics).not.toBeNull();
    expect(close(metrics?.totalReturn, (equity[4] ?? 0) / 400000 - 1)).toBe(true);
    expect(close(metrics?.sharpe, SHARPE_AC)).toBe(true);
    expect(metrics?.maxDrawdown).toBe(0);
    expect(metrics?.maxDrawdownUsd).toBe(0);
    expect(metrics?.breachEvents).toBeNull();
    expect(close(metrics?.bestDay, Math.max(...returns))).toBe(true);
    expect(close(metrics?.worstDay, Math.min(...returns))).toBe(true);
    expect(close(metrics?.years, 4 / 365.25)).toBe(true);
    // optimizer.json and its page only: no CSV, no summary.json (SPEC 14; the page is an HTML page of SPEC 6).
    expect(readdirSync(c.out).sort()).toEqual(['optimizer.html', 'optimizer.json']);
    expect(run.stdout).toContain('Chosen, in order: A, C');
  });

  it('maxStrategies 1: stops after the first choice, without evaluating another step', async () => {
    const report = expectWrittenOptimizer(await optimizeCase(handCase(names, { optimizer: { maxStrategies: 1 } })));
    expect(report.constraints.maxStrategies).toBe(1);
    expectSteps(report, names, model, null, [
      { current: [], candidates: [ok('Z', ['Z']), ok('A', ['A']), ok('B', ['B']), ok('C', ['C'])], chosen: 'A' },
    ]);
    expect(report.chosen).toEqual(['A']);
    expect(report.stopReason).toBe('maxStrategies');
    expect(close(report.inSampleMetrics?.sharpe, SHARPE_A)).toBe(true);
    expect(close(report.inSampleMetrics?.maxDrawdownUsd, DD_A, true)).toBe(true);
  });

  it('maxDrawdownUsd 800: A and B (811.86) are infeasible and never chosen; C (787.26) then A (tie with B)', async () => {
    const report = expectWrittenOptimizer(await optimizeCase(handCase(names, { optimizer: { maxDrawdownUsd: 800 } })));
    expect(report.constraints).toEqual({ maxDrawdownUsd: 800, maxBreachEvents: null, drawdownBreachUsd: null, maxStrategies: 4 });
    expectSteps(report, names, model, null, [
      {
        current: [],
        candidates: [ok('Z', ['Z']), fails('A', ['A'], 'maxDrawdownUsd'), fails('B', ['B'], 'maxDrawdownUsd'), ok('C', ['C'])],
        chosen: 'C',
      },
      { current: ['C'], candidates: [ok('Z', ['C', 'Z']), ok('A', ['C', 'A']), ok('B', ['C', 'B'])], chosen: 'A' },
      { current: ['C', 'A'], candidates: [ok('Z', ['C', 'A', 'Z']), ok('B', ['C', 'A', 'B'])], chosen: null },
    ]);
    // The highest Sharpe of step 1 (A's) is infeasible; C wins with less.
    expect(report.steps[0]?.candidates[1]?.sharpe).toBeGreaterThan(report.steps[0]?.candidates[3]?.sharpe ?? Infinity);
    expect(report.steps[1]?.candidates[1]?.sharpe).toBe(report.steps[1]?.candidates[2]?.sharpe);
    expect(report.chosen).toEqual(['C', 'A']);
    expect(report.stopReason).toBe('noImprovement');
  });

  it('maxBreachEvents 1 with drawdownBreachUsd 785: A breaches twice (and exceeds maxDrawdownUsd), C once', async () => {
    // A is 793.46 under its peak on 01-02 and 811.86 under on 01-04: two events; C is 781.25 under
    // on 01-01 (not a breach of 785) and 787.26 under on 01-03: one event.
    const extra = { limits: { drawdownBreachUsd: 785 }, optimizer: { maxDrawdownUsd: 800, maxBreachEvents: 1 } };
    const report = expectWrittenOptimizer(await optimizeCase(handCase(names, extra)));
    expect(report.constraints).toEqual({ maxDrawdownUsd: 800, maxBreachEvents: 1, drawdownBreachUsd: 785, maxStrategies: 4 });
    expectSteps(report, names, model, 785, [
      {
        current: [],
        candidates: [
          ok('Z', ['Z']),
          fails('A', ['A'], 'maxDrawdownUsd', 'maxBreachEvents'),
          fails('B', ['B'], 'maxDrawdownUsd', 'maxBreachEvents'),
          ok('C', ['C']),
        ],
        chosen: 'C',
      },
      { current: ['C'], candidates: [ok('Z', ['C', 'Z']), ok('A', ['C', 'A']), ok('B', ['C', 'B'])], chosen: 'A' },
      { current: ['C', 'A'], candidates: [ok('Z', ['C', 'A', 'Z']), ok('B', ['C', 'A', 'B'])], chosen: null },
    ]);
    expect(report.steps[0]?.candidates.map((candidate) => candidate.breachEvents)).toEqual([0, 2, 2, 1]);
    expect(report.inSampleMetrics?.breachEvents).toBe(0);
  });

  it('maxBreachEvents alone: only the breach count makes a candidate infeasible', async () => {
    const extra = { limits: { drawdownBreachUsd: 785 }, optimizer: { maxBreachEvents: 1 } };
    const report = expectWrittenOptimizer(await optimizeCase(handCase(names, extra)));
    expect(report.steps[0]?.candidates.map((candidate) => [candidate.strategy, candidate.feasible, candidate.failed])).toEqual([
      ['Z', true, []],
      ['A', false, ['maxBreachEvents']],
      ['B', false, ['maxBreachEvents']],
      ['C', true, []],
    ]);
    expect(report.chosen).toEqual(['C', 'A']);
  });

  it('no candidate feasible: the search stops at step 1 with nothing chosen and no metrics', async () => {
    const three = ['A', 'B', 'C'];
    const report = expectWrittenOptimizer(await optimizeCase(handCase(three, { optimizer: { maxDrawdownUsd: 700 } })));
    expectSteps(report, three, handModel(three), null, [
      {
        current: [],
        candidates: [fails('A', ['A'], 'maxDrawdownUsd'), fails('B', ['B'], 'maxDrawdownUsd'), fails('C', ['C'], 'maxDrawdownUsd')],
        chosen: null,
      },
    ]);
    expect(report.chosen).toEqual([]);
    expect(report.stopReason).toBe('noFeasibleCandidate');
    expect(report.inSampleMetrics).toBeNull();
    expect(report.outOfSampleMetrics).toBeNull();
  });

  it('only a null-Sharpe candidate feasible: it is never chosen (the search stops: no improvement)', async () => {
    // Z is feasible (never under water) but its Sharpe is null: SPEC 13 never chooses it. The
    // code calls this stop noImprovement (a feasible candidate exists; none raises the Sharpe).
    const report = expectWrittenOptimizer(await optimizeCase(handCase(names, { optimizer: { maxDrawdownUsd: 700 } })));
    expectSteps(report, names, model, null, [
      {
        current: [],
        candidates: [ok('Z', ['Z']), fails('A', ['A'], 'maxDrawdownUsd'), fails('B', ['B'], 'maxDrawdownUsd'), fails('C', ['C'], 'maxDrawdownUsd')],
        chosen: null,
      },
    ]);
    expect(report.chosen).toEqual([]);
    expect(report.stopReason).toBe('noImprovement');
    expect(report.inSampleMetrics).toBeNull();
  });

  it('optimize leaves the files of a run in the same folder alone and replaces an old optimizer.json', async () => {
    const c = writeCase(
      Object.fromEntries(names.map((name) => [`${name}.csv`, trackOf(DATES, HAND[name] ?? [])])),
      { accounts: [{ name: 'Main', startingCapital: 400000 }], strategies: names.map((name) => strat(name, { allocatedCapital: 100000 })) },
      { existingOut: { 'summary.json': '{"from":"a run"}\n', '1_master_aligned_data.csv': 'Date\n', 'optimizer.json': '{"old":true}\n' } },
    );
    const run = await optimizeCase(c);
    expect(run.exitCode, run.stderr.join('\n')).toBe(0);
    expect(readFileSync(join(c.out, 'summary.json'), 'utf8')).toBe('{"from":"a run"}\n');
    expect(readFileSync(join(c.out, '1_master_aligned_data.csv'), 'utf8')).toBe('Date\n');
    expect(readOptimizer(run).chosen).toEqual(['A', 'C']);
    expect(readdirSync(c.out).sort()).toEqual(['1_master_aligned_data.csv', 'optimizer.html', 'optimizer.json', 'summary.json']);
  });
});

describe('optimize: out of sample is honest (SPEC 13)', () => {
  // P: +1/16, -1/32, -1/64 in sample (to 2024-01-05, not itself a calendar date), then +1/128, -1/128.
  const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-08', '2024-01-09'];
  const returns = [1 / 16, -1 / 32, -1 / 64, q, -q];

  it('in-sample figures use the dates up to inSampleEnd; out-of-sample drawdowns count from the equity at inSampleEnd', async () => {
    const c = writeCase(
      { 'P.csv': trackOf(dates, returns) },
      {
        accounts: [{ name: 'Main', startingCapital: 100000 }],
        strategies: [strat('P', { allocatedCapital: 100000 })],
        limits: { drawdownBreachUsd: 1000 },
        optimizer: { maxStrategies: 2, inSampleEnd: '2024-01-05' },
      },
    );
    const report = expectWrittenOptimizer(await optimizeCase(c));
    expect(report.inSampleEnd).toBe('2024-01-05');
    expect(report.inSample).toEqual({ first: '2024-01-01', last: '2024-01-03', days: 3 });
    expect(report.outOfSample).toEqual({ first: '2024-01-08', last: '2024-01-09', days: 2 });
    // Equity: 106250, 102929.6875, 101321.38671875 | 102112.9...,  101315.2...
    const e3 = 100000 * (17 / 16) * (31 / 32) * (63 / 64);
    const e4 = e3 * (1 + q);
    const e5 = e4 * (1 - q);
    const inSampleSharpe = modelSharpe(returns.slice(0, 3));
    expect(report.steps).toHaveLength(1);
    const candidate = report.steps[0]?.candidates[0];
    expect(candidate?.set).toEqual(['P']);
    expect(close(candidate?.sharpe, inSampleSharpe)).toBe(true);
    expect(candidate?.sharpe).not.toBeCloseTo(modelSharpe(returns) ?? 0, 3);
    // In sample: 106250 - 101321.38671875 under the peak; one breach of 1000 (from 01-02 on).
    expect(close(candidate?.maxDrawdownUsd, 106250 - e3, true)).toBe(true);
    expect(candidate?.breachEvents).toBe(1);
    expect(report.chosen).toEqual(['P']);
    // maxStrategies 2 but a single strategy: everything chosen, stopped before another step.
    expect(report.stopReason).toBe('allChosen');

    const inSample = report.inSampleMetrics;
    expect(close(inSample?.sharpe, inSampleSharpe)).toBe(true);
    expect(close(inSample?.totalReturn, e3 / 100000 - 1)).toBe(true);
    expect(close(inSample?.maxDrawdown, -95 / 2048)).toBe(true);
    expect(close(inSample?.maxDrawdownUsd, 106250 - e3, true)).toBe(true);
    expect(inSample?.breachEvents).toBe(1);

    const outOfSample = report.outOfSampleMetrics;
    // From the equity at 2024-01-03, not from the peak of 01-01: 102112.9 - 101315.2 = e4 / 128, no breach of 1000
    // (measured from the old peak it would be 4934.8 and a breach).
    expect(close(outOfSample?.maxDrawdownUsd, e4 / 128, true)).toBe(true);
    expect(close(outOfSample?.maxDrawdownUsd, e4 - e5, true)).toBe(true);
    expect(outOfSample?.breachEvents).toBe(0);
    expect(close(outOfSample?.totalReturn, -1 / 16384)).toBe(true);
    expect(close(outOfSample?.maxDrawdown, -q)).toBe(true);
    expect(close(outOfSample?.sharpe, 0)).toBe(true);
    expect(outOfSample?.bestDay).toBe(q);
    expect(outOfSample?.worstDay).toBe(-q);
    expect(close(outOfSample?.years, 1 / 365.25)).toBe(true);
    expect(outOfSample?.monthlyReturns).toEqual({ '2024-01': expect.closeTo(-1 / 16384, 15) });
  });
});

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/** A random one-account portfolio the model understands: returns with 4 decimals, one unit every day. */
interface RandomCase {
  names: string[];
  dates: string[];
  model: ModelPortfolio;
}

function isoDay(offset: number): string {
  return new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
}

const returnArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: -300, max: 300 }).map((k) => k / 10000) });

function randomCaseArb(minDays: number, maxDays: number): fc.Arbitrary<RandomCase> {
  return fc
    .record({
      strategies: fc.integer({ min: 2, max: 4 }),
      days: fc.integer({ min: minDays, max: maxDays }),
      allocations: fc.array(fc.constantFrom(20000, 50000, 100000), { minLength: 4, maxLength: 4 }),
      idle: fc.constantFrom(0, 50000),
    })
    .chain(({ strategies, days, allocations, idle }) =>
      fc.array(fc.array(returnArb, { minLength: days, maxLength: days }), { minLength: strategies, maxLength: strategies }).map((returns) => {
        const allocated = allocations.slice(0, strategies);
        return {
          names: returns.map((_, s) => `S${s + 1}`),
          dates: Array.from({ length: days }, (_, t) => isoDay(t)),
          model: { startingCapital: allocated.reduce((sum, a) => sum + a, 0) + idle, allocated, returns },
        };
      }),
    );
}

function randomFiles(c: RandomCase): Record<string, string> {
  return Object.fromEntries(c.names.map((name, s) => [`${name}.csv`, trackOf(c.dates, c.model.returns[s] ?? [])]));
}

function randomConfig(c: RandomCase, extra: Json): Json {
  return {
    accounts: [{ name: 'Main', startingCapital: c.model.startingCapital }],
    strategies: c.names.map((name, s) => strat(name, { allocatedCapital: c.model.allocated[s] })),
    ...extra,
  };
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * The greedy rule of SPEC 13 on the figures the report gives: the chosen candidate is feasible,
 * has a non-null Sharpe, the highest of the feasible ones (an earlier one in config order only
 * with a lower one) and above the current Sharpe; a step that chooses nothing has no such
 * candidate and is the last; the stop reason says why.
 */
function checkGreedyRule(report: OptimizerJson, names: readonly string[], maxStrategies: number): void {
  report.steps.forEach((step, k) => {
    const feasible = step.candidates.filter((candidate) => candidate.feasible && candidate.sharpe !== null);
    const best = Math.max(...feasible.map((candidate) => candidate.sharpe ?? -Infinity));
    const improves = feasible.length > 0 && (step.currentSharpe === null || best > step.currentSharpe);
    if (!improves) {
      if (step.chosen !== null) fail(`step ${k + 1} chose ${step.chosen} though no feasible candidate raises ${step.currentSharpe}`);
      if (k !== report.steps.length - 1) fail(`step ${k + 1} chose nothing but is not the last`);
      const anyFeasible = step.candidates.some((candidate) => candidate.feasible);
      const reason = anyFeasible ? 'noImprovement' : 'noFeasibleCandidate';
      if (report.stopReason !== reason) fail(`stopReason ${report.stopReason}, expected ${reason}`);
      return;
    }
    const first = step.candidates.find((candidate) => candidate.feasible && candidate.sharpe === best);
    if (step.chosen !== first?.strategy) fail(`step ${k + 1} chose ${step.chosen}, expected ${first?.strategy} (Sharpe ${best})`);
    if (report.chosen[k] !== step.chosen) fail(`chosen[${k}] ${report.chosen[k]} is not step ${k + 1}'s ${step.chosen}`);
  });
  if (report.chosen.length > maxStrategies) fail(`${report.chosen.length} chosen, more than maxStrategies ${maxStrategies}`);
  const last = report.steps[report.steps.length - 1];
  if (last !== undefined && last.chosen !== null) {
    const reason = report.chosen.length >= maxStrategies ? 'maxStrategies' : report.chosen.length === names.length ? 'allChosen' : null;
    if (report.stopReason !== reason) fail(`stopReason ${report.stopReason} after choosing ${report.chosen.join(',')}, expected ${reason}`);
  }
  // Candidates are the remaining strategies in config order, each set the chosen ones then the candidate.
  report.steps.forEach((step, k) => {
    const current = report.chosen.slice(0, k);
    if (JSON.stringify(step.current) !== JSON.stringify(current)) fail(`step ${k + 1} current ${step.current.join(',')}, expected ${current.join(',')}`);
    const remaining = names.filter((name) => !current.includes(name));
    if (JSON.stringify(step.candidates.map((candidate) => candidate.strategy)) !== JSON.stringify(remaining)) fail(`step ${k + 1} candidates`);
    for (const candidate of step.candidates) {
      if (JSON.stringify(candidate.set) !== JSON.stringify([...current, candidate.strategy])) fail(`step ${k + 1} set ${candidate.set.join(',')}`);
    }
  });
}

/** Every candidate's figures against the model, and its feasibility against the limits on the model's figures. */
function checkCandidates(report: OptimizerJson, c: RandomCase, lastDay: number, limits: { maxDrawdownUsd: number | null; maxBreachEvents: number | null; breachUsd: number | null }): void {
  for (const step of report.steps) {
    for (const candidate of step.candidates) {
      const want = modelFigures(c.model, candidate.set.map((name) => c.names.indexOf(name)), lastDay, limits.breachUsd);
      const label = `step ${step.step} ${candidate.set.join('+')}`;
      if (!closeSharpe(candidate.sharpe, want.returns)) fail(`${label} sharpe ${candidate.sharpe}, model ${want.sharpe}`);
      if (!close(candidate.maxDrawdownUsd, want.maxDrawdownUsd, true)) fail(`${label} maxDrawdownUsd ${candidate.maxDrawdownUsd}, model ${want.maxDrawdownUsd}`);
      if (candidate.breachEvents !== want.breachEvents) fail(`${label} breachEvents ${candidate.breachEvents}, model ${want.breachEvents}`);
      const failed = [
        ...(limits.maxDrawdownUsd !== null && want.maxDrawdownUsd > limits.maxDrawdownUsd ? ['maxDrawdownUsd'] : []),
        ...(limits.maxBreachEvents !== null && (want.breachEvents ?? 0) > limits.maxBreachEvents ? ['maxBreachEvents'] : []),
      ];
      if (JSON.stringify(candidate.failed) !== JSON.stringify(failed) || candidate.feasible !== (failed.length === 0)) {
        fail(`${label} feasible ${candidate.feasible} failed ${JSON.stringify(candidate.failed)}, expected ${JSON.stringify(failed)} (figures ${JSON.stringify(want)})`);
      }
    }
  }
  // Never an infeasible strategy in the chosen set.
  report.steps.forEach((step) => {
    const chosen = step.candidates.find((candidate) => candidate.strategy === step.chosen);
    if (step.chosen !== null && chosen?.feasible !== true) fail(`step ${step.step} chose ${step.chosen}, which is infeasible`);
  });
}

describe('optimize: limits and the greedy rule on random portfolios (SPEC 13)', () => {
  it('infeasible candidates (maxDrawdownUsd, maxBreachEvents) are marked and never chosen; maxStrategies caps the set', async () => {
    const limitsArb = fc.record({
      maxDrawdownUsd: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 60 }).map((k) => k * 50)),
      breach: fc.oneof(
        fc.constant(null),
        fc.record({ usd: fc.integer({ min: 1, max: 20 }).map((k) => k * 100), events: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 2 })) }),
      ),
      maxStrategies: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 5 })),
    });
    await fc.assert(
      fc.asyncProperty(randomCaseArb(4, 12), limitsArb, async (c, limits) => {
        const breachUsd = limits.breach?.usd ?? null;
        const maxBreachEvents = limits.breach?.events ?? null;
        const optimizer = { maxDrawdownUsd: limits.maxDrawdownUsd, maxBreachEvents, ...(limits.maxStrategies === null ? {} : { maxStrategies: limits.maxStrategies }) };
        const extra = { optimizer, ...(breachUsd === null ? {} : { limits: { drawdownBreachUsd: breachUsd } }) };
        const run = await optimizeCase(writeCase(randomFiles(c), randomConfig(c, extra)));
        if (run.exitCode !== 0) fail(`exit ${run.exitCode}: ${run.stderr.join('\n')}`);
        const report = readOptimizer(run);
        const maxStrategies = limits.maxStrategies ?? c.names.length;
        expect(report.constraints).toEqual({ maxDrawdownUsd: limits.maxDrawdownUsd, maxBreachEvents, drawdownBreachUsd: breachUsd, maxStrategies });
        checkCandidates(report, c, c.dates.length - 1, { maxDrawdownUsd: limits.maxDrawdownUsd, maxBreachEvents, breachUsd });
        checkGreedyRule(report, c.names, maxStrategies);
        // The chosen set's in-sample metrics are the last chosen candidate's figures.
        if (report.chosen.length === 0) {
          expect(report.inSampleMetrics).toBeNull();
        } else {
          const want = modelFigures(c.model, report.chosen.map((name) => c.names.indexOf(name)), c.dates.length - 1, breachUsd);
          if (!close(report.inSampleMetrics?.sharpe, want.sharpe)) fail(`inSampleMetrics.sharpe ${report.inSampleMetrics?.sharpe}, model ${want.sharpe}`);
          if (!close(report.inSampleMetrics?.maxDrawdownUsd, want.maxDrawdownUsd, true)) fail('inSampleMetrics.maxDrawdownUsd');
          if (report.inSampleMetrics?.breachEvents !== want.breachEvents) fail('inSampleMetrics.breachEvents');
        }
      }),
      params(30),
    );
  });
});

describe('optimize: no look-ahead, and the out-of-sample figures see what comes after (SPEC 13)', () => {
  /** The same case with other returns after the in-sample dates, and perhaps more or fewer dates. */
  const splitArb = randomCaseArb(4, 10).chain((c) =>
    fc
      .record({
        inSampleDays: fc.integer({ min: 2, max: c.dates.length - 1 }),
        otherDays: fc.integer({ min: 1, max: 6 }),
        seedReturns: fc.array(fc.array(returnArb, { minLength: 16, maxLength: 16 }), { minLength: c.names.length, maxLength: c.names.length }),
        breachUsd: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 20 }).map((k) => k * 100)),
      })
      .map(({ inSampleDays, otherDays, seedReturns, breachUsd }) => {
        const total = inSampleDays + otherDays;
        const other: RandomCase = {
          names: c.names,
          dates: Array.from({ length: total }, (_, t) => isoDay(t)),
          model: {
            ...c.model,
            returns: c.model.returns.map((series, s) => [...series.slice(0, inSampleDays), ...(seedReturns[s] ?? []).slice(0, otherDays)]),
          },
        };
        return { c, other, inSampleDays, breachUsd };
      }),
  );

  function checkOutOfSample(report: OptimizerJson, c: RandomCase, inSampleDays: number, breachUsd: number | null): void {
    const last = inSampleDays - 1;
    expect(report.inSample).toEqual({ first: c.dates[0], last: c.dates[last], days: inSampleDays });
    expect(report.outOfSample).toEqual({ first: c.dates[last + 1], last: c.dates[c.dates.length - 1], days: c.dates.length - inSampleDays });
    if (report.chosen.length === 0) {
      expect(report.outOfSampleMetrics).toBeNull();
      return;
    }
    // One continuous run of the chosen set; out of sample starts from the equity at inSampleEnd.
    const equity = modelEquity(c.model, report.chosen.map((name) => c.names.indexOf(name)), c.dates.length);
    const returns = modelReturns(equity, c.model.startingCapital).slice(inSampleDays);
    const base = equity[last] ?? 0;
    const { maxDrawdownUsd, breachEvents } = modelDrawdown(equity, base, breachUsd, inSampleDays);
    const metrics = report.outOfSampleMetrics;
    if (metrics === null) fail('no outOfSampleMetrics');
    if (!close(metrics.totalReturn, (equity[equity.length - 1] ?? 0) / base - 1)) fail(`OOS totalReturn ${metrics.totalReturn}`);
    if (returns.length >= 2 && !closeSharpe(metrics.sharpe, returns)) fail(`OOS sharpe ${metrics.sharpe}, model ${modelSharpe(returns)}`);
    if (!close(metrics.maxDrawdownUsd, maxDrawdownUsd, true)) fail(`OOS maxDrawdownUsd ${metrics.maxDrawdownUsd}, model ${maxDrawdownUsd}`);
    if (metrics.breachEvents !== breachEvents) fail(`OOS breachEvents ${metrics.breachEvents}, model ${breachEvents}`);
    let peak = base;
    let worst = 0;
    for (const e of equity.slice(inSampleDays)) {
      peak = Math.max(peak, e);
      worst = Math.min(worst, e / peak - 1);
    }
    if (!close(metrics.maxDrawdown, worst)) fail(`OOS maxDrawdown ${metrics.maxDrawdown}, model ${worst}`);
  }

  /** Optimizes two cases that differ only after inSampleEnd: the search and the in-sample figures must be the same. */
  async function sameSearch(firstCase: Case, secondCase: Case): Promise<[OptimizerJson, OptimizerJson]> {
    const first = await optimizeCase(firstCase);
    const second = await optimizeCase(secondCase);
    if (first.exitCode !== 0 || second.exitCode !== 0) fail(`exit ${first.exitCode}/${second.exitCode}: ${[...first.stderr, ...second.stderr].join('\n')}`);
    const a = readOptimizer(first);
    const b = readOptimizer(second);
    expect(b.steps).toEqual(a.steps);
    expect(b.chosen).toEqual(a.chosen);
    expect(b.stopReason).toBe(a.stopReason);
    expect(b.inSample).toEqual(a.inSample);
    expect(b.inSampleMetrics).toEqual(a.inSampleMetrics);
    return [a, b];
  }

  it('changing the data after inSampleEnd changes neither the search nor the in-sample figures; out of sample follows it', async () => {
    await fc.assert(
      fc.asyncProperty(splitArb, async ({ c, other, inSampleDays, breachUsd }) => {
        const extra = { optimizer: { inSampleEnd: c.dates[inSampleDays - 1] }, ...(breachUsd === null ? {} : { limits: { drawdownBreachUsd: breachUsd } }) };
        const [a, b] = await sameSearch(writeCase(randomFiles(c), randomConfig(c, extra)), writeCase(randomFiles(other), randomConfig(other, extra)));
        // The in-sample figures are the model's over the in-sample dates only.
        checkCandidates(a, c, inSampleDays - 1, { maxDrawdownUsd: null, maxBreachEvents: null, breachUsd });
        checkOutOfSample(a, c, inSampleDays, breachUsd);
        checkOutOfSample(b, other, inSampleDays, breachUsd);
      }),
      params(20),
    );
  });

  it('no look-ahead under part-B settings too (weights, rebalancing, concurrent positions)', async () => {
    const settingsArb = fc.record({
      allocation: fc.record({
        method: fc.constantFrom('fixed', 'equal', 'inverseVolatility', 'riskParity', 'kelly'),
        lookbackDays: fc.integer({ min: 2, max: 4 }),
        maxWeight: fc.constantFrom(0.3, 0.6, 1),
      }),
      rebalance: fc.record({ frequency: fc.constantFrom('none', 'weekly', 'monthly'), band: fc.constantFrom(null, { absolute: 0.02 }), costBps: fc.constantFrom(0, 25) }),
      maxConcurrentPositions: fc.constantFrom(null, 1, 2),
      margins: fc.array(fc.array(fc.constantFrom(0, 1000, 1000, 2000), { minLength: 40, maxLength: 40 }), { minLength: 4, maxLength: 4 }),
      otherMargins: fc.array(fc.array(fc.constantFrom(0, 1000, 3000), { minLength: 40, maxLength: 40 }), { minLength: 4, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(splitArb, settingsArb, async ({ c, other, inSampleDays }, settings) => {
        // Dates every 3 days so that weekly and monthly rebalances happen in sample.
        const spread = (x: RandomCase): string[] => x.dates.map((_, t) => isoDay(3 * t));
        const files = (x: RandomCase, margins: number[][]) =>
          Object.fromEntries(
            x.names.map((name, s) => [
              `${name}.csv`,
              trackOf(spread(x), x.model.returns[s] ?? [], (x.model.returns[s] ?? []).map((_, t) => (t < inSampleDays ? settings.margins[s]?.[t] : margins[s]?.[t]) ?? 1000)),
            ]),
          );
        const extra = {
          allocation: settings.allocation,
          rebalance: settings.rebalance,
          ...(settings.maxConcurrentPositions === null ? {} : { limits: { maxConcurrentPositions: settings.maxConcurrentPositions } }),
          optimizer: { inSampleEnd: spread(c)[inSampleDays - 1] },
        };
        const [, b] = await sameSearch(writeCase(files(c, settings.margins), randomConfig(c, extra)), writeCase(files(other, settings.otherMargins), randomConfig(other, extra)));
        expect(b.outOfSample?.days).toBe(other.dates.length - inSampleDays);
      }),
      params(20),
    );
  });
});

// ---------------------------------------------------------------------------------------
// Errors a user would see
// ---------------------------------------------------------------------------------------

describe('optimize: errors (SPEC 14)', () => {
  const names = ['A', 'C'];
  const files = Object.fromEntries(names.map((name) => [`${name}.csv`, trackOf(DATES, HAND[name] ?? [])]));
  const config = (extra: Json): Json => ({
    accounts: [{ name: 'Main', startingCapital: 200000 }],
    strategies: names.map((name) => strat(name, { allocatedCapital: 100000 })),
    ...extra,
  });

  async function expectOptimizeRejected(extra: Json, key: string, existingOut?: Record<string, string>): Promise<Run> {
    const c = writeCase(files, config(extra), existingOut === undefined ? {} : { existingOut });
    const run = await optimizeCase(c);
    expectNothingWritten(run);
    expect(linesReporting(run, { file: 'portfolio.json', column: key }), `a stderr line naming ${key} in:\n${run.stderr.join('\n')}`).not.toEqual([]);
    if (existingOut === undefined) expect(existsSync(c.out)).toBe(false);
    return run;
  }

  it.each([
    ['before the first date', '2023-12-31'],
    ['on the last date (nothing left out of sample)', '2024-01-05'],
    ['after the last date', '2024-02-01'],
  ])('optimizer.inSampleEnd %s of the calendar: exit 1, named, nothing written', async (_, inSampleEnd) => {
    const run = await expectOptimizeRejected({ optimizer: { inSampleEnd } }, 'optimizer.inSampleEnd');
    expect(run.stderr.some((line) => line.includes(inSampleEnd))).toBe(true);
  });

  it('optimizer.inSampleEnd on the first date is accepted: one in-sample date', async () => {
    const report = expectWrittenOptimizer(await optimizeCase(writeCase(files, config({ optimizer: { inSampleEnd: '2024-01-01' } }))));
    expect(report.inSample).toEqual({ first: '2024-01-01', last: '2024-01-01', days: 1 });
    expect(report.outOfSample).toEqual({ first: '2024-01-02', last: '2024-01-05', days: 4 });
    // One in-sample date: no Sharpe (ddof 1 over one value), nothing can be chosen.
    expect(report.steps[0]?.candidates.map((candidate) => candidate.sharpe)).toEqual([null, null]);
    expect(report.chosen).toEqual([]);
  });

  it('run checks optimizer.inSampleEnd against the calendar too', async () => {
    const run = await runCase(writeCase(files, config({ optimizer: { inSampleEnd: '2024-01-05' } })));
    expectNothingWritten(run);
    expect(linesReporting(run, { file: 'portfolio.json', column: 'optimizer.inSampleEnd' })).not.toEqual([]);
  });

  it('optimizer.maxBreachEvents without limits.drawdownBreachUsd; an existing report is left as it was', async () => {
    await expectOptimizeRejected({ optimizer: { maxBreachEvents: 1 } }, 'optimizer.maxBreachEvents', { 'optimizer.json': '{"old":true}\n' });
  });

  it('a broken scenario override is an error of optimize too, named under the scenario', async () => {
    const run = await expectOptimizeRejected(
      { scenarios: [{ name: 'Fine', overrides: { rebalance: { frequency: 'monthly' } } }, { name: 'Broken', overrides: { allocation: { method: 'magic' } } }] },
      'scenarios[1] (Broken).allocation.method',
    );
    expect(run.stderr.filter((line) => line.includes('(Fine)'))).toEqual([]);
  });

  it('a scenario that removes limits.drawdownBreachUsd (merge-patch null) breaks optimizer.maxBreachEvents in its merged config', async () => {
    await expectOptimizeRejected(
      {
        limits: { drawdownBreachUsd: 1000 },
        optimizer: { maxBreachEvents: 1 },
        scenarios: [{ name: 'NoBreach', overrides: { limits: { drawdownBreachUsd: null } } }],
      },
      'scenarios[0] (NoBreach).optimizer.maxBreachEvents',
    );
  });

  it('a rule the base config breaks is reported once, under its own key, not again under every scenario', async () => {
    const run = await expectOptimizeRejected(
      { optimizer: { maxBreachEvents: 1 }, scenarios: [{ name: 'Monthly', overrides: { rebalance: { frequency: 'monthly' } } }] },
      'optimizer.maxBreachEvents',
    );
    expect(run.stderr.filter((line) => line.includes('maxBreachEvents'))).toHaveLength(1);
    expect(run.stderr.filter((line) => line.includes('(Monthly)'))).toEqual([]);
  });

  it.each([
    ['an unknown flag', ['--fast']],
    ['--out without a value', ['--out']],
  ])('bad usage, %s: exit 2, nothing written', async (_, extraArgs) => {
    const c = writeCase(files, config({}));
    const args = ['optimize', '--data', c.data, '--config', c.config ?? '', ...(extraArgs[0] === '--out' ? [] : ['--out', c.out]), ...extraArgs];
    const result = await runCli(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.join('\n')).toMatch(/usage/i);
    expect(existsSync(c.out)).toBe(false);
  });

  it('bad usage: --out missing altogether exits 2', async () => {
    const c = writeCase(files, config({}));
    const result = await runCli(['optimize', '--data', c.data, '--config', c.config ?? '']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.join('\n')).toContain('--out');
  });
});
