/**
 * The charts as a reader uses them (issue 13, items 4-6): hover data small enough for a page yet
 * true to every pixel, alt text with the figures of summary.json, many strategies readable
 * (the best and worst few named, the rest grey, a log scale past tenfold growth), and the PNG
 * still a PNG with its notes inside.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AsOf } from '#shared/calc/partCResults.ts';
import type { Metrics } from '#shared/calc/metrics.ts';
import { dayNumber, isoDate } from '#shared/dates.ts';
import { drawFigure, png } from '#shared/report/charts/canvas.ts';
import { chartNotes, withChartNotes } from '#shared/report/charts/chartNotes.ts';
import { NAMED_EACH_SIDE, normalizedFigure, type NormalizedSeries } from '#shared/report/charts/figures.ts';
import type { ChartHover } from '#shared/report/charts/hoverData.ts';
import { pixelColumnPoints } from '#shared/report/charts/pixelColumns.ts';
import { formatSignedPercent, formatSignedUsd, formatUsd } from '#shared/report/formatting.ts';
import { chartHoverJson } from '#shared/report/html/chartHover.ts';
import { fileSlug } from '#shared/report/reportNames.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { FIXTURES, SAMPLE_DATA } from '#test/support/paths.ts';
import { differingPixelShare } from '#test/support/pixelDifference.ts';

/** Deterministic noise: a random walk a reader would call jagged. */
function walk(count: number, seed: number, drift = 0): Float64Array {
  const values = new Float64Array(count);
  let state = seed;
  let value = 100;
  for (let index = 0; index < count; index += 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    value *= 1 + drift + (state / 2147483648 - 0.5) * 0.02;
    values[index] = value;
  }
  return values;
}

describe('a series reduced to its pixel columns', () => {
  it('keeps at most 4 points per column of a million-point series, with its true lowest, highest, first and last point', () => {
    const count = 1_000_000;
    const days = Int32Array.from({ length: count }, (_, index) => index);
    const values = walk(count, 7);
    values[123_457] = -5; // a crash and a spike a pixel column would hide if it averaged
    values[876_543] = 1e6;
    const columns = 840;
    const kept = pixelColumnPoints(days, values, 0, count - 1, 0, count - 1, columns);
    expect(kept.length).toBeLessThanOrEqual(4 * columns);
    expect(kept.length).toBeGreaterThanOrEqual(2 * columns);
    const keptValues = Array.from(kept, (index) => values[index] ?? 0);
    expect(Math.min(...keptValues)).toBe(-5);
    expect(Math.max(...keptValues)).toBe(1e6);
    expect([kept[0], kept[kept.length - 1]]).toEqual([0, count - 1]);
    // In order, each once, and every column's own lowest and highest among them.
    for (let k = 1; k < kept.length; k += 1) expect((kept[k] ?? 0) > (kept[k - 1] ?? 0)).toBe(true);
    const perColumn = new Map<number, number[]>();
    for (const index of kept) perColumn.set(Math.min(columns - 1, Math.floor((index * columns) / (count - 1))), [...(perColumn.get(Math.min(columns - 1, Math.floor((index * columns) / (count - 1)))) ?? []), index]);
    expect(Math.max(...[...perColumn.values()].map((indexes) => indexes.length))).toBeLessThanOrEqual(4);
    const column = 400;
    const inColumn = Array.from({ length: count }, (_, index) => index).filter((index) => Math.min(columns - 1, Math.floor((index * columns) / (count - 1))) === column);
    const columnValues = inColumn.map((index) => values[index] ?? 0);
    const keptInColumn = (perColumn.get(column) ?? []).map((index) => values[index] ?? 0);
    expect(Math.min(...keptInColumn)).toBe(Math.min(...columnValues));
    expect(Math.max(...keptInColumn)).toBe(Math.max(...columnValues));
  });

  it('keeps every point when there are fewer than the columns', () => {
    const days = Int32Array.from([10, 11, 12, 15, 20]);
    expect(Array.from(pixelColumnPoints(days, Float64Array.from([1, 2, 3, 4, 5]), 0, 4, 10, 20, 900))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the strategies chart at 200 strategies', () => {
  const first = dayNumber(2016, 1, 4);
  const calendar = Int32Array.from({ length: 2_600 }, (_, index) => first + index);
  // Strategy i drifts by i: the last ones grow more than tenfold.
  const series: NormalizedSeries[] = Array.from({ length: 200 }, (_, i) => {
    const values = walk(calendar.length, i + 1, (i - 100) * 0.00001);
    const start = values[0] ?? 1;
    return { name: `Strategy_${String(i).padStart(3, '0')}`, values: values.map((value) => value / start), first: 0, last: calendar.length - 1 };
  });
  let drawn: Uint8Array;
  let notes: ReturnType<typeof chartNotes>;
  beforeAll(() => {
    drawn = normalizedFigure({ calendar, first: 0, last: calendar.length - 1 }, series, 'strategies');
    notes = chartNotes(drawn);
  });

  it('looks as when Chart.js drew the 190 grey lines as datasets (under 1 % of pixels differ; 0 % measured)', () => {
    // The picture Chart.js drew with every grey line a dataset of its own, before the crowd was
    // drawn on the canvas directly (issue 14 item 1).
    const chartJs = readFileSync(join(FIXTURES, 'strategies-200-growth-chartjs.png'));
    expect(differingPixelShare(drawn, chartJs)).toBeLessThan(0.01);
  });

  it('names the 5 highest and 5 lowest by their last value and leaves the rest grey, out of the legend and the hover', () => {
    const ends = series.map((item) => ({ name: item.name, end: item.values[item.last] ?? 0 })).sort((a, b) => b.end - a.end);
    const named = [...ends.slice(0, NAMED_EACH_SIDE), ...ends.slice(-NAMED_EACH_SIDE)].map((item) => item.name);
    const hover = notes.notes?.hover as ChartHover;
    expect(hover.panels[0]?.series.map((item) => item.name)).toEqual(named);
    const alt = notes.notes?.alt ?? '';
    expect(alt).toContain('200 strategies, growth of 1 on a log scale');
    expect(alt).toContain(`highest: ${ends[0]?.name} ${ends[0]?.end.toFixed(2)} on ${isoDate(calendar[calendar.length - 1] ?? 0)}`);
    expect(alt).toContain(`lowest: ${ends[195]?.name}`);
    expect(alt).toContain('the other 190 in grey');
  });

  it('draws on a log scale when the values span more than tenfold', () => {
    const hover = notes.notes?.hover as ChartHover;
    expect(hover.panels[0]?.y.log).toBe(true);
    const few = chartNotes(normalizedFigure({ calendar, first: 0, last: calendar.length - 1 }, series.slice(95, 100), 'strategies'));
    expect(few.notes?.hover?.panels[0]?.y.log).toBe(false);
    expect(few.notes?.hover?.panels[0]?.series).toHaveLength(5);
  });

  it('keeps the hover data at most 4 points per pixel column of the plot, dates and values', () => {
    const hover = notes.notes?.hover as ChartHover;
    const panel = hover.panels[0];
    if (panel === undefined) throw new Error('no panel');
    const width = panel.area.right - panel.area.left;
    expect(width).toBeGreaterThan(700);
    expect(panel.area.bottom).toBeLessThanOrEqual(hover.height);
    for (const item of panel.series) {
      expect(item.days.length).toBe(item.values.length);
      expect(item.days.length).toBeLessThanOrEqual(4 * Math.ceil(width));
      expect(item.days.reduce((sum, step) => sum + step, 0)).toBe(calendar[calendar.length - 1]);
    }
    // Compact: about a date step and a value a point, a few characters each.
    const points = panel.series.reduce((sum, item) => sum + item.days.length, 0);
    expect(chartHoverJson(hover).length).toBeLessThan(12 * points + 2_000);
  });
});

describe('notes inside a PNG', () => {
  it('come back as written, and the PNG without them is the PNG as drawn, both decoding', async () => {
    const drawn = Buffer.from(png(drawFigure(40, 30, (context) => context.fillRect(5, 5, 10, 10))));
    const hover: ChartHover = { width: 1, height: 1, panels: [] };
    const alt = 'Strategy </script> 策略 📈: equity from $1.00';
    const noted = withChartNotes(drawn, { alt, hover });
    expect(noted.length).toBeGreaterThan(drawn.length);
    const { image, notes } = chartNotes(noted);
    expect(notes).toEqual({ alt, hover });
    expect(Buffer.from(image).equals(drawn)).toBe(true);
    expect((await loadImage(Buffer.from(noted))).width).toBe((await loadImage(drawn)).width);
    // However the notes are compressed, the picture decodes to the same pixels.
    expect(differingPixelShare(noted, drawn)).toBe(0);
    expect(chartNotes(drawn)).toEqual({ image: drawn, notes: null });
  });

  it('as page JSON cannot end its script element or start markup', () => {
    const hover: ChartHover = { width: 1, height: 1, panels: [{ area: { left: 0, top: 0, right: 1, bottom: 1 }, x: { min: 0, max: 1 }, y: { min: 0, max: 1, log: false }, stacked: false, unit: 'usd', series: [{ name: '</script><img src=x onerror=alert(1)>&\u2028', color: '#000', days: [0], values: [1] }] }] };
    const text = chartHoverJson(hover);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(hover);
  });
});

describe('alt text of the sample report', () => {
  let out = '';
  let summary: { asOf: AsOf; metrics: { strategies: Record<string, Metrics>; portfolio: Metrics } };
  const notesOf = (file: string) => chartNotes(readFileSync(join(out, 'charts', file))).notes;
  beforeAll(async () => {
    out = scratchFolder('chart-notes');
    expect((await runCli(['run', '--data', SAMPLE_DATA, '--out', out])).exitCode).toBe(0);
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  });

  it("carries the portfolio's figures of summary.json: start, end, P&L, return, max drawdown with its dates", () => {
    const { portfolio } = summary.asOf;
    const inception = portfolio.periods.inception;
    const period = portfolio.maxDrawdownPeriod;
    if (inception === null || period === null) throw new Error('the sample has a history and a drawdown');
    const alt = notesOf('portfolio.png')?.alt ?? '';
    const final = Number(readFileSync(join(out, '3_total_portfolio_performance.csv'), 'utf8').trim().split('\n').at(-1)?.split(',')[1]);
    expect(alt).toContain(`Portfolio equity from $1,000,000.00 on 2016-01-04 to ${formatUsd(final)} on ${summary.asOf.date}`);
    expect(alt).toContain('$1,113,111.03'); // the index's headline figure
    expect(alt).toContain(`P&L ${formatSignedUsd(inception.pnlUsd)}, time-weighted return ${formatSignedPercent(inception.return)}`);
    expect(alt).toContain(`max drawdown ${formatSignedPercent(summary.metrics.portfolio.maxDrawdown)} from ${period.start}, deepest ${period.trough}`);
    expect(alt).toContain(`now ${formatSignedPercent(portfolio.currentDrawdown)} since ${portfolio.drawdownStart}`);
    expect(notesOf('portfolio-drawdown.png')?.alt).toContain(`max drawdown ${formatSignedPercent(summary.metrics.portfolio.maxDrawdown)} from ${period.start}`);
  });

  it("ends each strategy's growth of 1 at 1 + its time-weighted inception return", () => {
    const alt = notesOf('strategies-normalized.png')?.alt ?? '';
    for (const [name, figures] of Object.entries(summary.asOf.strategies)) {
      expect(alt).toContain(`${name} ${(1 + (figures.periods.inception?.return ?? 0)).toFixed(2)} on ${figures.periods.inception?.last}`);
    }
    expect(notesOf(`strategy-${fileSlug('Forex_Trend')}.png`)?.alt).toContain(`max drawdown ${formatSignedPercent(summary.metrics.strategies['Forex_Trend']?.maxDrawdown ?? 0)}`);
  });

  it('names the best and worst month of the heatmap with their figures, none of them "-0.0"', () => {
    const monthly = summary.metrics.portfolio.monthlyReturns;
    const [bestMonth, best] = Object.entries(monthly).sort(([, a], [, b]) => b - a)[0] ?? ['', 0];
    const alt = notesOf('portfolio-monthly-returns.png')?.alt ?? '';
    expect(alt).toContain(`best month ${bestMonth} ${formatSignedPercent(best)}`);
    expect(alt).not.toContain('-0.0');
    expect(formatSignedPercent(-0.00004, 1, '')).toBe('0.0');
  });

  it('puts hover data with the plot areas in every line chart, none in the heatmap', () => {
    const equity = notesOf('portfolio.png')?.hover as ChartHover;
    expect([equity.width, equity.height]).toEqual([960, 610]);
    const [top, bottom] = equity.panels;
    expect(top?.area.bottom).toBeLessThan(380);
    expect(bottom?.area.top).toBeGreaterThan(380);
    expect(top?.series[0]?.values.at(-1)).toBe(Math.round(Number(readFileSync(join(out, '3_total_portfolio_performance.csv'), 'utf8').trim().split('\n').at(-1)?.split(',')[1]) * 100) / 100);
    expect(notesOf('portfolio-monthly-returns.png')?.hover).toBeNull();
  });
});
