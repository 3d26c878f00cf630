/**
 * Issue 16 items 1 and 4 as a reader checks them on the report: the rolling volatility and Sharpe
 * and the returns histogram with VaR and expected shortfall on the account and portfolio
 * tearsheets (SPEC 18), the probabilistic Sharpe beside each Sharpe, the benchmark on the
 * portfolio's equity chart and its figures on the tearsheets (SPEC 17), the bootstrap's fan chart
 * and its four chances on the index page and in the terminal (SPEC 20), each figure the one
 * summary.json or montecarlo.json holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { chartNotes } from '#shared/report/charts/chartNotes.ts';
import { histogramCounts } from '#shared/report/charts/riskFigures.ts';
import { formatFractionAsPercent, formatProbabilisticSharpe } from '#shared/report/formatting.ts';
import { formatChance } from '#shared/report/forwardRiskText.ts';
import { reportPaths } from '#shared/report/reportNames.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';
import { run, type Json, type Run } from '#test/support/writeCase.ts';

const sampleCsv = (name: string): string => readFileSync(join(SAMPLE_DATA, `${name}.csv`), 'utf8');

/** A benchmark file on the sample's dates, returns from a fixed sequence (no randomness in a test). */
function benchmarkCsv(): string {
  const dates = sampleCsv('SPX_Condors')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]);
  return `Date,Return\n${dates.map((date, d) => `${date},${((((d * 37) % 23) - 11) / 2000).toFixed(4)}`).join('\n')}\n`;
}

describe('the report of the sample with a benchmark, limits and the bootstrap', () => {
  let result: Run;
  let summary: Json & { metrics: { portfolio: Record<string, number | null>; accounts: Record<string, Record<string, number | null>> }; benchmark: Json & { portfolio: Record<string, number | null> } };
  let montecarlo: MonteCarloJson;
  const read = (path: string): string => readFileSync(join(result.case.out, path), 'utf8');

  beforeAll(async () => {
    const config = JSON.parse(readFileSync(join(SAMPLE_DATA, 'portfolio.json'), 'utf8')) as Json;
    config['limits'] = { dailyStopLossUsd: 5000, drawdownBreachUsd: 20000 };
    config['benchmark'] = { name: 'Fixed index', file: 'INDEX.csv' };
    config['monteCarlo'] = { paths: 40, horizonDays: 60, blockDays: 10, seed: 3 };
    result = await run({ 'SPX_Condors.csv': sampleCsv('SPX_Condors'), 'Forex_Trend.csv': sampleCsv('Forex_Trend'), 'Gold_Breakout.csv': sampleCsv('Gold_Breakout'), 'INDEX.csv': benchmarkCsv() }, config);
    expect(result.exitCode, result.stderr.join('\n')).toBe(0);
    summary = JSON.parse(read('summary.json')) as typeof summary;
    montecarlo = JSON.parse(read('montecarlo.json')) as MonteCarloJson;
  }, 120_000);

  it('draws rolling figures and a returns histogram for each account and the portfolio, on their tearsheets, with their figures in the alt text', async () => {
    for (const [level, name] of [['portfolio', 'Portfolio'], ['account', 'IBKR Main'], ['account', 'Futures Account']] as const) {
      for (const path of [reportPaths.rollingChart(level, name), reportPaths.returnsHistogramChart(level, name)]) {
        const png = readFileSync(join(result.case.out, path));
        const image = await loadImage(png);
        expect(image.width, path).toBe(960);
        const notes = chartNotes(png).notes;
        expect(notes, path).not.toBeNull();
        expect(read(reportPaths.tearsheet(level, name)), path).toContain(`<img alt="${(notes?.alt ?? '').replaceAll('&', '&amp;')}"`);
      }
      const metrics = level === 'portfolio' ? summary.metrics.portfolio : summary.metrics.accounts[name];
      const histogram = chartNotes(readFileSync(join(result.case.out, reportPaths.returnsHistogramChart(level, name)))).notes?.alt ?? '';
      expect(histogram).toContain(`value at risk 95 % ${((metrics?.['var95'] ?? 0) * 100).toFixed(2)} %`);
      expect(histogram).toContain(`expected shortfall 95 % ${((metrics?.['cvar95'] ?? 0) * 100).toFixed(2)} %`);
    }
    // The rolling chart's last figures are the last row of 6_rolling_metrics.csv.
    const rows = read('6_rolling_metrics.csv').trim().split('\n');
    const header = (rows[0] ?? '').split(',');
    const last = (rows[rows.length - 1] ?? '').split(',');
    const cell = (column: string): number => Number(last[header.indexOf(column)]);
    const rolling = chartNotes(readFileSync(join(result.case.out, reportPaths.rollingChart('portfolio', 'Portfolio')))).notes?.alt ?? '';
    expect(rolling).toContain(`over 63 dates volatility ${(cell('Portfolio_Rolling_Volatility_63') * 100).toFixed(1)} %, Sharpe ${cell('Portfolio_Rolling_Sharpe_63').toFixed(2)}`);
    expect(rolling).toContain(`over 252 dates volatility ${(cell('Portfolio_Rolling_Volatility_252') * 100).toFixed(1)} %`);
    // A strategy's tearsheet has neither (6_rolling_metrics.csv has no strategy column).
    expect(read(reportPaths.tearsheet('strategy', 'SPX_Condors'))).not.toContain('rolling volatility');
  });

  it('shows the probabilistic Sharpe beside the Sharpe on the tearsheet and the index', () => {
    const psr = formatProbabilisticSharpe(summary.metrics.portfolio['probabilisticSharpe'] ?? null);
    expect(psr).toMatch(/^PSR \d+%$/);
    expect(read(reportPaths.tearsheet('portfolio', 'Portfolio'))).toContain(`<tr><td>Sharpe</td><td>${(summary.metrics.portfolio['sharpe'] ?? 0).toFixed(2)} · ${psr}</td>`);
    expect(read('index.html')).toMatch(new RegExp(`data-figure="sharpe"><div class="label">Sharpe</div><div class="value ">${(summary.metrics.portfolio['sharpe'] ?? 0).toFixed(2)}</div><div class="label">${psr} ·`));
  });

  it('puts the benchmark on the portfolio equity chart and its SPEC 17 figures on the tearsheets', () => {
    const notes = chartNotes(readFileSync(join(result.case.out, reportPaths.equityChart('portfolio', 'Portfolio')))).notes;
    const hover = notes?.hover;
    expect(notes?.alt).toMatch(/The benchmark Fixed index, grown from the same \$1,000,000\.00, ends at \$[\d,]+\.\d\d\./);
    expect(hover?.panels[0]?.series.map((series) => series.name)).toEqual(['Equity', 'Fixed index']);
    // Grown from the portfolio's starting capital: both lines start at $1,000,000 times their first day's growth.
    expect(hover?.panels[0]?.series[1]?.values[0]).toBeCloseTo(1_000_000 * (1 + -11 / 2000), 0);
    const page = read(reportPaths.tearsheet('portfolio', 'Portfolio'));
    expect(page).toContain('<h2>Against the benchmark: Fixed index</h2>');
    expect(page).toContain(`<tr><td>Beta</td><td>${(summary.benchmark.portfolio['beta'] ?? 0).toFixed(2)}</td>`);
    expect(page).toContain(`<tr><td>Tracking error</td><td>${formatFractionAsPercent(summary.benchmark.portfolio['trackingError'] ?? null)}</td>`);
    expect(page).toContain('id="benchmark-metrics"');
    const account = read(reportPaths.tearsheet('account', 'IBKR Main'));
    expect(account).toContain('<h2>Against the benchmark: Fixed index</h2>');
    expect(account).not.toContain('id="benchmark-metrics"');
  });

  it('shows the fan chart and the four chances of montecarlo.json on the index page and in the terminal', async () => {
    const index = read('index.html');
    const { probabilities } = montecarlo;
    expect(index).toContain('<h2 id="forward-risk">Forward risk</h2>');
    expect(index).toContain(`<div class="card" data-figure="loss"><div class="label">A loss</div><div class="value ">${formatChance(probabilities.loss)}</div>`);
    expect(index).toContain(`<div class="card" data-figure="drawdownBreach"><div class="label">A drawdown breach</div><div class="value ">${formatChance(probabilities.drawdownBreach)}</div>`);
    expect(index).toContain(`<div class="card" data-figure="stopLossDay"><div class="label">A stop-loss day</div><div class="value ">${formatChance(probabilities.stopLossDay)}</div>`);
    expect(index).toContain(`<div class="card" data-figure="marginAlert"><div class="label">A margin alert</div><div class="value ">${formatChance(probabilities.marginAlert)}</div>`);
    const fan = readFileSync(join(result.case.out, reportPaths.monteCarloFanChart));
    expect((await loadImage(fan)).width).toBe(960);
    const notes = chartNotes(fan).notes;
    // The fan's hover ends at the fan CSV's last row, quantile by quantile (to the cent).
    const lastRow = (read('7_monte_carlo_fan.csv').trim().split('\n').pop() ?? '').split(',').slice(2).map(Number);
    const series = notes?.hover?.panels[0]?.series ?? [];
    expect(series.map((item) => item.name)).toEqual(['95 %', '75 %', 'Median', '25 %', '5 %']);
    expect(series.map((item) => item.values[item.values.length - 1])).toEqual([...lastRow].reverse().map((value) => Math.round(value * 100) / 100));
    expect(index).toContain('<img alt="Portfolio equity over the next 60 weekdays (40 paths resampled in blocks of 10 days');
    const terminal = result.stdout.join('\n').replace(/\n/g, ' ');
    expect(terminal).toContain(`chance of a loss ${formatChance(probabilities.loss)}, of a drawdown breach ${formatChance(probabilities.drawdownBreach)}, of a stop-loss day ${formatChance(probabilities.stopLossDay)}, of a margin alert ${formatChance(probabilities.marginAlert)}`);
  });
});

describe('the histogram of daily returns', () => {
  it('counts every day once, the lowest in the first bin and the highest in the last', () => {
    const returns = Float64Array.from([-0.03, -0.005, 0.001, 0.002, 0.015, 0.025, 0.03]);
    const { low, width, counts } = histogramCounts(returns, 0, returns.length - 1, 6);
    expect(low).toBe(-0.03);
    expect(width).toBeCloseTo(0.01, 15);
    expect(Array.from(counts)).toEqual([1, 0, 1, 2, 1, 2]);
  });
});
