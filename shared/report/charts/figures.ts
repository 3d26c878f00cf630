/**
 * The report's figures: equity over margin utilization (every strategy, account and the
 * portfolio), the portfolio's drawdown, its monthly returns, and all strategies' growth of 1.
 * Each line chart comes with its alt text and hover data inside its PNG (`chartNotes.ts`).
 * Colours, dashes and text sizes follow issue 13 items 5 and 6 (`palette.ts`, `canvas.ts`).
 */
import { Chart, type ChartConfiguration, type ChartDataset, type LegendItem, type Plugin } from 'chart.js';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { LevelAsOf } from '#shared/calc/partCResults.ts';
import { at } from '#shared/collections.ts';
import { isoDate } from '#shared/dates.ts';
import { formatSignedPercent } from '../formatting.ts';
import { drawdownAltText, equityAltText, monthlyAltText, normalizedAltText, weightsAltText } from './altText.ts';
import { dateAxis, formatAxisPercent, formatCompactUsd, logAxis, needsLogScale } from './axes.ts';
import { drawChart, drawFigure, png } from './canvas.ts';
import { drawdownSeries } from '#shared/calc/drawdowns.ts';
import { withChartNotes } from './chartNotes.ts';
import { CHART_FONT_SIZE, FONT_FAMILY } from './fonts.ts';
import { chartHover } from './hoverData.ts';
import { CROWD_COLOR, figureColors as colors, heatColor, seriesStyle } from './palette.ts';
import { pixelColumnPoints } from './pixelColumns.ts';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';

export const FIGURE_WIDTH = 960;

/** The dates a figure covers: calendar indexes `first..last` (inclusive). */
export interface FigureWindow {
  calendar: Int32Array;
  first: number;
  last: number;
}

/** A line drawn from the points each of the figure's pixel columns shows (`pixelColumnPoints`): the picture of every point, at a few thousand. */
export function points(window: FigureWindow, values: Float64Array, transform: (value: number) => number = (value) => value): { x: number; y: number }[] {
  const { calendar, first, last } = window;
  const kept = pixelColumnPoints(calendar, values, first, last, calendar[first] ?? 0, calendar[last] ?? 0, FIGURE_WIDTH);
  return Array.from(kept, (day) => ({ x: calendar[day] ?? 0, y: transform(values[day] ?? 0) }));
}

/**
 * A filled area of thousands of jagged points costs Skia most of a second to rasterize; at 960
 * pixels it is drawn from one point per two pixel columns instead: the highest value of each span
 * (a margin peak stays visible), the lowest (a drawdown's trough stays visible), or the first.
 */
const AREA_POINTS = FIGURE_WIDTH / 2;

function areaPoints(
  window: FigureWindow,
  values: Float64Array,
  keep: 'highest' | 'lowest' | 'first',
  transform: (value: number) => number = (value) => value,
): { x: number; y: number }[] {
  const count = window.last - window.first + 1;
  if (count <= AREA_POINTS) return Array.from({ length: count }, (_, k) => ({ x: window.calendar[window.first + k] ?? 0, y: transform(values[window.first + k] ?? 0) }));
  const span = Math.ceil(count / AREA_POINTS);
  const result: { x: number; y: number }[] = [];
  for (let start = window.first; start <= window.last; start += span) {
    const end = Math.min(window.last, start + span - 1);
    let value = values[start] ?? 0;
    if (keep !== 'first') {
      for (let day = start + 1; day <= end; day += 1) {
        const candidate = values[day] ?? 0;
        if (keep === 'highest' ? candidate > value : candidate < value) value = candidate;
      }
    }
    result.push({ x: window.calendar[start] ?? 0, y: transform(value) });
  }
  const lastDay = window.calendar[window.last] ?? 0;
  if ((result[result.length - 1]?.x ?? lastDay) !== lastDay) result.push({ x: lastDay, y: transform(values[window.last] ?? 0) });
  return result;
}

export function bounds(window: FigureWindow): [number, number] {
  return [window.calendar[window.first] ?? 0, window.calendar[window.last] ?? 0];
}

/** The highest value of `first..last` and its calendar index (the first such). */
function highest(values: Float64Array, first: number, last: number): { value: number; day: number } {
  let day = first;
  for (let index = first + 1; index <= last; index += 1) if ((values[index] ?? 0) > (values[day] ?? 0)) day = index;
  return { value: values[day] ?? 0, day };
}

export function valueRange(values: Float64Array, first: number, last: number): [number, number] {
  let lowest = Infinity;
  let top = -Infinity;
  for (let index = first; index <= last; index += 1) {
    const value = values[index] ?? 0;
    if (value < lowest) lowest = value;
    if (value > top) top = value;
  }
  return [lowest, top];
}

const TITLE_SIZE = CHART_FONT_SIZE + 4;
export const title = (text: string) => ({ display: true, text, font: { size: TITLE_SIZE, weight: 'bold' as const }, align: 'start' as const });

/** The margin a figure of one panel keeps around its plot. */
export const framed = { padding: { left: 8, right: 20, top: 4, bottom: 4 } };

/** Legend labels past this many characters end in an ellipsis; the alt text and hover carry the whole name. */
const LEGEND_NAME_CHARACTERS = 36;

/**
 * A legend that draws each line as it is drawn, its dash included (markers as their marker,
 * areas as filled boxes), so no series is told apart by colour alone; `shown` leaves out the crowd.
 */
export function legend(position: 'top' | 'bottom', lines: boolean, shown: (datasetIndex: number) => boolean = () => true) {
  return {
    display: true,
    position,
    align: position === 'top' ? ('end' as const) : ('center' as const),
    labels: {
      usePointStyle: lines,
      pointStyleWidth: 48,
      boxWidth: 28,
      boxHeight: 14,
      padding: 14,
      filter: (item: LegendItem) => shown(item.datasetIndex ?? 0),
      generateLabels: (chart: Chart) =>
        Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => ({
          ...item,
          text: item.text.length > LEGEND_NAME_CHARACTERS ? `${item.text.slice(0, LEGEND_NAME_CHARACTERS - 1)}…` : item.text,
          lineWidth: lines ? 3 : item.lineWidth,
          // Chart.js takes a point-style item's style from its points, which have no dash.
          lineDash: (chart.data.datasets[item.datasetIndex ?? 0] as { borderDash?: number[] } | undefined)?.borderDash ?? [],
        })),
    },
  };
}

/** A y axis of dollars, on a log scale when the equity spans more than ten times its lowest value. */
function usdAxis(log: boolean) {
  return log ? logAxis(formatCompactUsd) : { ticks: { callback: (value: string | number) => formatCompactUsd(Number(value)) }, grid: { color: colors.grid } };
}

export interface EquityFigureInput {
  title: string;
  window: FigureWindow;
  equity: Float64Array;
  utilization: Float64Array;
  /** The margin-utilization alert (accounts and the portfolio), drawn as a line. */
  alertPct: number | null;
  /** Calendar indexes of the rebalances to mark on the equity line (after the first allocation). */
  rebalanceDays?: readonly number[];
  /** Calendar indexes of the dates restated since the previous copy (issue 15), marked with crosses. */
  restatedDays?: readonly number[];
  /** The benchmark (SPEC 17) grown from the same starting capital, on the portfolio's chart. */
  benchmark?: { name: string; equity: Float64Array };
  /** For the alt text: the starting capital, SPEC 7's maxDrawdown and SPEC 15's figures of the level. */
  startingCapital: number;
  maxDrawdown: number;
  asOf: LevelAsOf;
}

/** A level to read a line against (an alert, the starting capital): dashed vermillion across the whole figure. */
export function referenceLine(label: string, y: number, firstDay: number, lastDay: number): ChartDataset<'line', { x: number; y: number }[]> {
  return {
    label,
    data: [
      { x: firstDay, y },
      { x: lastDay, y },
    ],
    borderColor: colors.alert,
    borderDash: [10, 6],
    borderWidth: 2,
    pointRadius: 0,
    pointStyle: 'line',
  };
}

/** The benchmark's line: a colour and dash no other line of the equity chart has (the alert is vermillion and dashed). */
const BENCHMARK_STYLE = seriesStyle(3);

/** Equity in dollars on top, margin utilization (%) below, on one date axis; 610 pixels high. */
export function equityFigure(input: EquityFigureInput): Uint8Array {
  const { window } = input;
  const [firstDay, lastDay] = bounds(window);
  const yWidth = 112; // the same room for both panels' labels, so their dates line up
  const [lowest, highestValue] = valueRange(input.equity, window.first, window.last);
  const [benchmarkLowest, benchmarkHighest] = input.benchmark === undefined ? [lowest, highestValue] : valueRange(input.benchmark.equity, window.first, window.last);
  const log = needsLogScale(Math.min(lowest, benchmarkLowest), Math.max(highestValue, benchmarkHighest));
  const inWindow = (days: readonly number[] | undefined): number[] => (days ?? []).filter((day) => day >= window.first && day <= window.last);
  /** Points on the equity line on `days`, told apart by their shape. */
  const marks = (label: string, days: readonly number[], shape: { pointStyle: 'triangle' | 'crossRot'; pointRadius: number; color: string; borderWidth?: number }): ChartDataset<'line', { x: number; y: number }[]> => ({
    label,
    data: days.map((day) => ({ x: window.calendar[day] ?? 0, y: input.equity[day] ?? 0 })),
    showLine: false,
    pointStyle: shape.pointStyle,
    pointRadius: shape.pointRadius,
    ...(shape.borderWidth === undefined ? {} : { borderWidth: shape.borderWidth }),
    borderColor: shape.color,
    backgroundColor: shape.color,
  });
  const markers = inWindow(input.rebalanceDays);
  const restated = inWindow(input.restatedDays);
  const equityDatasets: ChartDataset<'line', { x: number; y: number }[]>[] = [
    { label: 'Equity', data: points(window, input.equity), borderColor: colors.equity, borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
  ];
  if (input.benchmark !== undefined) {
    const style = BENCHMARK_STYLE;
    equityDatasets.push({ label: `Benchmark: ${input.benchmark.name}`, data: points(window, input.benchmark.equity), borderColor: style.color, borderDash: style.dash, borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' });
  }
  if (markers.length > 0) equityDatasets.push(marks('Rebalance', markers, { pointStyle: 'triangle', pointRadius: 6, color: colors.rebalance }));
  if (restated.length > 0) equityDatasets.push(marks('Restated since the previous copy', restated, { pointStyle: 'crossRot', pointRadius: 7, borderWidth: 2, color: colors.restated }));
  const top = drawChart(
    {
      type: 'line',
      data: { datasets: equityDatasets },
      options: {
        layout: { padding: { left: 8, right: 20, top: 4 } },
        plugins: {
          legend: { ...legend('top', true), display: markers.length + restated.length > 0 || input.benchmark !== undefined },
          title: title(`${input.title}: equity${log ? ' (log scale)' : ''}`),
        },
        scales: { x: dateAxis(firstDay, lastDay, false), y: { ...usdAxis(log), afterFit: (axis: { width: number }) => void (axis.width = yWidth) } },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    380,
  );
  const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = [
    {
      label: 'Margin utilization',
      data: areaPoints(window, input.utilization, 'highest'),
      borderColor: colors.utilization,
      backgroundColor: colors.utilizationFill,
      fill: 'origin',
      borderWidth: 1.5,
      pointRadius: 0,
      pointStyle: 'line',
    },
  ];
  if (input.alertPct !== null) datasets.push(referenceLine(`Alert ${formatAxisPercent(input.alertPct)}`, input.alertPct, firstDay, lastDay));
  const bottom = drawChart(
    {
      type: 'line',
      data: { datasets },
      options: {
        layout: { padding: { left: 8, right: 20, bottom: 4 } },
        plugins: { legend: legend('top', true), title: { display: false } },
        scales: {
          x: dateAxis(firstDay, lastDay),
          y: { min: 0, afterFit: (axis) => void (axis.width = yWidth), ticks: { callback: (value) => formatAxisPercent(Number(value)) }, grid: { color: colors.grid } },
        },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    230,
  );
  const date = (day: number): string => isoDate(window.calendar[day] ?? 0);
  const peak = highest(input.equity, window.first, window.last);
  const utilizationPeak = highest(input.utilization, window.first, window.last);
  const alt = equityAltText({
    title: input.title,
    firstDate: date(window.first),
    lastDate: date(window.last),
    startingCapital: input.startingCapital,
    finalEquity: input.equity[window.last] ?? 0,
    peak: { usd: peak.value, date: date(peak.day) },
    maxDrawdown: input.maxDrawdown,
    asOf: input.asOf,
    utilizationPeak: { pct: utilizationPeak.value, date: date(utilizationPeak.day) },
    alertPct: input.alertPct,
    logScale: log,
    ...(restated.length === 0 ? {} : { restated: { dates: restated.length, first: date(at(restated, 0)), last: date(at(restated, restated.length - 1)) } }),
    benchmark: input.benchmark === undefined ? null : { name: input.benchmark.name, finalEquity: input.benchmark.equity[window.last] ?? 0 },
  });
  const series = (name: string, color: string, values: Float64Array) => ({ name, color, calendar: window.calendar, values, first: window.first, last: window.last });
  const hover = chartHover([
    {
      drawn: top,
      unit: 'usd',
      sources: [series('Equity', colors.equity, input.equity), ...(input.benchmark === undefined ? [] : [series(input.benchmark.name, BENCHMARK_STYLE.color, input.benchmark.equity)])],
    },
    { drawn: bottom, unit: 'percent', sources: [series('Margin utilization', colors.utilization, input.utilization)] },
  ]);
  return withChartNotes(png(top, bottom), { alt, hover });
}

/** The portfolio under water: `C / peak - 1` in percent, the start counting as a peak. */
export function drawdownFigure(name: string, window: FigureWindow, returns: Float64Array, maxDrawdown: number, asOf: LevelAsOf): Uint8Array {
  const underwater = drawdownSeries(returns, window.first, window.last).map((fraction) => fraction * 100);
  // The series starts at the window's first date.
  const fromFirst: FigureWindow = { calendar: window.calendar.subarray(window.first), first: 0, last: window.last - window.first };
  const [firstDay, lastDay] = bounds(window);
  const chart = drawChart(
    {
      type: 'line',
      data: {
        datasets: [
          { label: 'Drawdown', data: areaPoints(fromFirst, underwater, 'lowest'), borderColor: colors.drawdown, backgroundColor: colors.drawdownFill, fill: 'origin', borderWidth: 1.5, pointRadius: 0 },
        ],
      },
      options: {
        layout: framed,
        plugins: { legend: { display: false }, title: title(`${name}: drawdown (under water)`) },
        scales: { x: dateAxis(firstDay, lastDay), y: { max: 0, ticks: { callback: (value) => formatAxisPercent(Number(value)) }, grid: { color: colors.grid } } },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    320,
  );
  const hover = chartHover([
    { drawn: chart, unit: 'percent', sources: [{ name: 'Drawdown', color: colors.drawdown, calendar: fromFirst.calendar, values: underwater, first: 0, last: fromFirst.last }] },
  ]);
  return withChartNotes(png(chart), { alt: drawdownAltText(name, maxDrawdown, asOf), hover });
}

export interface NormalizedSeries {
  name: string;
  /** Growth of 1: the series divided by its value before the first day. */
  values: Float64Array;
  first: number;
  last: number;
}

/** Named on each side of a crowded chart: the best and the worst few, the rest grey. */
export const NAMED_EACH_SIDE = 5;

/**
 * Several growth-of-1 curves over their own spans (`what`: "strategies", "scenarios"). Up to
 * twice NAMED_EACH_SIDE all are named, each with its colour and dash; past that the highest and
 * lowest few by their last value are named and the rest drawn grey behind them, with no legend
 * entry. On a log scale when the values span more than ten times the lowest.
 */
export function normalizedFigure(window: FigureWindow, series: readonly NormalizedSeries[], what: string): Uint8Array {
  const [firstDay, lastDay] = bounds(window);
  const endOf = (item: NormalizedSeries): number => item.values[item.last] ?? 0;
  const ranked = [...series].sort((a, b) => endOf(b) - endOf(a));
  const crowded = series.length > 2 * NAMED_EACH_SIDE;
  const named = crowded ? [...ranked.slice(0, NAMED_EACH_SIDE), ...ranked.slice(-NAMED_EACH_SIDE)] : series;
  const crowd = crowded ? ranked.slice(NAMED_EACH_SIDE, -NAMED_EACH_SIDE) : [];
  let lowest = Infinity;
  let top = -Infinity;
  for (const item of series) {
    const [low, high] = valueRange(item.values, item.first, item.last);
    lowest = Math.min(lowest, low);
    top = Math.max(top, high);
  }
  const log = needsLogScale(lowest, top);
  const windowOf = (item: NormalizedSeries): FigureWindow => ({ calendar: window.calendar, first: item.first, last: item.last });
  const styles = named.map((_, index) => seriesStyle(index));
  const heading = `${crowded ? `${series.length} ${what}` : what.charAt(0).toUpperCase() + what.slice(1)}, growth of 1`;
  const crowdNote = `the ${NAMED_EACH_SIDE} highest and ${NAMED_EACH_SIDE} lowest at their last date named, the other ${crowd.length} in grey`;
  const chart = drawChart(
    {
      type: 'line',
      data: {
        // The first dataset is drawn last, on top: the named ones before the crowd.
        datasets: [
          ...named.map((item, index) => ({
            label: item.name,
            data: points(windowOf(item), item.values),
            borderColor: styles[index]?.color,
            borderDash: styles[index]?.dash,
            borderWidth: 2,
            pointRadius: 0,
            pointStyle: 'line',
          })),
        ],
      },
      options: {
        layout: framed,
        plugins: {
          legend: legend('bottom', true, (index) => index < named.length),
          title: title(`${heading}${log ? ' (log scale)' : ''}`),
          subtitle: { display: crowded, text: crowdNote, align: 'start' as const, padding: { bottom: 8 } },
        },
        scales: {
          x: dateAxis(firstDay, lastDay),
          // The crowd is no dataset: its values still set the axis, as the named lines' do.
          y: { ...(log ? logAxis((value) => String(value)) : { ticks: { callback: (value: string | number) => Number(value).toFixed(2) }, grid: { color: colors.grid } }), suggestedMin: lowest, suggestedMax: top },
        },
      },
      plugins: [crowdLines(window.calendar, crowd)],
    } as ChartConfiguration,
    FIGURE_WIDTH,
    named.length > 4 ? 580 : 500,
  );
  const hover = chartHover([{ drawn: chart, unit: 'ratio', sources: named.map((item, index) => ({ ...item, color: styles[index]?.color ?? CROWD_COLOR, calendar: window.calendar })) }]);
  const ends = ranked.map((item) => ({ name: item.name, end: endOf(item), lastDate: isoDate(window.calendar[item.last] ?? 0) }));
  return withChartNotes(png(chart), { alt: normalizedAltText(heading, ends, 2 * NAMED_EACH_SIDE, log), hover });
}

/**
 * The grey crowd of a crowded growth chart, drawn on the canvas under the named lines the way
 * Chart.js draws a dataset of them (`crowdLine`), clipped to the plot and half a stroke above and
 * below it: as datasets, 490 strategies cost ~2 s of CPU at 500x20, a point element for every
 * point, for the same strokes. Each line is its own stroke, so crossings darken as before.
 */
function crowdLines(calendar: Int32Array, crowd: readonly NormalizedSeries[]): Plugin<'line'> {
  return {
    id: 'crowdLines',
    beforeDatasetsDraw(chart: Chart<'line'>): void {
      const { ctx, chartArea: area } = chart;
      const { x, y } = chart.scales;
      if (crowd.length === 0 || x === undefined || y === undefined) return;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top - CROWD_LINE_WIDTH / 2, area.right - area.left, area.bottom - area.top + CROWD_LINE_WIDTH);
      ctx.clip();
      ctx.lineWidth = CROWD_LINE_WIDTH;
      ctx.strokeStyle = CROWD_COLOR;
      ctx.lineCap = 'butt';
      ctx.lineJoin = 'miter';
      // Chart.js draws the last dataset first: the crowd from its lowest end up.
      for (let index = crowd.length - 1; index >= 0; index -= 1) {
        const item = crowd[index] as NormalizedSeries;
        // The points `points` would give Chart.js, in pixels.
        const kept = pixelColumnPoints(calendar, item.values, item.first, item.last, calendar[item.first] ?? 0, calendar[item.last] ?? 0, FIGURE_WIDTH);
        const xs = Float64Array.from(kept, (day) => x.getPixelForValue(calendar[day] ?? 0));
        const ys = Float64Array.from(kept, (day) => y.getPixelForValue(item.values[day] ?? 0));
        ctx.beginPath();
        crowdLine(ctx, xs, ys);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

const CROWD_LINE_WIDTH = 1;

/**
 * The path Chart.js 4 draws for a plain line (its `fastPathSegment`): a line to each point that
 * starts a new whole pixel column, and within a column a stroke down its highest and lowest to
 * its last, at the mean x of its later points. A point a log axis cannot place is skipped.
 */
function crowdLine(ctx: CanvasRenderingContext2D, xs: Float64Array, ys: Float64Array): void {
  let meanX = 0;
  let inColumn = 0;
  let column = Number.NaN;
  let low = 0;
  let high = 0;
  let lastY = 0;
  const strokeColumn = (): void => {
    if (low === high) return;
    ctx.lineTo(meanX, high);
    ctx.lineTo(meanX, low);
    ctx.lineTo(meanX, lastY);
  };
  ctx.moveTo(xs[0] ?? 0, ys[0] ?? 0);
  for (let index = 0; index < xs.length; index += 1) {
    const px = xs[index] ?? 0;
    const py = ys[index] ?? 0;
    if (Number.isNaN(px) || Number.isNaN(py)) continue;
    if ((px | 0) === column) {
      if (py < low) low = py;
      else if (py > high) high = py;
      meanX = (inColumn * meanX + px) / (inColumn + 1);
      inColumn += 1;
    } else {
      strokeColumn();
      ctx.lineTo(px, py);
      column = px | 0;
      inColumn = 0;
      low = py;
      high = py;
    }
    lastY = py;
  }
  strokeColumn();
}

export interface WeightSeries {
  name: string;
  /** Share of the account's equity, 0..1, day by day. */
  share: Float64Array;
}

/** An account's sleeves and cash as shares of its equity over time, stacked to 100 %. */
export function weightsFigure(name: string, window: FigureWindow, series: readonly WeightSeries[]): Uint8Array {
  const [firstDay, lastDay] = bounds(window);
  const colorOf = (item: WeightSeries, index: number): string => (item.name === 'Cash' ? '#bdbdbd' : seriesStyle(index).color);
  const chart = drawChart(
    {
      type: 'line',
      data: {
        datasets: series.map((item, index) => ({
          label: item.name,
          data: areaPoints(window, item.share, 'first', (value) => value * 100),
          borderColor: '#ffffff',
          backgroundColor: colorOf(item, index),
          fill: index === 0 ? 'origin' : '-1',
          borderWidth: 0.5,
          pointRadius: 0,
        })),
      },
      options: {
        layout: framed,
        plugins: { legend: legend('bottom', false), title: title(`Account ${name}: sleeve weights`) },
        scales: {
          x: dateAxis(firstDay, lastDay),
          y: { stacked: true, min: 0, max: 100, ticks: { callback: (value) => formatAxisPercent(Number(value)) }, grid: { color: colors.grid } },
        },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    series.length > 4 ? 500 : 440,
  );
  const sources = series.map((item, index) => ({ name: item.name, color: colorOf(item, index), calendar: window.calendar, values: item.share, first: window.first, last: window.last, scale: 100 }));
  const hover = chartHover([{ drawn: chart, unit: 'percent', sources, stacked: true }]);
  const lastShares = series.map((item) => ({ name: item.name, share: item.share[window.last] ?? 0 }));
  return withChartNotes(png(chart), { alt: weightsAltText(`Account ${name}`, isoDate(window.calendar[window.last] ?? 0), lastShares), hover });
}

/** The optimizer's path: the chosen set's in-sample Sharpe (line) and largest dollar drawdown (bars) after each step. */
export function optimizerPathFigure(report: OptimizerJson): Uint8Array {
  const chosenSteps = report.steps.filter((step) => step.chosen !== null);
  const figuresOf = (step: (typeof chosenSteps)[number]) => step.candidates.find((candidate) => candidate.strategy === step.chosen);
  return png(
    drawChart(
      {
        type: 'bar',
        data: {
          labels: chosenSteps.map((step) => `${step.step}: +${step.chosen ?? ''}`),
          datasets: [
            {
              type: 'line',
              label: 'Sharpe (in sample)',
              data: chosenSteps.map((step) => figuresOf(step)?.sharpe ?? null),
              borderColor: colors.equity,
              backgroundColor: colors.equity,
              yAxisID: 'sharpe',
              pointRadius: 4,
            },
            {
              type: 'bar',
              label: 'Largest drawdown ($, in sample)',
              data: chosenSteps.map((step) => figuresOf(step)?.maxDrawdownUsd ?? 0),
              backgroundColor: colors.drawdownFill,
              yAxisID: 'drawdown',
            },
          ],
        },
        options: {
          parsing: true,
          normalized: false,
          layout: framed,
          plugins: {
            legend: legend('bottom', false),
            title: title(chosenSteps.length === 0 ? 'Optimizer: no strategy was chosen' : 'Optimizer: the set after each step'),
            decimation: { enabled: false },
          },
          scales: {
            x: { type: 'category', ticks: { maxRotation: 30, autoSkip: true } },
            sharpe: { type: 'linear', position: 'left', title: { display: true, text: 'Sharpe' }, grid: { color: '#e6e6e6' } },
            drawdown: {
              type: 'linear',
              position: 'right',
              min: 0,
              title: { display: true, text: 'Largest drawdown' },
              ticks: { callback: (value: string | number) => formatCompactUsd(Number(value)) },
              grid: { display: false },
            },
          },
        },
      } as unknown as ChartConfiguration,
      FIGURE_WIDTH,
      420,
    ),
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Years down, months across, each cell coloured by its return (blue gains, vermillion losses) and
 * holding its signed figure in percent (never "-0.0"), with the year's total.
 */
export function monthlyReturnsFigure(name: string, monthlyReturns: Record<string, number>): Uint8Array {
  const years = [...new Set(Object.keys(monthlyReturns).map((month) => month.slice(0, 4)))].sort();
  const left = 78;
  const cell = { width: Math.floor((FIGURE_WIDTH - left - 8) / 13), height: 34 };
  const top = 86;
  const height = Math.max(300, top + years.length * cell.height + 12);
  const yearTotals = new Map(
    years.map((year) => [year, Object.entries(monthlyReturns).filter(([month]) => month.startsWith(year)).reduce((growth, [, value]) => growth * (1 + value), 1) - 1]),
  );
  const canvas = drawFigure(FIGURE_WIDTH, height, (context: SKRSContext2D) => {
    context.fillStyle = colors.text;
    context.font = `bold ${TITLE_SIZE}px "${FONT_FAMILY}"`;
    context.textBaseline = 'middle';
    context.fillText(`${name}: monthly returns (%)`, 10, 24);
    context.font = `${CHART_FONT_SIZE - 2}px "${FONT_FAMILY}"`;
    context.textAlign = 'center';
    [...MONTHS, 'Year'].forEach((label, column) => context.fillText(label, left + column * cell.width + cell.width / 2, top - cell.height / 2));
    years.forEach((year, row) => {
      const y = top + row * cell.height;
      context.textAlign = 'right';
      context.fillStyle = colors.text;
      context.fillText(year, left - 8, y + cell.height / 2);
      context.textAlign = 'center';
      const values = [...MONTHS.map((_, month) => monthlyReturns[`${year}-${String(month + 1).padStart(2, '0')}`]), yearTotals.get(year)];
      values.forEach((value, column) => {
        const x = left + column * cell.width;
        context.fillStyle = value === undefined ? '#f4f4f4' : heatColor(value, column === 12 ? 0.3 : 0.1);
        context.fillRect(x + 1, y + 1, cell.width - 2, cell.height - 2);
        if (value !== undefined) {
          context.fillStyle = '#111111';
          context.fillText(formatSignedPercent(value, 1, ''), x + cell.width / 2, y + cell.height / 2);
        }
      });
    });
  });
  return withChartNotes(png(canvas), { alt: monthlyAltText(name, monthlyReturns, yearTotals), hover: null });
}
