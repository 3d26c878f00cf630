/**
 * The report's figures: equity over margin utilization (every strategy, account and the
 * portfolio), the portfolio's drawdown, its monthly returns, and all strategies normalised to 1.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { dateAxis, formatAxisPercent, formatCompactUsd } from './axes.ts';
import { drawChart, drawFigure, png, stackPanels } from './canvas.ts';
import { FONT_FAMILY } from './fonts.ts';
import { drawdownSeries } from '#shared/calc/drawdowns.ts';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';

export const FIGURE_WIDTH = 960;

/** The dates a figure covers: calendar indexes `first..last` (inclusive). */
export interface FigureWindow {
  calendar: Int32Array;
  first: number;
  last: number;
}

const colors = {
  equity: '#1f4e79',
  utilization: '#2a9d8f',
  alert: '#c0392b',
  drawdown: '#c0392b',
  rebalance: '#e76f51',
};

function points(window: FigureWindow, values: Float64Array, transform: (value: number) => number = (value) => value): { x: number; y: number }[] {
  const result: { x: number; y: number }[] = [];
  for (let day = window.first; day <= window.last; day += 1) result.push({ x: window.calendar[day] ?? 0, y: transform(values[day] ?? 0) });
  return result;
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
  if (count <= AREA_POINTS) return points(window, values, transform);
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

function bounds(window: FigureWindow): [number, number] {
  return [window.calendar[window.first] ?? 0, window.calendar[window.last] ?? 0];
}

const title = (text: string) => ({ display: true, text, font: { size: 16, weight: 'bold' as const }, align: 'start' as const });

/** The margin a figure of one panel keeps around its plot. */
const framed = { padding: { left: 8, right: 16, top: 4, bottom: 4 } };

/** The series' names below the plot. */
const legendBelow = (display: boolean) => ({ display, position: 'bottom' as const, labels: { boxWidth: 14 } });

export interface EquityFigureInput {
  title: string;
  window: FigureWindow;
  equity: Float64Array;
  utilization: Float64Array;
  /** The margin-utilization alert (accounts and the portfolio), drawn as a line. */
  alertPct: number | null;
  /** Calendar indexes of the rebalances to mark on the equity line (after the first allocation). */
  rebalanceDays?: readonly number[];
}

/** Equity in dollars on top, margin utilization (%) below, on one date axis. */
export function equityFigure(input: EquityFigureInput): Uint8Array {
  const [firstDay, lastDay] = bounds(input.window);
  const yWidth = 84; // the same room for both panels' labels, so their dates line up
  const markers = (input.rebalanceDays ?? []).filter((day) => day >= input.window.first && day <= input.window.last);
  const equityDatasets: ChartDataset<'line', { x: number; y: number }[]>[] = [
    { label: 'Equity', data: points(input.window, input.equity), borderColor: colors.equity, borderWidth: 1.5, pointRadius: 0 },
  ];
  if (markers.length > 0) {
    equityDatasets.push({
      label: 'Rebalance',
      data: markers.map((day) => ({ x: input.window.calendar[day] ?? 0, y: input.equity[day] ?? 0 })),
      showLine: false,
      pointStyle: 'triangle',
      pointRadius: 4,
      borderColor: colors.rebalance,
      backgroundColor: colors.rebalance,
    });
  }
  const top = drawChart(
    {
      type: 'line',
      data: { datasets: equityDatasets },
      options: {
        layout: { padding: { left: 8, right: 16, top: 4 } },
        plugins: {
          legend: { display: markers.length > 0, position: 'top', align: 'end', labels: { boxWidth: 14 } },
          title: title(`${input.title}: equity`),
        },
        scales: {
          x: dateAxis(firstDay, lastDay, false),
          y: { afterFit: (axis) => void (axis.width = yWidth), ticks: { callback: (value) => formatCompactUsd(Number(value)) }, grid: { color: '#e6e6e6' } },
        },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    380,
  );
  const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = [
    {
      label: 'Margin utilization',
      data: areaPoints(input.window, input.utilization, 'highest'),
      borderColor: colors.utilization,
      backgroundColor: 'rgba(42, 157, 143, 0.25)',
      fill: 'origin',
      borderWidth: 1,
      pointRadius: 0,
    },
  ];
  if (input.alertPct !== null) {
    datasets.push({
      label: `Alert ${formatAxisPercent(input.alertPct)}`,
      data: [
        { x: firstDay, y: input.alertPct },
        { x: lastDay, y: input.alertPct },
      ],
      borderColor: colors.alert,
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
    });
  }
  const bottom = drawChart(
    {
      type: 'line',
      data: { datasets },
      options: {
        layout: { padding: { left: 8, right: 16, bottom: 4 } },
        plugins: { legend: { display: true, position: 'top', align: 'end', labels: { boxWidth: 14 } }, title: title('Margin utilization') },
        scales: {
          x: dateAxis(firstDay, lastDay),
          y: { min: 0, afterFit: (axis) => void (axis.width = yWidth), ticks: { callback: (value) => formatAxisPercent(Number(value)) }, grid: { color: '#e6e6e6' } },
        },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    230,
  );
  return png(stackPanels([top, bottom]));
}

/** The portfolio under water: `C / peak - 1` in percent, the start counting as a peak. */
export function drawdownFigure(name: string, window: FigureWindow, returns: Float64Array): Uint8Array {
  const underwater = drawdownSeries(returns, window.first, window.last);
  // The series starts at the window's first date.
  const fromFirst: FigureWindow = { calendar: window.calendar.subarray(window.first), first: 0, last: window.last - window.first };
  const [firstDay, lastDay] = bounds(window);
  const canvas = drawChart(
    {
      type: 'line',
      data: {
        datasets: [
          { label: 'Drawdown', data: areaPoints(fromFirst, underwater, 'lowest', (fraction) => fraction * 100), borderColor: colors.drawdown, backgroundColor: 'rgba(192, 57, 43, 0.25)', fill: 'origin', borderWidth: 1, pointRadius: 0 },
        ],
      },
      options: {
        layout: framed,
        plugins: { legend: { display: false }, title: title(`${name}: drawdown (under water)`) },
        scales: { x: dateAxis(firstDay, lastDay), y: { max: 0, ticks: { callback: (value) => formatAxisPercent(Number(value)) }, grid: { color: '#e6e6e6' } } },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    300,
  );
  return png(canvas);
}

export interface NormalizedSeries {
  name: string;
  /** Equity divided by its starting capital. */
  values: Float64Array;
  first: number;
  last: number;
}

const palette = ['#1f4e79', '#e76f51', '#2a9d8f', '#e9c46a', '#6a4c93', '#264653', '#f4a261', '#8ab17d', '#b5179e', '#577590', '#d62828', '#3a86ff'];

/** Several equity curves over their own spans, each normalised to 1 at its start (`what`: "strategies", "scenarios"). */
export function normalizedFigure(window: FigureWindow, series: readonly NormalizedSeries[], what: string): Uint8Array {
  const [firstDay, lastDay] = bounds(window);
  const legend = series.length <= palette.length;
  const canvas = drawChart(
    {
      type: 'line',
      data: {
        datasets: series.map((item, index) => ({
          label: item.name,
          data: points({ calendar: window.calendar, first: item.first, last: item.last }, item.values),
          borderColor: palette[index % palette.length],
          borderWidth: 1.2,
          pointRadius: 0,
        })),
      },
      options: {
        layout: framed,
        plugins: {
          legend: legendBelow(legend),
          title: title(`${legend ? what.charAt(0).toUpperCase() + what.slice(1) : `${series.length} ${what}`}, equity normalised to 1`),
        },
        scales: { x: dateAxis(firstDay, lastDay), y: { ticks: { callback: (value) => Number(value).toFixed(2) }, grid: { color: '#e6e6e6' } } },
      },
    } as ChartConfiguration,
    FIGURE_WIDTH,
    legend ? 460 : 400,
  );
  return png(canvas);
}

export interface WeightSeries {
  name: string;
  /** Share of the account's equity, 0..1, day by day. */
  share: Float64Array;
}

/** An account's sleeves and cash as shares of its equity over time, stacked to 100 %. */
export function weightsFigure(name: string, window: FigureWindow, series: readonly WeightSeries[]): Uint8Array {
  const [firstDay, lastDay] = bounds(window);
  const legend = series.length <= palette.length;
  return png(
    drawChart(
      {
        type: 'line',
        data: {
          datasets: series.map((item, index) => {
            const color = item.name === 'Cash' ? '#bdbdbd' : (palette[index % palette.length] ?? '#1f4e79');
            return {
              label: item.name,
              data: areaPoints(window, item.share, 'first', (value) => value * 100),
              borderColor: color,
              backgroundColor: color,
              fill: index === 0 ? 'origin' : '-1',
              borderWidth: 0.5,
              pointRadius: 0,
            };
          }),
        },
        options: {
          layout: framed,
          plugins: {
            legend: legendBelow(legend),
            title: title(`Account ${name}: sleeve weights`),
          },
          scales: {
            x: dateAxis(firstDay, lastDay),
            y: { stacked: true, min: 0, max: 100, ticks: { callback: (value) => formatAxisPercent(Number(value)) }, grid: { color: '#e6e6e6' } },
          },
        },
      } as ChartConfiguration,
      FIGURE_WIDTH,
      legend ? 420 : 360,
    ),
  );
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
              backgroundColor: 'rgba(192, 57, 43, 0.35)',
              yAxisID: 'drawdown',
            },
          ],
        },
        options: {
          parsing: true,
          normalized: false,
          layout: framed,
          plugins: {
            legend: legendBelow(true),
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

/** Years down, months across, each cell coloured by its return (red losses, green gains), with the year's total. */
export function monthlyReturnsFigure(name: string, monthlyReturns: Record<string, number>): Uint8Array {
  const years = [...new Set(Object.keys(monthlyReturns).map((month) => month.slice(0, 4)))].sort();
  const cell = { width: 62, height: 26 };
  const left = 64;
  const top = 56;
  const height = top + (years.length + 1) * cell.height + 12;
  const yearTotals = new Map(
    years.map((year) => [year, Object.entries(monthlyReturns).filter(([month]) => month.startsWith(year)).reduce((growth, [, value]) => growth * (1 + value), 1) - 1]),
  );
  const canvas = drawFigure(FIGURE_WIDTH, height, (context: SKRSContext2D) => {
    context.fillStyle = '#333333';
    context.font = `bold 16px "${FONT_FAMILY}"`;
    context.textBaseline = 'middle';
    context.fillText(`${name}: monthly returns`, 10, 18);
    context.font = `12px "${FONT_FAMILY}"`;
    context.textAlign = 'center';
    [...MONTHS, 'Year'].forEach((label, column) => context.fillText(label, left + column * cell.width + cell.width / 2, top - cell.height / 2));
    years.forEach((year, row) => {
      const y = top + row * cell.height;
      context.textAlign = 'right';
      context.fillStyle = '#333333';
      context.fillText(year, left - 10, y + cell.height / 2);
      context.textAlign = 'center';
      const values = [...MONTHS.map((_, month) => monthlyReturns[`${year}-${String(month + 1).padStart(2, '0')}`]), yearTotals.get(year)];
      values.forEach((value, column) => {
        const x = left + column * cell.width;
        context.fillStyle = value === undefined ? '#f4f4f4' : heatColor(value, column === 12 ? 0.3 : 0.1);
        context.fillRect(x + 1, y + 1, cell.width - 2, cell.height - 2);
        if (value !== undefined) {
          context.fillStyle = '#1a1a1a';
          context.fillText(`${(value * 100).toFixed(1)}%`, x + cell.width / 2, y + cell.height / 2);
        }
      });
    });
  });
  return png(canvas);
}

/** White at 0, full green at +scale, full red at -scale. */
function heatColor(value: number, scale: number): string {
  const strength = Math.min(1, Math.abs(value) / scale);
  const [r, g, b] = value >= 0 ? [46, 139, 87] : [192, 57, 43];
  const mix = (channel: number): number => Math.round(255 + (channel - 255) * strength * 0.75);
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}
