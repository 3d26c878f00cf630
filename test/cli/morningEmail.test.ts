/**
 * The run's one email, phone first, and the terminal's summary (issue 13, items 7 and 8): the
 * subject says the date, the day's P&L and the alerts by kind; the first lines carry the day and
 * the breaches; nothing is a padded column; names stay whole; under 80 lines at 200 strategies in
 * 10 accounts; every figure is summary.json's (SPEC 15's P&L and time-weighted return, never
 * final / start - 1), the rebalances agree with costConservation's count, and no -0.0 % is printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignAndScale } from '#shared/pipeline/alignAndScale.ts';
import { compoundAndReconcile } from '#shared/pipeline/compoundAndReconcile.ts';
import { loadAndValidate } from '#shared/pipeline/loadAndValidate.ts';
import { finishedRunSummary } from '#shared/pipeline/runNotifications.ts';
import { runMonteCarlo } from '#shared/pipeline/monteCarlo.ts';
import { runScenarios } from '#shared/pipeline/runScenarios.ts';
import { describeChecks } from '#shared/report/checkDescriptions.ts';
import { formatSignedPercent, formatSignedUsd } from '#shared/report/formatting.ts';
import { formatChance } from '#shared/report/forwardRiskText.ts';
import { morningFacts } from '#shared/report/morningFacts.ts';
import { morningSubject, successNotification, type Notification } from '#shared/report/notifications.ts';
import { runSummaryLines, type RunSummaryInput } from '#shared/report/runSummaryText.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;
const link = {
  page: 'index.html',
  url: `https://bucket.s3.amazonaws.com/runs/r1/report/index.html?X-Amz-Signature=${'f'.repeat(64)}`,
  validUntil: new Date('2026-01-01T14:00:00Z'),
  why: 'presigned links last at most 7 days; after that, use the S3 location above.',
};
const published = { published: true, latest: { runId: 'r1', report: 'runs/r1/report/', uploadCompletedAt: '2026-01-01T06:01:00.000Z', publishedAt: '2026-01-01T06:02:00.000Z' }, bucket: 'bucket' };

/** The stages up to the scenarios (no pages: the email reads none), then what the email and the terminal read. */
async function runSummary(files: Record<string, string | Buffer>): Promise<RunSummaryInput> {
  const storage = new FileSystemStorage(scratchFolder('morning-email'));
  for (const [name, bytes] of Object.entries(files)) await storage.put(`data/${name}`, bytes);
  await loadAndValidate(storage, { dataPrefix: 'data', workPrefix: 'work' });
  const align = await alignAndScale(storage, { workPrefix: 'work' });
  await compoundAndReconcile(storage, { workPrefix: 'work' });
  await runScenarios(storage, { workPrefix: 'work' });
  await runMonteCarlo(storage, { workPrefix: 'work' });
  return finishedRunSummary(storage, { workPrefix: 'work', align });
}

function email(summary: RunSummaryInput): Notification {
  return successNotification('r1', summary, { report: 's3://bucket/runs/r1/report/', link }, published);
}

/** The sample's CSVs with its config changed. */
function sampleFiles(change: (config: Record<string, unknown>) => void): Record<string, Buffer> {
  const config = JSON.parse(readFileSync(join(SAMPLE, 'portfolio.json'), 'utf8')) as Record<string, unknown>;
  change(config);
  return {
    'SPX_Condors.csv': readFileSync(join(SAMPLE, 'SPX_Condors.csv')),
    'Forex_Trend.csv': readFileSync(join(SAMPLE, 'Forex_Trend.csv')),
    'Gold_Breakout.csv': readFileSync(join(SAMPLE, 'Gold_Breakout.csv')),
    'portfolio.json': Buffer.from(JSON.stringify(config)),
  };
}

/** A period's figures as the morning says them: dollars and time-weighted return (SPEC 15.2). */
function said(figures: { pnlUsd: number; return: number } | null | undefined): string {
  if (figures === null || figures === undefined) throw new Error('no figures for the period');
  return `${formatSignedUsd(figures.pnlUsd)} (${formatSignedPercent(figures.return)})`;
}

/** Whitespace as one space: what a phone shows once it has re-wrapped the lines. */
const flowed = (text: string): string => text.replace(/\s+/g, ' ');

/** No line is a padded column: no run of two spaces after the first word (an indent is fine). */
function expectNoColumns(text: string): void {
  for (const line of text.split('\n')) expect(line.trimStart(), line).not.toMatch(/\S {2,}\S/);
}

function expectNoNegativeZero(text: string): void {
  expect(text).not.toMatch(/-0(\.0+)? ?%/);
  expect(text).not.toMatch(/-\$0(?![.,\d])/);
}

describe('the email and the terminal of the sample under part B, its limits broken, with scenarios', () => {
  let summary: RunSummaryInput;
  beforeAll(async () => {
    summary = await runSummary(
      sampleFiles((config) => {
        config.allocation = { method: 'riskParity', lookbackDays: 63 };
        config.rebalance = { frequency: 'monthly', costBps: 10 };
        config.limits = { maxLeverage: 3, dailyStopLossUsd: 5000, drawdownBreachUsd: 20000, maxConcentrationPct: 40, maxConcurrentPositions: 2 };
        config.scenarios = [{ name: 'Equal', overrides: { allocation: { method: 'equal' } } }];
      }),
    );
  });

  it("says the date, the day's P&L and return and the 5 rule breaches in the subject, under 100 characters", () => {
    const note = email(summary);
    expect(note.subject).toBe(`Portfolio 2025-12-31: ${said(summary.results.asOf.portfolio.periods.day)} day, 5 rule breaches`);
    expect(note.subject).toBe('Portfolio 2025-12-31: -$668 (-0.1 %) day, 5 rule breaches');
    expect(note.subject.length).toBeLessThan(100);
  });

  it("carries the day's P&L and the number of breaches in its first 10 lines, the breaches in words and the movers before the link", () => {
    const { message } = email(summary);
    const lines = message.split('\n');
    const first = lines.slice(0, 10).join('\n');
    expect(first).toContain('Day: -$668 (-0.1 %)');
    expect(first).toContain('5 rule breaches:');
    expect(first).toContain('- Leverage above 3x on 2,608 days, worst 38.1x on 2016-01-15');
    const { asOf } = summary.results;
    expect(message).toContain(`Month to date: ${said(asOf.portfolio.periods.mtd)}`);
    expect(message).toContain(`Year to date: ${said(asOf.portfolio.periods.ytd)}`);
    expect(message).toContain(`Drawdown now: -18.6 % (-$200,961) since ${asOf.portfolio.drawdownStart ?? ''}, 1,077 days`);
    expect(flowed(message)).toContain(
      'Passing: accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization, costConservation, attributionReconciliation, freshness',
    );
    const report = lines.indexOf('Report: s3://bucket/runs/r1/report/');
    expect(lines.findIndex((line) => line.startsWith('Worst this month: '))).toBeLessThan(report);
    expect(lines.findIndex((line) => line.startsWith('- A strategy above 40.00% of the portfolio'))).toBeLessThan(report);
    expect(lines.indexOf(link.url)).toBeGreaterThan(report);
  });

  it("says each level's P&L and time-weighted return, never final / start - 1 as a return", () => {
    const { asOf } = summary.results;
    const condors = asOf.strategies['SPX_Condors']?.periods.inception;
    // The sleeve received capital on rebalances: final / start - 1 (+25.93 %) is not its return.
    expect(summary.finalEquity.strategies['SPX_Condors']).toBeCloseTo(251_864.11, 2);
    const terminal = runSummaryLines(summary).join('\n');
    const row = terminal.split('\n').find((line) => line.includes('strategy SPX_Condors'));
    expect(row?.trim().split(/\s{2,}/).slice(1)).toEqual([formatSignedUsd(condors?.pnlUsd ?? NaN), formatSignedPercent(condors?.return ?? NaN), '+$301,374', '$251,864.11']);
    for (const text of [terminal, email(summary).message]) {
      expect(text).not.toMatch(/25\.9/);
      expect(text).not.toMatch(/starting capital\)/);
    }
    expect(email(summary).message).toContain('Since inception: -$122,779 (-12.3 %), equity $877,221.18');
  });

  it("counts the rebalances so that they agree with costConservation's allocations", () => {
    const { partB, checks } = summary.results;
    const initial = (checks.costConservation?.rebalances ?? 0) - (partB?.rebalances.count ?? 0);
    expect(initial).toBe(2);
    for (const text of [flowed(runSummaryLines(summary).join('\n')), flowed(email(summary).message)]) {
      expect(text).toContain(`Rebalances: 238 after the 2 initial allocations (238 calendar, 0 band)`);
    }
    const conservation = describeChecks(checks).find((check) => check.name === 'costConservation');
    expect(conservation?.details[0]).toMatch(/^240 allocations checked \(each account's initial allocation and every rebalance after it\)/);
  });

  it('reads on a phone: no padded column, no -0.0 %, lines of at most 80 characters but the link', () => {
    const { message } = email(summary);
    expectNoColumns(message);
    expectNoNegativeZero(message);
    expectNoNegativeZero(runSummaryLines(summary).join('\n'));
    for (const line of message.split('\n')) if (line !== link.url) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(flowed(message)).toContain('Equal: return -4.5 %, CAGR -0.5 %, Sharpe -0.01, max drawdown -28.4 %, costs $2,224.69, 5 checks failed');
  });

  it('prints the same morning lines first in the terminal, and every failing check with its figures', () => {
    const terminal = runSummaryLines(summary);
    const message = email(summary).message.split('\n');
    const morning = message.slice(0, message.indexOf('Report: s3://bucket/runs/r1/report/') - 1);
    expect(terminal.slice(2, 2 + morning.length)).toEqual(morning);
    for (const check of ['maxLeverage', 'maxConcurrentPositions', 'dailyStopLoss', 'drawdownBreaches', 'maxConcentration']) expect(terminal).toContain(`  FAIL  ${check}`);
    expect(terminal.filter((line) => /^ {2}pass /.test(line))).toEqual([]);
  });
});

describe('the email of the bundled sample', () => {
  it('says all checks pass in the subject and in one line', async () => {
    const summary = await runSummary(sampleFiles(() => undefined));
    const note = email(summary);
    expect(note.subject).toBe('Portfolio 2025-12-31: -$5,198 (-0.5 %) day, all checks pass');
    expect(flowed(note.message)).toContain(
      'All 7 checks pass: accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization, attributionReconciliation, freshness',
    );
    expect(note.message.split('\n').slice(0, 10).join('\n')).toContain('Day: -$5,198 (-0.5 %)');
    expectNoColumns(note.message);
  });
});

describe('the subject', () => {
  const facts = (counts: Partial<ReturnType<typeof morningFacts>['counts']>, pnlUsd = 12_345.4, ret = 0.0112): Parameters<typeof morningSubject>[0] => ({
    date: '2025-12-31',
    periods: { day: { first: '2025-12-31', last: '2025-12-31', days: 1, pnlUsd, return: ret }, mtd: null, ytd: null, '1y': null },
    drawdown: { depth: 0, usd: 0, since: null, days: 0 },
    breaches: [],
    counts: { wipeouts: 0, rules: 0, stale: 0, restated: 0, internal: 0, ...counts },
    passing: [],
    movers: { day: { top: [], bottom: [] }, mtd: { top: [], bottom: [] } },
    newStrategies: [],
  });

  it('counts every kind, most urgent first, names none', () => {
    expect(morningSubject(facts({ rules: 3 }))).toBe('Portfolio 2025-12-31: +$12,345 (+1.1 %) day, 3 rule breaches');
    expect(morningSubject(facts({}))).toBe('Portfolio 2025-12-31: +$12,345 (+1.1 %) day, all checks pass');
    expect(morningSubject(facts({ stale: 2, restated: 1 }, -980.5, -0.0031))).toBe('Portfolio 2025-12-31: -$981 (-0.3 %) day, 2 stale, 1 restated');
    expect(morningSubject(facts({ wipeouts: 1, rules: 1, internal: 2 }))).toBe('Portfolio 2025-12-31: +$12,345 (+1.1 %) day, 1 wipe-out, 1 rule breach, 2 internal checks failed');
  });

  it('keeps the wipe-outs and rule breaches within 100 characters when every kind is there', () => {
    const subject = morningSubject(facts({ wipeouts: 12, rules: 6, stale: 40, restated: 30, internal: 6 }, -12_345_678.9, -0.123));
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^Portfolio 2025-12-31: -\$12,345,679 \(-12\.3 %\) day, 12 wipe-outs, 6 rule breaches, 40 stale.* and more$/);
  });
});

/**
 * 200 strategies in 10 accounts with long names (one of 95 characters), under every rule and
 * failing each, the margin alert low, stale and wiped-out strategies, unsized returns and a warning.
 */
function twoHundredStrategies(): Record<string, string> {
  const dates: string[] = [];
  for (let day = new Date('2025-12-31T00:00:00Z'); dates.length < 50; day = new Date(day.getTime() - 86_400_000)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) dates.unshift(day.toISOString().slice(0, 10));
  }
  const names = Array.from({ length: 200 }, (_, s) =>
    s === 7 ? 'Systematic_Global_Macro_Long_Short_Volatility_Carry_With_Dynamic_Hedging_And_A_Trend_Overlay_08' : `Global_Macro_Volatility_Carry_${String(s + 1).padStart(3, '0')}`,
  );
  const files: Record<string, string> = {};
  names.forEach((name, s) => {
    const last = s % 40 === 5 ? dates.length - 10 : dates.length; // 5 stale track records
    const rows = dates.slice(0, last).map((date, d) => {
      // 0.6 units implied, 1 traded (the minimum position): -70 % is -117 % of the sleeve, 4 wipe-outs.
      if (s % 50 === 3 && d === 20) return `${date},-0.7,3000,30000`;
      if (s % 50 === 4 && d === 10) return `${date},0.002,0,0`; // a return with no margin: 4 strategies with unsized returns
      const units = 1 + ((s + d) % 3);
      return `${date},${(((s * 7 + d * 13) % 17) - 8) / 1000},${units * 5000},${units * 50000}`;
    });
    files[`${name}.csv`] = `Date,Return,Margin_Used,Notional_Value\n${rows.join('\n')}\n`;
  });
  const accounts = Array.from({ length: 10 }, (_, a) => ({ name: `Account ${a + 1}`, startingCapital: 1_100_000 }));
  files['portfolio.json'] = JSON.stringify({
    accounts,
    strategies: names.map((name, s) => ({ name, account: `Account ${(s % 10) + 1}`, marginPerUnit: 5000, minPosition: 1, increment: 1, allocatedCapital: 50_000, maxPositionScale: 1 })),
    allocation: { method: 'equal' },
    rebalance: { frequency: 'monthly', costBps: 5 },
    limits: { maxLeverage: 1, dailyStopLossUsd: 1000, drawdownBreachUsd: 5000, maxConcentrationPct: 0.4, maxConcurrentPositions: 190 },
    thresholds: { marginUtilizationAlertPct: 1 },
    monteCarlo: { paths: 10, horizonDays: 20, blockDays: 5 },
    comment: 'an unknown key: a warning',
  });
  return files;
}

describe('the email at 200 strategies in 10 accounts, everything failing', () => {
  let summary: RunSummaryInput;
  let note: Notification;
  beforeAll(async () => {
    summary = await runSummary(twoHundredStrategies());
    note = email(summary);
  }, 120_000);

  it('stays under 80 lines, the per-strategy figures left to the pages it names', () => {
    const lines = note.message.split('\n');
    process.stdout.write(`email at 200 strategies in 10 accounts: ${lines.length} lines, subject "${note.subject}"\n`);
    if (process.env['SHOW_EMAIL'] !== undefined) process.stdout.write(`${note.message}\n`);
    expect(lines.length).toBeLessThan(80);
    expect(flowed(note.message)).toContain("Every strategy's and account's figures are on index.html and its tearsheets; summary.json has every figure.");
    expect(Object.keys(summary.results.wipeouts)).toHaveLength(4);
    expect(summary.validation.warnings.length).toBeGreaterThan(0);
    expect(Object.keys(summary.results.unsizedReturns)).toHaveLength(4);
    // SPEC 20's four chances, in the morning's lines before the link (issue 16 item 1).
    const { probabilities } = summary.forwardRisk ?? expect.unreachable('montecarlo.json was read');
    const head = flowed(note.message.slice(0, note.message.indexOf('Report:') === -1 ? undefined : note.message.indexOf('Report:')));
    expect(head).toContain(
      `Forward risk over the next 20 weekdays (10 paths resampled in blocks of 5 days from 2025-10-23 to 2025-12-31): chance of a loss ${formatChance(probabilities.loss)}, of a drawdown breach ${formatChance(probabilities.drawdownBreach)}, of a stop-loss day ${formatChance(probabilities.stopLossDay)}, of a margin alert ${formatChance(probabilities.marginAlert)}.`,
    );
  });

  it("counts the alerts by kind in the subject and carries the day's P&L and the breaches in the first 10 lines", () => {
    const { counts } = morningFacts(summary.results);
    expect(counts).toMatchObject({ wipeouts: 4, stale: 5 });
    expect(counts.rules).toBeGreaterThanOrEqual(5);
    expect(note.subject).toMatch(new RegExp(`^Portfolio 2025-12-31: [-+]?\\$[\\d,]+ \\([-+]?\\d+\\.\\d %\\) day, 4 wipe-outs, ${counts.rules} rule breaches, 5 stale`));
    expect(note.subject.length).toBeLessThanOrEqual(100);
    const first = note.message.split('\n').slice(0, 10).join('\n');
    expect(first).toContain(`Day: ${said(summary.results.asOf.portfolio.periods.day)}`);
    expect(first).toContain(`4 wipe-outs, ${counts.rules} rule breaches, 5 stale`);
    expect(flowed(first)).toMatch(/- 4 sleeves lost all their capital and trade no more: Global_Macro_Volatility_Carry_004 on \d{4}-\d\d-\d\d/);
  });

  it('never cuts a name, and has no padded column', () => {
    const long = 'Systematic_Global_Macro_Long_Short_Volatility_Carry_With_Dynamic_Hedging_And_A_Trend_Overlay_08';
    const terminal = runSummaryLines(summary).join('\n');
    expect(terminal).toContain(`strategy ${long} `);
    expect(terminal).not.toMatch(/~/);
    expect(note.message).not.toMatch(/\w~/);
    for (const name of note.message.match(/Global_Macro_Volatility_Carry_\d*/g) ?? []) expect(name).toMatch(/_\d{3}$/);
    expectNoColumns(note.message);
    expectNoNegativeZero(note.message);
    expectNoNegativeZero(terminal);
  });
});
