/**
 * The chart hover script in Chromium (issue 13, item 4): on a page made as the report's pages are
 * (the PNG as a data URI, its hover data in a JSON block after it, the script allowed by its
 * sha256 only), the pointer over a date shows that date and the value the PNG was drawn from;
 * with scripts off nothing but the picture shows. A screenshot is kept for a person to look at.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartNotes } from '#shared/report/charts/chartNotes.ts';
import type { ChartHover } from '#shared/report/charts/hoverData.ts';
import { CHART_HOVER_SCRIPT, chartHoverJson } from '#shared/report/html/chartHover.ts';
import { launchChromium, SCREENSHOTS } from '#test/support/chromium.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;

describe('hovering a chart in Chromium', () => {
  let browser: Browser;
  let page = '';
  let hover: ChartHover;

  beforeAll(async () => {
    const out = scratchFolder('hover');
    expect((await runCli(['run', '--data', SAMPLE, '--out', out])).exitCode).toBe(0);
    const { image, notes } = chartNotes(readFileSync(join(out, 'charts', 'portfolio.png')));
    if (notes?.hover == null) throw new Error('portfolio.png has no hover data');
    hover = notes.hover;
    const hash = createHash('sha256').update(CHART_HOVER_SCRIPT).digest('base64');
    page = join(out, 'hover.html');
    writeFileSync(
      page,
      `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'"></head>` +
        `<body style="margin:0"><img alt="${notes.alt.replaceAll('"', '&quot;')}" style="width:480px" src="data:image/png;base64,${Buffer.from(image).toString('base64')}">` +
        `<script type="application/json" data-chart-hover>${chartHoverJson(hover)}</script><script>${CHART_HOVER_SCRIPT}</script></body></html>`,
    );
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the date and the equity under the pointer, at half the PNG size, with no error and no request', async () => {
    const context = await browser.newContext({ viewport: { width: 600, height: 400 } });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
    tab.on('pageerror', (error) => void problems.push(error.message));
    tab.on('request', (request) => void (request.url().startsWith('file:') || request.url().startsWith('data:') || problems.push(request.url())));
    await tab.goto(`file://${page}`);
    const panel = hover.panels[0];
    const series = panel?.series[0];
    if (panel === undefined || series === undefined) throw new Error('no equity panel');
    // The pointer at the middle of the equity plot, in the page's pixels (the PNG shown at half size).
    const x = (panel.area.left + panel.area.right) / 2;
    await tab.mouse.move(x / 2, (panel.area.top + panel.area.bottom) / 4);
    const tip = tab.getByRole('status');
    await expect.poll(() => tip.isVisible()).toBe(true);
    const [date, line] = (await tip.textContent())?.split('\n') ?? [];
    // The point the script should find: the one nearest the pointer's date.
    let day = 0;
    const days = series.days.map((step) => (day += step));
    const pointerDay = panel.x.min + ((x - panel.area.left) / (panel.area.right - panel.area.left)) * (panel.x.max - panel.x.min);
    const nearest = days.reduce((best, candidate, index) => (Math.abs(candidate - pointerDay) < Math.abs((days[best] ?? 0) - pointerDay) ? index : best), 0);
    expect(date).toBe(new Date((days[nearest] ?? 0) * 86_400_000).toISOString().slice(0, 10));
    expect(line).toBe(`Equity: ${new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(series.values[nearest] ?? 0)}`);
    await tab.screenshot({ path: join(SCREENSHOTS, 'chart-hover.png') });
    await tab.mouse.move(590, 390);
    await expect.poll(() => tip.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('with scripts off shows the picture and its alt text and nothing else', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 600, height: 400 } });
    const tab = await context.newPage();
    await tab.goto(`file://${page}`);
    expect(await tab.locator('img').getAttribute('alt')).toContain('Portfolio equity from $1,000,000.00');
    expect((await tab.locator('body').innerText()).trim()).toBe('');
    await context.close();
  });
});
