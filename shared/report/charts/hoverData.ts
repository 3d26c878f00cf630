/**
 * What a page needs to show the date and value under the pointer on a chart's PNG (issue 13,
 * item 4), with no network and no redrawing: each panel's plot area in the PNG's pixels, its date
 * and value ranges, and its named series reduced to what the pixels show (`pixelColumnPoints`).
 * The hover script (html/chartHover.ts) reads exactly this.
 */
import type { ChartLayout } from './canvas.ts';
import { pixelColumnPoints } from './pixelColumns.ts';

/** How a panel's values read: dollars, a percentage as drawn (12.5 = 12.5 %), or a ratio (normalised equity). */
export type HoverUnit = 'usd' | 'percent' | 'ratio';

export interface HoverSeries {
  name: string;
  color: string;
  /** Dates as day numbers (days since 1970-01-01), each the difference from the one before (the first from 0): small numbers. */
  days: number[];
  values: number[];
}

export interface HoverPanel {
  /** The plot area in the PNG's pixels (Chart.js `chartArea`), stacked panels offset by those above. */
  area: { left: number; top: number; right: number; bottom: number };
  /** The day numbers at the area's left and right edges. */
  x: { min: number; max: number };
  /** The values at the area's bottom and top edges; `log` when the axis is logarithmic. */
  y: { min: number; max: number; log: boolean };
  /** Series stacked on each other (the sleeve weights): a series is drawn at the sum up to it. */
  stacked: boolean;
  unit: HoverUnit;
  series: HoverSeries[];
}

export interface ChartHover {
  width: number;
  height: number;
  panels: HoverPanel[];
}

/** A series as the chart reads it: values on calendar days `first..last`. */
export interface HoverSource {
  name: string;
  color: string;
  calendar: Int32Array;
  values: Float64Array;
  first: number;
  last: number;
  /** Drawn as `values * scale` (fractions drawn as percentages). */
  scale?: number;
}

/** Digits kept per unit: cents, hundredths of a percent, thousandths of a ratio. */
const DIGITS: Record<HoverUnit, number> = { usd: 2, percent: 2, ratio: 3 };

/** A drawn panel and what to hover on it. */
export interface PanelSeries {
  drawn: { width: number; height: number; layout: ChartLayout };
  unit: HoverUnit;
  sources: readonly HoverSource[];
  stacked?: boolean;
}

/** The hover data of panels drawn one above the other (one PNG of them all, `png`), in that order. */
export function chartHover(panels: readonly PanelSeries[]): ChartHover {
  let top = 0;
  const hovers = panels.map(({ drawn, unit, sources, stacked }) => {
    const panel = hoverPanel(drawn.layout, top, unit, sources, stacked ?? false);
    top += drawn.height;
    return panel;
  });
  return { width: panels[0]?.drawn.width ?? 0, height: top, panels: hovers };
}

/** A panel's hover data: each series reduced to the plot area's pixel columns. */
function hoverPanel(layout: ChartLayout, top: number, unit: HoverUnit, sources: readonly HoverSource[], stacked: boolean): HoverPanel {
  const { area, x, y } = layout;
  const columns = Math.max(1, Math.ceil(area.right - area.left));
  const factor = 10 ** DIGITS[unit];
  return {
    area: { left: round(area.left), top: round(area.top + top), right: round(area.right), bottom: round(area.bottom + top) },
    x: { min: x.min, max: x.max },
    y: { min: y.min, max: y.max, log: y.log },
    stacked,
    unit,
    series: sources.map((source) => {
      const kept = pixelColumnPoints(source.calendar, source.values, source.first, source.last, x.min, x.max, columns);
      const days: number[] = [];
      const values: number[] = [];
      let previous = 0;
      for (const index of kept) {
        const day = source.calendar[index] ?? 0;
        days.push(day - previous);
        previous = day;
        values.push(Math.round((source.values[index] ?? 0) * (source.scale ?? 1) * factor) / factor);
      }
      return { name: source.name, color: source.color, days, values };
    }),
  };
}

function round(pixels: number): number {
  return Math.round(pixels * 10) / 10;
}
