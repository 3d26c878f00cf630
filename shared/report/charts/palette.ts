/**
 * Colours and line styles of the report's charts (issue 13, items 5 and 6): Okabe and Ito's
 * palette, which readers with any common colour-vision deficiency tell apart, each series also
 * told apart by its dash pattern, so no series is known by its colour alone.
 */

/** Okabe-Ito without its yellow, which is too faint on white to read as a thin line. */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#000000', '#E69F00', '#56B4E9'] as const;

/** Solid, dashed, dotted, dash-dot: with 7 colours, 28 series before a colour and dash pair repeats. */
export const SERIES_DASHES: readonly (readonly number[])[] = [[], [12, 5], [3, 4], [12, 4, 3, 4]];

export interface SeriesStyle {
  color: string;
  dash: number[];
}

/** The style of the `index`-th named series: neighbours differ in colour and in dash. */
export function seriesStyle(index: number): SeriesStyle {
  return { color: SERIES_COLORS[index % SERIES_COLORS.length] as string, dash: [...(SERIES_DASHES[index % SERIES_DASHES.length] ?? [])] };
}

/** The unnamed series of a crowded chart: there for the shape of the crowd, not to be read one by one. */
export const CROWD_COLOR = 'rgba(140, 140, 140, 0.45)';

export const figureColors = {
  equity: '#0072B2',
  utilization: '#009E73',
  utilizationFill: 'rgba(0, 158, 115, 0.22)',
  alert: '#D55E00',
  drawdown: '#D55E00',
  drawdownFill: 'rgba(213, 94, 0, 0.22)',
  rebalance: '#000000',
  restated: '#D55E00',
  grid: '#e6e6e6',
  text: '#222222',
};

/**
 * A monthly return's cell: blue for gains, vermillion for losses (a diverging pair that stays apart
 * for red-green colour blindness), stronger with size, white at zero; the signed figure in the
 * cell says the same without colour.
 */
export function heatColor(value: number, scale: number): string {
  const strength = Math.min(1, Math.abs(value) / scale);
  const [r, g, b] = value >= 0 ? [0, 114, 178] : [213, 94, 0];
  const mix = (channel: number): number => Math.round(255 + (channel - 255) * strength * 0.8);
  return `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
}
