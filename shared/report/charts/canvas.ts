/**
 * Chart.js drawn server-side on @napi-rs/canvas (Skia, prebuilt, no system libraries), with a
 * bundled font: Lambda has no system fonts, and text would come out as boxes.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import { FONT_FAMILY, FONT_FILES } from './fonts.js';


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
  Chart.defaults.font.size = 13;
  Chart.defaults.color = '#333333';
  ready = true;
}

/** One Chart.js chart drawn on a canvas of its own (Chart.js clears its whole canvas, so each panel gets one). */
export function drawChart(config: ChartConfiguration, width: number, height: number): Canvas {
  prepare();
  const canvas = createCanvas(width, height);
  const chart = new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: {
      ...config.options,
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      // Thousands of dates on 900 pixels: draw each pixel column's min and max, the picture unchanged.
      parsing: false,
      normalized: true,
      plugins: { decimation: { enabled: true, algorithm: 'min-max' }, ...config.options?.plugins },
    },
    plugins: [whiteBackground, ...(config.plugins ?? [])],
  });
  chart.draw();
  // destroy() clears the canvas it drew on and frees the chart: keep a copy of the picture first.
  const picture = drawFigure(width, height, (context) => context.drawImage(canvas, 0, 0));
  chart.destroy();
  return picture;
}

/** Draws on a blank white canvas with the chart font, for figures Chart.js has no type for. */
export function drawFigure(width: number, height: number, draw: (context: SKRSContext2D) => void): Canvas {
  prepare();
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  draw(context);
  return canvas;
}

/** Panels one above the other on one canvas, copied canvas to canvas (no PNG round trip). */
export function stackPanels(panels: readonly Canvas[]): Canvas {
  const width = Math.max(...panels.map((panel) => panel.width));
  const height = panels.reduce((sum, panel) => sum + panel.height, 0);
  return drawFigure(width, height, (context) => {
    let top = 0;
    for (const panel of panels) {
      context.drawImage(panel, 0, top);
      top += panel.height;
    }
  });
}

/** PNG bytes, encoded on libuv's thread pool so that several charts encode at once. */
export async function png(canvas: Canvas): Promise<Uint8Array> {
  return canvas.encode('png');
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
