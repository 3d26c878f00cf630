/**
 * The report opened as a person opens it: index.html and every tearsheet in headless Chromium
 * (Debian's, installed by .ci/run), from the file system. No page may log an error or fetch
 * anything; a full-page screenshot of each is kept in test-artifacts/ for a human to look at.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { REPO_ROOT } from '#test/support/paths.ts';

const ROOT = REPO_ROOT;
const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');

describe('the report in Chromium', () => {
  let browser: Browser;
  let out = '';

  beforeAll(async () => {
    out = scratchFolder('browser');
    expect((await runCli(['run', '--data', join(ROOT, 'sample-data'), '--out', out])).exitCode).toBe(0);
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const pages = (): string[] => ['index.html', ...readdirSync(join(out, 'tearsheets')).map((name) => `tearsheets/${name}`)];

  it('loads every page with no console error, no failed load and no network request, and shows its charts', async () => {
    const visited = pages();
    expect(visited).toHaveLength(7);
    for (const path of visited) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${join(out, path)}`, { waitUntil: 'load' });
      const images = await page.locator('img').evaluateAll((elements) => elements.map((element) => (element as unknown as { naturalWidth: number }).naturalWidth));
      await page.screenshot({ path: join(ARTIFACTS, `${path.replaceAll('/', '_')}.png`), fullPage: true });
      await page.close();
      expect(problems, path).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:')), path).toEqual([]);
      expect(images.length, path).toBeGreaterThan(0);
      for (const width of images) expect(width, `${path}: every chart decodes`).toBe(960);
    }
  });

  it('follows the links from the index to every tearsheet and back', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${join(out, 'index.html')}`);
    const links = await page.locator('a[href^="tearsheets/"]').evaluateAll((elements) => elements.map((element) => element.getAttribute('href')));
    expect(new Set(links)).toEqual(new Set(pages().filter((path) => path.startsWith('tearsheets/'))));
    await page.click('a[href="tearsheets/portfolio.html"]');
    expect(await page.locator('h1').textContent()).toBe('Portfolio');
    await page.click('a[href="../index.html"]');
    expect(await page.locator('h1').textContent()).toBe('Portfolio Combiner report');
    await page.close();
  });
});
