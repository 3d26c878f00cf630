/**
 * The morning's facts (issue 13): the portfolio's day, month, year and trailing year as in
 * summary.json's asOf (SPEC 15), every failing check and wipe-out once, in one line of words,
 * rules before data and internal checks, and the day's and month's movers from SPEC 16.1's
 * attribution. Run on the bundled sample under limits it breaks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AsOf, Attribution } from '#shared/calc/partCResults.ts';
import { formatFixed, formatFractionAsPercent, formatPercent, formatSignedPercent, formatSignedUsd } from '#shared/report/formatting.ts';
import { morningFacts, moversOf, type MorningInput } from '#shared/report/morningFacts.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { writeSampleUnderLimits } from '#test/support/sampleUnderLimits.ts';

interface Summary {
  asOf: AsOf;
  attribution: Attribution;
  checks: MorningInput['checks'] & Record<string, { status: string }>;
  wipeouts: Record<string, string>;
}

describe('the morning facts of the sample under limits it breaks', () => {
  let summary: Summary;
  beforeAll(async () => {
    const data = scratchFolder('morning-data');
    writeSampleUnderLimits(data);
    const out = scratchFolder('morning-out');
    expect((await runCli(['run', '--data', data, '--out', out])).exitCode).toBe(0);
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  });

  it('lists exactly the failing checks, rules first, each in one line', () => {
    const facts = morningFacts(summary);
    const failing = Object.entries(summary.checks).filter(([, check]) => check.status === 'fail').map(([name]) => name);
    expect(failing.length).toBeGreaterThan(0);
    expect(facts.breaches.map((breach) => breach.name).sort()).toEqual([...failing].sort());
    expect(facts.passing.map((check) => check.name).sort()).toEqual(Object.keys(summary.checks).filter((name) => !failing.includes(name)).sort());
    const kinds = facts.breaches.map((breach) => breach.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => ['wipeout', 'rule', 'data', 'internal'].indexOf(a) - ['wipeout', 'rule', 'data', 'internal'].indexOf(b)));
    for (const breach of facts.breaches) expect(breach.line).not.toContain('\n');
  });

  it('counts the alerts by kind as the subject says them: rules, stale track records, restated strategies, internal checks, wipe-outs', () => {
    const facts = morningFacts(summary);
    const failingOf = (kind: string): number => facts.breaches.filter((breach) => breach.kind === kind).length;
    expect(facts.counts).toEqual({ wipeouts: 0, rules: failingOf('rule'), stale: 0, restated: 0, internal: failingOf('internal') });
    expect(facts.counts.rules).toBe(5);
    const stale = {
      ...summary.checks,
      freshness: { status: 'fail' as const, staleAfterWeekdays: 3, asOf: '2025-12-31', strategies: { A: { lastDate: '2025-12-01', weekdaysBehind: 22, stale: true }, B: { lastDate: '2025-12-30', weekdaysBehind: 1, stale: false } } },
      restatements: { status: 'fail' as const, strategies: 2, dates: 7 },
    };
    expect(morningFacts({ ...summary, checks: stale, wipeouts: { C: '2020-03-16' } }).counts).toEqual({ wipeouts: 1, rules: 5, stale: 1, restated: 2, internal: facts.counts.internal });
  });

  it('says the leverage breach in words with its count, worst figure and date', () => {
    const leverage = summary.checks.maxLeverage;
    if (leverage === undefined) throw new Error('the run has no maxLeverage check');
    const line = morningFacts(summary).breaches.find((breach) => breach.name === 'maxLeverage')?.line;
    expect(line).toBe(`Leverage above 3x on 2,608 days, worst ${leverage.worst.toFixed(1)}x on ${leverage.worstDate}`);
  });

  it("takes the portfolio's periods and drawdown now from summary.json's asOf", () => {
    const facts = morningFacts(summary);
    const { portfolio } = summary.asOf;
    expect(facts.date).toBe(summary.asOf.date);
    expect(facts.periods.day).toEqual(portfolio.periods.day);
    expect(facts.periods.mtd).toEqual(portfolio.periods.mtd);
    expect(facts.periods.ytd).toEqual(portfolio.periods.ytd);
    expect(facts.periods['1y']).toEqual(portfolio.periods['1y']);
    expect(facts.drawdown).toEqual({ depth: portfolio.currentDrawdown, usd: portfolio.currentDrawdownUsd, since: portfolio.drawdownStart, days: portfolio.daysUnderWater });
  });

  it("names the day's and the month's gainers and losers by their dollar P&L", () => {
    const facts = morningFacts(summary);
    for (const period of ['day', 'mtd'] as const) {
      const pnl = Object.entries(summary.attribution.periods[period]?.strategies ?? {});
      const gainers = pnl.filter(([, usd]) => usd > 0).sort((a, b) => b[1] - a[1]);
      const losers = pnl.filter(([, usd]) => usd < 0).sort((a, b) => a[1] - b[1]);
      expect(facts.movers[period].top.map((mover) => [mover.name, mover.pnlUsd])).toEqual(gainers.slice(0, 3));
      expect(facts.movers[period].bottom.map((mover) => [mover.name, mover.pnlUsd])).toEqual(losers.slice(0, 3));
    }
  });
});

describe('movers', () => {
  const period = { strategies: { A: 5, B: -2, C: 0, D: 9, E: -7, F: 5 }, accounts: {}, costsUsd: 0, portfolioPnlUsd: 10, residualUsd: 0 };
  it('keep the largest gains and losses, ties in config order, nobody flat', () => {
    expect(moversOf(period, 2)).toEqual({ top: [{ name: 'D', pnlUsd: 9 }, { name: 'A', pnlUsd: 5 }], bottom: [{ name: 'E', pnlUsd: -7 }, { name: 'B', pnlUsd: -2 }] });
  });
  it('are empty for a period the portfolio has no date in', () => {
    expect(moversOf(null)).toEqual({ top: [], bottom: [] });
  });
});

describe('signed morning figures', () => {
  it('round to whole dollars and one decimal of a percent, and never print -0', () => {
    expect(formatSignedUsd(12345.4)).toBe('+$12,345');
    expect(formatSignedUsd(-980.5)).toBe('-$981');
    expect(formatSignedUsd(-0.4)).toBe('$0');
    expect(formatSignedPercent(0.0112)).toBe('+1.1 %');
    expect(formatSignedPercent(-0.0031)).toBe('-0.3 %');
    expect(formatSignedPercent(-0.00001)).toBe('0.0 %');
  });
  it('print no -0 in the plain percentages and fixed figures of the checks either', () => {
    expect(formatPercent(-0.001)).toBe('0.00%');
    expect(formatPercent(-0.006)).toBe('-0.01%');
    expect(formatFractionAsPercent(-0.00001)).toBe('0.00%');
    expect(formatFixed(-0.00004, 4)).toBe('0.0000');
    expect(formatFixed(-0.00005, 4)).toBe('-0.0001');
  });
});
