/**
 * The bundled sample and the plan's own acceptance checks on it: strategies add up to their
 * accounts, accounts to the portfolio, a 75 % scale gives 0.75 of the implied units, scaled
 * margin is units times margin per unit, and identical inputs give byte-identical files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '#shared/sample/generateSample.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;

function readCsv(path: string): { header: string[]; rows: number[][]; dates: string[] } {
  const [headerLine, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = (headerLine ?? '').split(',');
  const cells = lines.map((line) => line.split(','));
  return { header, dates: cells.map((row) => row[0] ?? ''), rows: cells.map((row) => row.map(Number)) };
}

function column(csv: ReturnType<typeof readCsv>, name: string): number[] {
  const index = csv.header.indexOf(name);
  if (index === -1) throw new Error(`no column ${name}`);
  return csv.rows.map((row) => row[index] ?? Number.NaN);
}

describe('the bundled sample data', () => {
  it('is exactly what `portfolio-combiner sample` writes with the default seed', () => {
    const { files } = generateSample();
    expect(readdirSync(SAMPLE).sort()).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(readFileSync(join(SAMPLE, name), 'utf8'), name).toBe(text);
  });
});

describe('a run on the bundled sample', () => {
  let out = '';
  beforeAll(async () => {
    out = scratchFolder('sample');
    const result = await runCli(['run', '--data', SAMPLE, '--out', out]);
    expect(result.exitCode, result.stderr.join('\n')).toBe(0);
  });

  it('has strategy equity summing to account equity (with idle cash) and accounts to the portfolio, every day', () => {
    const master = readCsv(join(out, '1_master_aligned_data.csv'));
    const accounts = readCsv(join(out, '2_account_performance.csv'));
    const portfolio = readCsv(join(out, '3_total_portfolio_performance.csv'));
    const spx = column(master, 'SPX_Condors_Equity_Value');
    const gold = column(master, 'Gold_Breakout_Equity_Value');
    const forex = column(master, 'Forex_Trend_Equity_Value');
    const ibkr = column(accounts, 'IBKR Main_Equity_Value');
    const futures = column(accounts, 'Futures Account_Equity_Value');
    const total = column(portfolio, 'Portfolio_Equity_Value');
    expect(master.dates.length).toBeGreaterThan(2500);
    master.dates.forEach((_, day) => {
      expect(Math.abs((spx[day] ?? 0) + (gold[day] ?? 0) + 250_000 - (ibkr[day] ?? 0))).toBeLessThan(1e-6);
      expect(Math.abs((forex[day] ?? 0) + 100_000 - (futures[day] ?? 0))).toBeLessThan(1e-6);
      expect(Math.abs((ibkr[day] ?? 0) + (futures[day] ?? 0) - (total[day] ?? 0))).toBeLessThan(1e-6);
    });
  });

  it('trades Forex_Trend at 75 % of the implied units within half an increment, with margin = units x 2,000', () => {
    const master = readCsv(join(out, '1_master_aligned_data.csv'));
    const implied = column(master, 'Forex_Trend_Implied_Units');
    const units = column(master, 'Forex_Trend_Scaled_Units');
    const margin = column(master, 'Forex_Trend_Scaled_Margin');
    let traded = 0;
    implied.forEach((value, day) => {
      if (value === 0) return;
      traded += 1;
      expect(Math.abs((units[day] ?? 0) - value * 0.75)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(margin[day]).toBeCloseTo((units[day] ?? 0) * 2000, 6);
    });
    expect(traded).toBeGreaterThan(1000);
  });

  it('passes every check of summary.json', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { checks: Record<string, { status: string }> };
    expect(Object.fromEntries(Object.entries(summary.checks).map(([name, check]) => [name, check.status]))).toEqual({
      accountReconciliation: 'pass',
      portfolioReconciliation: 'pass',
      roundingDrift: 'pass',
      invariants: 'pass',
      marginUtilization: 'pass',
      attributionReconciliation: 'pass',
      freshness: 'pass',
    });
  });

  it('writes byte-identical files when run again on the same inputs', async () => {
    const again = scratchFolder('sample-again');
    expect((await runCli(['run', '--data', SAMPLE, '--out', again])).exitCode).toBe(0);
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(10);
    for (const entry of files) {
      const file = join(entry.parentPath, entry.name).slice(out.length + 1);
      expect(readFileSync(join(again, file)).equals(readFileSync(join(out, file))), file).toBe(true);
    }
  });
});
