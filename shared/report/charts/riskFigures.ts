/**
 * How far to trust the track record, in pictures (SPEC 17, 18, 20; issue 16): rolling volatility
 * and Sharpe over 63 and 252 dates, the distribution of daily returns with its value at risk and
 * expected shortfall marked, and the bootstrap's fan of equity over the horizon. Drawn with the
 * helpers, palette and notes of `figures.ts`; every figure shown is one summary.json,
 * 6_rolling_metrics.csv, montecarlo.json or 7_monte_carlo_fan.csv holds.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { TailRisk } from '#shared/calc/valueAtRisk.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { isoDate } from '#shared/dates.ts';
import { fanAltText, histogramAltText, rollingAltText } from './altText.ts';
import { dateAxis, formatAxisPercent, formatCompactUsd } from './axes.ts';
import { drawChart, png } from './canvas.ts';
import { withChartNotes } from './chartNotes.ts';
import { bounds, FIGURE_WIDTH, framed, legend, points, referenceLine, title, valueRange, type FigureWindow } from './figures.ts';
import { chartHover, type HoverSource } from './hoverData.ts';
import { figureColors as colors, seriesStyle } from './palette.ts';

type Line = ChartDataset<'line', { x: number; y: number | null }[]>;

/** One rolling window's figures (SPEC 18.2), NaN where a cell of 6_rolling_metrics.csv is empty. */
export interface RollingSeries {
  window: number;
  volatility: Float64Array;
  sharpe: Float64Array;
}

/** The first calendar index at or after `from` with a figure, or -1. */
function firstFinite(values: Float64Array, from: number, last: number): number {
  for (let day = from; day <= last; day += 1) if (Number.isFinite(values[day] ?? Number.NaN)) return day;
  return -1;
}

/** A rolling series as a line from its first figure; NaN (a Sharpe of equal returns) left as a gap. */
function rollingLine(window: FigureWindow, values: Float64Array, scale: number, label: string, index: number): { line: Line; source: HoverSource | null } {
  const style = seriesStyle(index);
  const first = firstFinite(values, window.first, window.last);
  const line: Line = { label, data: [], borderColor: style.color, borderDash: style.dash, borderWidth: 2, pointRadius: 0, pointStyle: 'line', spanGaps: false };
  if (first < 0) return { line, source: null };
  line.data = points({ ...window, first }, values, (value) => (Number.isFinite(value) ? value * scale : Number.NaN)).map(({ x, y }) => ({ x, y: Number.isFinite(y) ? y : null }));
  return { line, source: { name: label, color: style.color, calendar: window.calendar, values, first, last: window.last, scale } };
}

/** Rolling volatility (top, percent) and Sharpe (below) of a level over each window, on one date axis. */
export function rollingFigure(name: string, window: FigureWindow, series: readonly RollingSeries[]): Uint8Array {
  const [firstDay, lastDay] = bounds(window);
  const yWidth = 64;
  const panel = (figure: 'volatility' | 'sharpe', heading: string | null, height: number) => {
    const lines = series.map((item, index) => rollingLine(window, item[figure], figure === 'volatility' ? 100 : 1, `${item.window} dates`, index));
    // A Sharpe reads against zero: the line where the return stops beating the risk-free rate.
    const zero: Line[] = figure === 'sharpe' ? [{ label: 'zero', data: [{ x: firstDay, y: 0 }, { x: lastDay, y: 0 }], borderColor: '#888888', borderWidth: 1, pointRadius: 0 }] : [];
    const drawn = drawChart(
      {
        type: 'line',
        data: { datasets: [...lines.map((item) => item.line), ...zero] },
        options: {
          layout: heading === null ? { padding: { left: 8, right: 20, bottom: 4 } } : { padding: { left: 8, right: 20, top: 4 } },
          plugins: { legend: { ...legend('top', true, (index) => index < lines.length), display: heading !== null }, title: heading === null ? { display: true, text: 'Rolling Sharpe', align: 'start' as const } : title(heading) },
          scales: {
            x: dateAxis(firstDay, lastDay, heading === null),
            y: {
              ...(figure === 'volatility' ? { min: 0, ticks: { callback: (value: string | number) => formatAxisPercent(Number(value)) } } : {}),
              afterFit: (axis: { width: number }) => void (axis.width = yWidth),
              grid: { color: colors.grid },
            },
          },
        },
      } as ChartConfiguration,
      FIGURE_WIDTH,
      height,
    );
    return { drawn, sources: lines.flatMap((item) => (item.source === null ? [] : [item.source])) };
  };
  const top = panel('volatility', `${name}: rolling volatility and Sharpe`, 300);
  const bottom = panel('sharpe', null, 260);
  const hover = chartHover([
    { drawn: top.drawn, unit: 'percent', sources: top.sources },
    { drawn: bottom.drawn, unit: 'ratio', sources: bottom.sources },
  ]);
  const lastDate = isoDate(window.calendar[window.last] ?? 0);
  const latest = series.map((item) => ({ window: item.window, volatility: finiteOrNull(item.volatility[window.last]), sharpe: finiteOrNull(item.sharpe[window.last]) }));
  return withChartNotes(png(top.drawn, bottom.drawn), { alt: rollingAltText(name, lastDate, latest), hover });
}

function finiteOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** How many bars the histogram of daily returns has: enough for its shape, few enough to read. */
const HISTOGRAM_BINS = 60;

/** Counts of `values[first..last]` in `bins` equal bins from the lowest to the highest. */
export function histogramCounts(values: Float64Array, first: number, last: number, bins: number): { low: number; width: number; counts: Int32Array } {
  const [low, high] = valueRange(values, first, last);
  const counts = new Int32Array(bins);
  if (!(high >= low)) return { low: 0, width: 0, counts };
  const width = high > low ? (high - low) / bins : 1e-4;
  for (let day = first; day <= last; day += 1) {
    const bin = Math.min(bins - 1, Math.floor(((values[day] ?? 0) - low) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return { low, width, counts };
}

/** The level's daily returns as a histogram (percent), with its value at risk and expected shortfall (SPEC 18.1) as vertical lines. */
export function returnHistogramFigure(name: string, window: FigureWindow, returns: Float64Array, tails: TailRisk): Uint8Array {
  const { low, width, counts } = histogramCounts(returns, window.first, window.last, HISTOGRAM_BINS);
  // A step outline filled to zero: each bin's count from its left edge to its right.
  const outline: { x: number; y: number }[] = [];
  counts.forEach((count, bin) => outline.push({ x: (low + bin * width) * 100, y: count }, { x: (low + (bin + 1) * width) * 100, y: count }));
  const tallest = counts.reduce((top, count) => Math.max(top, count), 0);
  const marks: [string, number | null, number][] = [
    ['Value at risk 95 %', tails.var95, 0],
    ['Expected shortfall 95 %', tails.cvar95, 1],
    ['Value at risk 99 %', tails.var99, 2],
    ['Expected shortfall 99 %', tails.cvar99, 3],
  ];
  const lines: Line[] = marks.flatMap(([label, loss, index]) => {
    if (loss === null) return [];
    const style = seriesStyle(index + 1);
    const x = -loss * 100;
    return [{ label: `${label}: ${formatAxisPercent(-x)} loss`, data: [{ x, y: 0 }, { x, y: tallest * 1.05 }], borderColor: style.color, borderDash: style.dash, borderWidth: 2, pointRadius: 0, pointStyle: 'line' }];
  });
  const chart = drawChart(
    {
      type: 'line',
      data: {
        datasets: [
          ...lines,
          { label: 'Days', data: outline, borderColor: colors.equity, backgroundColor: 'rgba(0, 114, 178, 0.25)', fill: 'origin', borderWidth: 1, pointRadius: 0 },
        ],
      },
      options: {
        layout: framed,
        plugins: { legend: legend('bottom', true, (index) => index < lines.length), title: title(`${name}: daily returns`) },
        scales: {
          x: { type: 'linear', ticks: { callback: (value: string | number) => formatAxisPercent(Number(value)) }, grid: { color: colors.grid }, title: { display: true, text: 'daily return' } },
          y: { min: 0, max: Math.max(1, Math.ceil(tallest * 1.05)), grid: { color: colors.grid }, title: { display: true, text: 'days' } },
        },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    440,
  );
  const date = (day: number): string => isoDate(window.calendar[day] ?? 0);
  const alt = histogramAltText(name, { first: date(window.first), last: date(window.last), days: window.last - window.first + 1 }, tails);
  return withChartNotes(png(chart), { alt, hover: null });
}

/** The bootstrap's fan (SPEC 20): what `7_monte_carlo_fan.csv` holds, drawn from the equity on the last date. */
export interface FanInput {
  /** The last calendar date `T`, and the starting capital every path runs from (SPEC 20). */
  lastDay: number;
  startingCapital: number;
  /** Path days' dates (the weekdays after T) and P5, P25, P50, P75, P95 of equity on each. */
  dates: Int32Array;
  fan: readonly Float64Array[];
  report: MonteCarloJson;
}

const FAN_LABELS = ['5 %', '25 %', 'Median', '75 %', '95 %'] as const;

/** Equity over the horizon: the 5-95 % band light, the 25-75 % band darker, the median a line, the starting capital dashed. */
export function fanFigure(input: FanInput): Uint8Array {
  const calendar = Int32Array.from([input.lastDay, ...input.dates]);
  const window: FigureWindow = { calendar, first: 0, last: calendar.length - 1 };
  const [firstDay, lastDay] = bounds(window);
  const withStart = input.fan.map((column) => Float64Array.from([input.startingCapital, ...column]));
  const band = (index: number, fill: number | false, background: string, label = FAN_LABELS[index] ?? ''): Line => ({
    label,
    data: points(window, withStart[index] as Float64Array),
    borderColor: index === 2 ? colors.equity : 'rgba(0, 114, 178, 0.5)',
    backgroundColor: background,
    borderWidth: index === 2 ? 2.5 : 1,
    fill,
    pointRadius: 0,
    pointStyle: 'line',
  });
  const datasets: Line[] = [
    band(0, false, 'transparent'),
    band(4, 0, 'rgba(0, 114, 178, 0.15)', '9 in 10 paths'),
    band(1, false, 'transparent'),
    band(3, 2, 'rgba(0, 114, 178, 0.3)', 'half the paths'),
    band(2, false, 'transparent', 'Median'),
    referenceLine('Starting capital', input.startingCapital, firstDay, lastDay),
  ];
  const { settings } = input.report;
  const chart = drawChart(
    {
      type: 'line',
      data: { datasets },
      options: {
        layout: framed,
        plugins: {
          legend: legend('bottom', false, (index) => index === 1 || index >= 3),
          title: title(`Portfolio: equity over the next ${settings.horizonDays} weekdays, ${settings.paths.toLocaleString('en-US')} resampled paths`),
          subtitle: { display: true, text: 'each path runs the portfolio as configured from its starting capital on history resampled in blocks', align: 'start' as const, padding: { bottom: 8 } },
        },
        scales: { x: dateAxis(firstDay, lastDay), y: { ticks: { callback: (value: string | number) => formatCompactUsd(Number(value)) }, grid: { color: colors.grid } } },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    480,
  );
  const order = [4, 3, 2, 1, 0];
  const hover = chartHover([
    { drawn: chart, unit: 'usd', sources: order.map((index) => ({ name: FAN_LABELS[index] ?? '', color: colors.equity, calendar, values: withStart[index] as Float64Array, first: 0, last: calendar.length - 1 })) },
  ]);
  const alt = fanAltText({ startingCapital: input.startingCapital, lastDate: isoDate(calendar[calendar.length - 1] ?? 0), report: input.report });
  return withChartNotes(png(chart), { alt, hover });
}
