/**
 * Chart.js drawn server-side on @napi-rs/canvas (Skia, prebuilt, no system libraries), with a
 * bundled font: Lambda has no system fonts, and text would come out as boxes.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Scale } from 'chart.js';
import { CHART_FONT_SIZE, FONT_FAMILY, FONT_FILES } from './fonts.ts';
import { encodePng } from './pngEncoding.ts';

let ready = false;

/** Registers Chart.js and the font once. The Lambda bundle carries the font in `fonts/` beside it. */
function prepare(): void {
  if (ready) return;
  Chart.register(...registerables);
  const bundled = fileURLToPath(new URL('./fonts/', import.meta.url));
  for (const file of FONT_FILES) {
    const path = existsSync(`${bundled}${file}`) ? `${bundled}${file}` : createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`);
    GlobalFonts.registerFromPath(path, FONT_FAMILY);
  }
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = CHART_FONT_SIZE;
  Chart.defaults.color = '#222222';
  // Chart.js rounds an axis's ends out to a "nice" tick; past about 1e308 that is Infinity and its
  // tick loop never ends (a startingCapital of 1.7e308 is inside SPEC 1.2's ranges). The axis
  // is cut at +-1e300 instead: such a chart says only "enormous", and that it still says.
  Chart.defaults.scales.linear.afterDataLimits = (scale: Scale) => {
    scale.min = Math.max(scale.min, -AXIS_LIMIT);
    scale.max = Math.min(scale.max, AXIS_LIMIT);
  };
  ready = true;
}

const AXIS_LIMIT = 1e300;

/** A drawn picture as raw pixels: every pixel opaque, 4 bytes (RGBA) each, row after row. */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Where a chart drew its plot: the area in the canvas's pixels, and the x and y values at its edges. */
export interface ChartLayout {
  area: { left: number; top: number; right: number; bottom: number };
  x: { min: number; max: number };
  y: { min: number; max: number; log: boolean };
}

/** One Chart.js chart drawn on a canvas of its own (Chart.js clears its whole canvas, so each panel gets one), and where its plot is. */
export function drawChart(config: ChartConfiguration, width: number, height: number): Picture & { layout: ChartLayout } {
  prepare();
  const canvas = canvasOf(width, height);
  const chart = new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: {
      // Thousands of dates on 900 pixels: points are read as they are and each pixel column's
      // min and max drawn, the picture unchanged. A chart of labels (the optimizer's) parses.
      parsing: false,
      normalized: true,
      ...config.options,
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: { decimation: { enabled: true, algorithm: 'min-max' }, ...config.options?.plugins },
    },
    plugins: [whiteBackground, ...(config.plugins ?? [])],
  });
  // The constructor has drawn it already (no animation, a canvas outside the DOM counts as
  // attached); @napi-rs/canvas rasterizes every recorded drawing when the pixels are read, so a
  // second draw() cost a second rasterization for the same pixels.
  // destroy() clears the canvas it drew on and frees the chart: take the pixels first.
  const picture = pictureOf(canvas);
  const { left, top, right, bottom } = chart.chartArea;
  const x = chart.scales.x;
  const y = chart.scales.y ?? Object.values(chart.scales).find((scale) => scale.axis === 'y');
  const layout: ChartLayout = {
    area: { left, top, right, bottom },
    x: { min: x?.min ?? 0, max: x?.max ?? 0 },
    y: { min: y?.min ?? 0, max: y?.max ?? 0, log: y?.type === 'logarithmic' },
  };
  chart.destroy();
  return { ...picture, layout };
}

/** Draws on a blank white canvas with the chart font, for figures Chart.js has no type for. */
export function drawFigure(width: number, height: number, draw: (context: SKRSContext2D) => void): Picture {
  prepare();
  const canvas = canvasOf(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  draw(context);
  return pictureOf(canvas);
}

/**
 * A canvas per size, kept from one picture to the next (its pixels are copied out before the
 * next), reset as new: no state of the last picture's drawing carries over.
 */
const canvases = new Map<string, Canvas>();

function canvasOf(width: number, height: number): Canvas {
  const key = `${width}x${height}`;
  const kept = canvases.get(key);
  if (kept !== undefined) {
    kept.getContext('2d').reset();
    return kept;
  }
  const canvas = createCanvas(width, height);
  canvases.set(key, canvas);
  return canvas;
}

function pictureOf(canvas: Canvas): Picture {
  return { width: canvas.width, height: canvas.height, rgba: canvas.data() };
}

/** PNG bytes of panels of one width one above the other (`pngEncoding.ts` says how they were chosen). */
export function png(...panels: Picture[]): Uint8Array {
  const width = panels[0]?.width ?? 0;
  if (panels.some((panel) => panel.width !== width)) throw new Error('stacked panels must have one width');
  return encodePng(width, panels.reduce((sum, panel) => sum + panel.height, 0), ...panels.map((panel) => panel.rgba));
}

const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart: Chart): void {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};
