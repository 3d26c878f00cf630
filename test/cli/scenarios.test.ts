/**
 * SPEC 13-14, scenarios through the command line: a `run` with scenarios writes comparison.json,
 * whose every entry must be what a separate `run` with that scenario's merged config writes in
 * its own summary.json (metrics, check statuses, rebalances, wipe-outs, blocked entries, the
 * resolved sections). The merged configs are written here by hand, from RFC 7386's rules (objects
 * merge key by key, `null` removes a key and the default comes back), not with the code's merge.
 * The index page shows the scenarios side by side, with their chart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison, ComparisonEntry } from '#shared/report/comparison.ts';
import { strat, track, type Row } from '#test/support/partB.ts';
import { runCase, writeCase, type Json, type Run } from '#test/support/writeCase.ts';

/** Every third day from 2024-01-01 for ~2.5 months: monthly and weekly rebalances both happen. */
const DATES = Array.from({ length: 26 }, (_, t) => new Date(Date.UTC(2024, 0, 1 + 3 * t)).toISOString().slice(0, 10));

/** Deterministic zigzags with different volatilities; margin 0 on some days (no position: entries to count). */
function series(amplitude: number, drift: number, phase: number, flatEvery: number): string {
  return track(
    ...DATES.map((date, t): Row => {
      const ret = Math.round((drift + amplitude * Math.sin(t * 1.7 + phase)) * 1e6) / 1e6;
      const margin = (t + phase) % flatEvery === 0 ? 0 : 1000 * (1 + (t % 3));
      return [date, ret, margin, margin * 10];
    }),
  );
}

const FILES = {
  'A.csv': series(0.02, 0.002, 0, 4),
  'B.csv': series(0.008, 0.0005, 1, 5),
  'C.csv': series(0.035, 0.001, 2, 3),
};

const BASE = {
  accounts: [{ name: 'Main', startingCapital: 300000 }],
  strategies: ['A', 'B', 'C'].map((name) => strat(name, { allocatedCapital: 90000 })),
  allocation: { method: 'equal', lookbackDays: 3, maxWeight: 0.5 },
  rebalance: { frequency: 'monthly', costBps: 10 },
  limits: { drawdownBreachUsd: 500, maxConcurrentPositions: 2 },
};

interface Scenario {
  name: string;
  overrides: Json;
  /** The merged sections, written by hand. */
  merged: { allocation: Json; rebalance: Json; limits: Json };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'Inverse vol',
    overrides: { allocation: { method: 'inverseVolatility' } },
    merged: { allocation: { method: 'inverseVolatility', lookbackDays: 3, maxWeight: 0.5 }, rebalance: BASE.rebalance, limits: BASE.limits },
  },
  {
    // null removes a key: maxWeight goes back to its default 1, the position limit is gone.
    name: 'Uncapped',
    overrides: { allocation: { maxWeight: null }, limits: { maxConcurrentPositions: null, maxLeverage: 2 } },
    merged: { allocation: { method: 'equal', lookbackDays: 3 }, rebalance: BASE.rebalance, limits: { drawdownBreachUsd: 500, maxLeverage: 2 } },
  },
  {
    name: 'Weekly + band',
    overrides: { rebalance: { frequency: 'weekly', band: { relative: 0.2 }, costBps: 0 } },
    merged: { allocation: BASE.allocation, rebalance: { frequency: 'weekly', band: { relative: 0.2 }, costBps: 0 }, limits: BASE.limits },
  },
];

interface Summary {
  checks: Record<string, { status: string }>;
  metrics: ComparisonEntry['metrics'];
  rebalances: unknown;
  wipeouts: Record<string, string>;
  blockedEntries?: Record<string, { count: number }>;
  config: Json;
}

function readJson<T>(run: Run, file: string): T {
  return JSON.parse(readFileSync(join(run.case.out, file), 'utf8')) as T;
}

function expectExit0(run: Run): void {
  expect(run.exitCode, `exit code; stderr:\n${run.stderr.join('\n')}`).toBe(0);
}

/** What comparison.json must hold for a run, from that run's summary.json. */
function entryFromSummary(name: string, overrides: Json, summary: Summary): ComparisonEntry {
  return {
    name,
    overrides,
    allocation: summary.config['allocation'] as ComparisonEntry['allocation'],
    rebalance: summary.config['rebalance'] as ComparisonEntry['rebalance'],
    limits: summary.config['limits'] as ComparisonEntry['limits'],
    checks: Object.fromEntries(Object.entries(summary.checks).map(([check, figures]) => [check, figures.status])) as ComparisonEntry['checks'],
    rebalances: summary.rebalances as ComparisonEntry['rebalances'],
    wipeouts: summary.wipeouts,
    blockedEntries: Object.values(summary.blockedEntries ?? {}).reduce((sum, entry) => sum + entry.count, 0),
    metrics: summary.metrics,
  };
}

describe('scenarios: comparison.json equals separate runs of the merged configs (SPEC 13-14)', () => {
  let base: Run;
  let comparison: Comparison;
  const single: Run[] = [];

  beforeAll(async () => {
    base = await runCase(writeCase(FILES, { ...BASE, scenarios: SCENARIOS.map(({ name, overrides }) => ({ name, overrides })) }));
    expectExit0(base);
    comparison = readJson<Comparison>(base, 'comparison.json');
    for (const scenario of SCENARIOS) {
      const run = await runCase(writeCase(FILES, { ...BASE, ...scenario.merged }));
      expectExit0(run);
      single.push(run);
    }
  }, 60_000);

  it('the base entry is the run itself, named "base" with no overrides', () => {
    expect(comparison.base).toEqual(entryFromSummary('base', {}, readJson<Summary>(base, 'summary.json')));
    expect(comparison.scenarios.map((entry) => entry.name)).toEqual(SCENARIOS.map((scenario) => scenario.name));
  });

  it.each(SCENARIOS.map((scenario, index) => [scenario.name, index] as const))('%s: metrics, checks and the rest equal its own run', (_, index) => {
    const scenario = SCENARIOS[index] as Scenario;
    const summary = readJson<Summary>(single[index] as Run, 'summary.json');
    const entry = comparison.scenarios[index];
    expect(entry).toEqual(entryFromSummary(scenario.name, scenario.overrides, summary));
    // Each scenario is a different portfolio from the base (the comparison says something).
    expect(entry?.metrics.portfolio.totalReturn).not.toBe(comparison.base.metrics.portfolio.totalReturn);
  });

  it('the merge: null removed allocation.maxWeight (default 1) and limits.maxConcurrentPositions; other keys kept', () => {
    const uncapped = comparison.scenarios[1];
    expect(uncapped?.allocation).toEqual({ method: 'equal', lookbackDays: 3, kellyFraction: 0.5, minWeight: 0, maxWeight: 1, cashBufferPct: 0 });
    expect(uncapped?.limits).toEqual({ maxLeverage: 2, maxConcurrentPositions: null, dailyStopLossUsd: null, drawdownBreachUsd: 500, maxConcentrationPct: null });
    expect(uncapped?.rebalance).toEqual({ frequency: 'monthly', band: null, costBps: 10 });
    // Its checks follow its limits: a leverage check, no concurrent-position check, nothing blocked.
    expect(Object.keys(uncapped?.checks ?? {})).toContain('maxLeverage');
    expect(Object.keys(uncapped?.checks ?? {})).not.toContain('maxConcurrentPositions');
    expect(uncapped?.blockedEntries).toBe(0);
    // The base blocks entries (2 positions at most among 3 strategies) and fails that check.
    expect(comparison.base.blockedEntries).toBeGreaterThan(0);
    expect(comparison.base.checks['maxConcurrentPositions']).toBe('fail');
    expect(comparison.scenarios[2]?.rebalance).toEqual({ frequency: 'weekly', band: { relative: 0.2 }, costBps: 0 });
    expect(comparison.scenarios[2]?.rebalances?.totalCost).toBe(0);
    expect(comparison.base.rebalances?.totalCost).toBeGreaterThan(0);
  });

  it('scenario runs write no CSVs: the run with scenarios writes the same data files as a run without, plus comparison.json', () => {
    const dataFiles = (run: Run): string[] => readdirSync(run.case.out).filter((file) => /\.(csv|json)$/.test(file)).sort();
    expect(dataFiles(base)).toEqual([...dataFiles(single[0] as Run), 'comparison.json'].sort());
    expect(dataFiles(single[0] as Run)).not.toContain('comparison.json');
  });

  it('index.html has the comparison table (a column per run, their Sharpe) and the overlaid chart', () => {
    const page = readFileSync(join(base.case.out, 'index.html'), 'utf8');
    expect(page).toContain('<h2>Scenarios</h2>');
    const section = page.slice(page.indexOf('<h2>Scenarios</h2>'));
    const names = ['base', ...SCENARIOS.map((scenario) => scenario.name)];
    expect(section).toContain(`<tr><th></th>${names.map((name) => `<th>${name}</th>`).join('')}</tr>`);
    // Under a year of history an annualised figure reads "n/m" (issue 13); summary.json and comparison.json keep the value.
    const sharpes = [comparison.base, ...comparison.scenarios].map((entry) =>
      entry.metrics.portfolio.years < 1 ? 'n/m' : entry.metrics.portfolio.sharpe === null ? 'n/a' : entry.metrics.portfolio.sharpe.toFixed(2),
    );
    expect(comparison.base.metrics.portfolio.sharpe).not.toBeNull();
    expect(section).toContain(`<tr><td>Sharpe</td>${sharpes.map((value) => `<td>${value}</td>`).join('')}</tr>`);
    expect(section).toMatch(/<img alt="[^"]*scenario[^"]*" src="data:image\/png;base64,[A-Za-z0-9+/]{100,}/i);
    expect(existsSync(join(base.case.out, 'charts', 'scenarios-normalized.png'))).toBe(true);
    // A run without scenarios has neither.
    const plain = readFileSync(join((single[0] as Run).case.out, 'index.html'), 'utf8');
    expect(plain).not.toContain('<h2>Scenarios</h2>');
    expect(existsSync(join((single[0] as Run).case.out, 'charts', 'scenarios-normalized.png'))).toBe(false);
  });
});
