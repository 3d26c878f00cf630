/**
 * Figures that stop being numbers (issue 10): inputs inside SPEC 1.2's ranges that overflow a
 * double end the run as bad input naming the strategy or account, the date and the column where
 * the first such figure appears; no check passes on NaN; no JSON file writes one as null.
 */
import { describe, expect, it } from 'vitest';
import { reconcile } from '#shared/calc/reconcile.ts';
import { csvChunks } from '#shared/report/csvText.ts';
import { writeJson } from '#shared/pipeline/artifacts.ts';
import { InputErrors } from '#shared/problems.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { scratchFolder } from '#test/support/runCli.ts';
import { csv, expectRejected, expectWritten, GOOD_CSV, HEADER, portfolio, run, strategy } from '#test/support/writeCase.ts';
import { tinyHand } from '#test/support/tinyHand.ts';

describe('a figure that is not finite ends the run as bad input, naming where it first appears', () => {
  it('marginPerUnit 1e-320 makes Infinity units: strategy Alpha, its first date, column Alpha_Implied_Units', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio([strategy('Alpha', { marginPerUnit: 1e-320 })]));
    expectRejected(result, { file: 'Alpha.csv', line: null, column: 'Alpha_Implied_Units', mentions: ['2024-01-02', 'Infinity', 'strategy Alpha', 'strategies[0] (Alpha)'] });
    expect(result.stderr).toHaveLength(2);
  });

  it('the red team\'s config (startingCapital 1.7e308 and marginPerUnit 1e-320) is the same error, never a clean reconciliation', async () => {
    const config = portfolio([strategy('Alpha', { marginPerUnit: 1e-320 }), 'Beta'], { accounts: [{ name: 'Main', startingCapital: 1.7e308 }] });
    const result = await run({ 'Alpha.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV }, config);
    expectRejected(result, { file: 'Alpha.csv', column: 'Alpha_Implied_Units', mentions: ['2024-01-02'] });
    expect(result.stdout.join('\n')).not.toMatch(/pass/);
  });

  it('two notionals of 1e308 in one account overflow its exposure: account Main, the date, column Main_Notional_Exposure', async () => {
    const huge = csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,0.01,1000,1e308');
    const result = await run({ 'Alpha.csv': huge, 'Beta.csv': huge }, portfolio(['Alpha', 'Beta']));
    expectRejected(result, { file: 'portfolio.json', column: 'Main_Notional_Exposure', mentions: ['2024-01-03', 'account Main', 'Infinity'] });
  });

  it('a startingCapital of 1.7e308 alone is finite everywhere: the report is written, charts included (Chart.js used to loop forever on its axis)', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha'], { accounts: [{ name: 'Main', startingCapital: 1.7e308 }] }));
    expectWritten(result);
  });
});

describe('no check passes on a figure that is not finite', () => {
  it('an account whose equity is NaN on one date fails its reconciliation, and the portfolio\'s that adds it', () => {
    const input = tinyHand();
    input.ledger.accounts[0]!.equity[2] = Number.NaN;
    const checks = reconcile(input);
    expect(checks.accountReconciliation.status).toBe('fail');
    expect(checks.accountReconciliation.accounts['Main']?.failingDays).toBe(1);
    expect(checks.portfolioReconciliation).toMatchObject({ status: 'fail', failingDays: 1 });
  });

  it('a NaN margin utilization is above every alert', () => {
    const input = tinyHand();
    input.portfolioUtilization[1] = Number.NaN;
    expect(reconcile(input).marginUtilization.portfolio).toMatchObject({ status: 'fail', days: 1, firstDate: '2024-01-03' });
  });

  it('a JSON file never writes NaN or Infinity as null: the write is refused naming the key', async () => {
    const storage = new FileSystemStorage(scratchFolder('json-nan'));
    const refused = writeJson(storage, 'report/summary.json', { metrics: { portfolio: { sharpe: 1.2, sortino: Number.POSITIVE_INFINITY } } });
    await expect(refused).rejects.toBeInstanceOf(InputErrors);
    await expect(refused).rejects.toThrow('summary.json: the figure metrics.portfolio.sortino is Infinity, not a finite number');
    expect(await storage.list('')).toEqual([]);
  });
});

describe('no data file is written with a figure that is not finite', () => {
  it('an infinite cell ends the writing with an error naming the file, the column and the date; an optional column\'s NaN is an empty cell', () => {
    const dates = ['2024-01-02', '2024-01-03'];
    const optional = { header: 'Rolling', values: Float64Array.of(Number.NaN, 0.5), optional: true };
    expect([...csvChunks(dates, [optional], '6_rolling_metrics.csv')].join('')).toBe('Date,Rolling\n2024-01-02,\n2024-01-03,0.5\n');
    const infinite = { header: 'Rolling', values: Float64Array.of(0.5, Number.POSITIVE_INFINITY), optional: true };
    expect(() => [...csvChunks(dates, [infinite], '6_rolling_metrics.csv')]).toThrow(
      '6_rolling_metrics.csv, column Rolling: on 2024-01-03 the figure is Infinity, not a finite number',
    );
    const missing = { header: 'Equity', values: Float64Array.of(1, Number.NaN) };
    expect(() => [...csvChunks(dates, [missing], '1_master_aligned_data.csv')]).toThrow('1_master_aligned_data.csv, column Equity: on 2024-01-03 the figure is NaN');
  });
});
