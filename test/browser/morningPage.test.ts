/// <reference lib="dom" />
/**
 * The morning page as a portfolio manager opens it (issue 13), in Debian's Chromium at 1,400 x 900
 * and 390 px wide: the bundled sample, the sample under part-B limits it breaks, and 200
 * strategies in 10 accounts. What a reader checks: the as-of figures equal summary.json's, the
 * banner names exactly the failing checks, both sit in the first screen, nothing overflows a
 * phone, a table sorts on a header click, the tearsheets say P&L, transfers and time-weighted
 * return apart. Screenshots go to test-artifacts/screenshots/.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsOf, Attribution } from '#shared/calc/partCResults.ts';
import { countOf, formatSignedPercent, formatSignedUsd } from '#shared/report/formatting.ts';
import { BANNER_LINES } from '#shared/report/html/indexPage.ts';
import { scriptHashSource } from '#shared/report/html/page.ts';
import { SORTABLE_TABLES_SCRIPT } from '#shared/report/html/sortableTable.ts';
import { CHART_HOVER_SCRIPT } from '#shared/report/html/chartHover.ts';
import { fileSlug } from '#shared/report/reportNames.ts';
import { manyStrategies } from '#test/support/manyStrategies.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { launchChromium } from '#test/support/chromium.ts';
import { SAMPLE_FOLDER as SAMPLE, writeSampleUnderLimits } from '#test/support/sampleUnderLimits.ts';
import { REPO_ROOT } from '#test/support/paths.ts';

const ROOT = REPO_ROOT;
const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');
const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Summary {
  asOf: AsOf;
  attribution: Attribution;
  checks: Record<string, { status: string; strategies?: unknown }>;
  wipeouts: Record<string, string>;
  restatements?: { strategies: Record<string, unknown> };
}

interface Case {
  name: string;
  out: string;
  summary: Summary;
}

async function runCase(name: string, files: (data: string) => void): Promise<Case> {
  const data = scratchFolder(`morning-${name}-data`);
  files(data);
  const out = scratchFolder(`morning-${name}-out`);
  const result = await runCli(['run', '--data', data, '--out', out]);
  expect(result.exitCode, result.stderr.join('\n')).toBe(0);
  return { name, out, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary };
}

/** Figures in the order a sorted column shows them (1 ascending, -1 descending), n/a last either way. */
function sortedDays(days: readonly (number | null)[], direction: 1 | -1): (number | null)[] {
  const figures = days.filter((day): day is number => day !== null).sort((a, b) => (a - b) * direction);
  return [...figures, ...days.filter((day) => day === null)];
}

/** The banner's lines by check: one per failing check, the data checks one per strategy they name (a stale track record, a restated one). */
function failingChecks(summary: Summary): string[] {
  return Object.entries(summary.checks)
    .filter(([, check]) => check.status === 'fail')
    .flatMap(([name, check]) => {
      if (name === 'freshness') return Object.values(check.strategies as Record<string, { stale: boolean }>).filter((strategy) => strategy.stale).map(() => name);
      if (name === 'restatements') return Object.keys(summary.restatements?.strategies ?? {}).map(() => name);
      return [name];
    });
}

describe('the morning page in Chromium', () => {
  let browser: Browser;
  const cases: Record<'sample' | 'limits' | 'many', Case> = {} as Record<'sample' | 'limits' | 'many', Case>;

  beforeAll(async () => {
    cases.sample = await runCase('sample', (data) => cpSync(SAMPLE, data, { recursive: true }));
    cases.limits = await runCase('limits', writeSampleUnderLimits);
    cases.many = await runCase('many', (data) => {
      for (const [name, text] of Object.entries(manyStrategies({ strategies: 200, accounts: 10, days: 60, wipeouts: 12, stale: 3 }))) writeFileSync(join(data, name), text);
    });
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A page opened from the file system; any console error (a CSP refusal among them) or network request is a finding. */
  async function open(path: string, viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('request', (request) => {
      if (!request.url().startsWith('file://') && !request.url().startsWith('data:')) problems.push(`request: ${request.url()}`);
    });
    await page.goto(`file://${path}`, { waitUntil: 'load' });
    return { page, problems };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `morning-${name}.png`), fullPage: true });
  }

  const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).textContent()) ?? '').trim();

  for (const name of ['sample', 'limits', 'many'] as const) {
    it(`${name}: the as-of header shows summary.json's day, MTD, YTD, 1Y and drawdown now, and the banner names exactly the failing checks, both in the first screen at 1,400 x 900`, async () => {
      const { out, summary } = cases[name];
      const { page, problems } = await open(join(out, 'index.html'), DESKTOP);
      const { portfolio } = summary.asOf;
      expect(await text(page, '#as-of-line')).toContain(`As of ${summary.asOf.date}`);
      for (const period of ['day', 'mtd', 'ytd', '1y'] as const) {
        const figures = portfolio.periods[period];
        const card = `#asof [data-figure="${period}"]`;
        if (figures === null) {
          expect(await text(page, `${card} .value`)).toBe('n/a');
          continue;
        }
        expect(await text(page, `${card} .value`), period).toBe(formatSignedUsd(figures.pnlUsd));
        expect(await text(page, `${card} .label:last-child`), period).toBe(formatSignedPercent(figures.return));
      }
      const drawdown = `#asof [data-figure="drawdown"]`;
      if (portfolio.drawdownStart === null) expect(await text(page, `${drawdown} .value`)).toBe('at a peak');
      else {
        expect(await text(page, `${drawdown} .value`)).toBe(formatSignedPercent(portfolio.currentDrawdown));
        expect(await text(page, `${drawdown} .label:last-child`)).toBe(`${formatSignedUsd(-(portfolio.currentDrawdownUsd ?? 0))} since ${portfolio.drawdownStart} (${countOf(portfolio.daysUnderWater, 'day')})`);
      }

      const failing = failingChecks(summary);
      const listed = await page.locator('#banner li[data-check]').evaluateAll((items) => items.map((item) => item.getAttribute('data-check') ?? ''));
      expect(listed.filter((check) => check !== 'wipeout').sort()).toEqual([...failing].sort());
      expect(listed.filter((check) => check === 'wipeout')).toHaveLength(Object.keys(summary.wipeouts).length);
      const breaches = failing.length + Object.keys(summary.wipeouts).length;
      if (breaches === 0) expect(await text(page, '#banner')).toBe(`All ${countOf(Object.keys(summary.checks).length, 'check')} pass on ${summary.asOf.date}.`);
      else {
        expect(await page.locator('#banner').getAttribute('class')).toBe('banner');
        expect(await page.locator('#banner > ul > li').count()).toBe(Math.min(breaches, BANNER_LINES + 1));
        if (breaches > BANNER_LINES) expect(await text(page, '#banner li.more summary')).toBe(`and ${breaches - BANNER_LINES} more`);
      }
      // Before anything else, and with the as-of figures in the first screen.
      expect(await page.evaluate(() => document.body.firstElementChild?.id)).toBe('banner');
      for (const selector of ['#banner', '#asof']) {
        const box = await page.locator(selector).boundingBox();
        expect(box, selector).not.toBeNull();
        expect((box?.y ?? 0) + (box?.height ?? 0), `${selector} ends within the first 900 px`).toBeLessThanOrEqual(DESKTOP.height);
      }
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      console.log(`${name}: index.html is ${height} px tall at 1,400 wide`);
      await shoot(page, `${name}-index-1400`);
      await page.context().close();
      expect(problems).toEqual([]);
    });

    it(`${name}: no page overflows sideways at 390 px; wide tables scroll in their own box and figures never break`, async () => {
      const { out } = cases[name];
      const tearsheets = readdirSync(join(out, 'tearsheets'));
      const paths = ['index.html', 'tearsheets/portfolio.html', ...tearsheets.filter((file) => file.startsWith('account-')).slice(0, 1).map((file) => `tearsheets/${file}`), ...tearsheets.filter((file) => file.startsWith('strategy-')).slice(0, 1).map((file) => `tearsheets/${file}`)];
      for (const path of paths) {
        const { page, problems } = await open(join(out, path), PHONE);
        const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
        expect(widths, path).toEqual({ page: PHONE.width, body: PHONE.width });
        const breakable = await page.locator('td').evaluateAll((cells) =>
          cells.filter((cell) => !cell.classList.contains('note') && !cell.classList.contains('wrap') && getComputedStyle(cell).whiteSpace !== 'nowrap' && /\d/.test(cell.textContent ?? '')).map((cell) => cell.textContent),
        );
        expect(breakable, `${path}: cells with figures that could break`).toEqual([]);
        if (path === 'index.html') await shoot(page, `${name}-index-390`);
        await page.context().close();
        expect(problems, path).toEqual([]);
      }
    });
  }

  it('sorts the strategies within each account on a header click, and reads in config order with scripts off', async () => {
    const { out, summary } = cases.many;
    const { page, problems } = await open(join(out, 'index.html'), DESKTOP);
    const column = async (): Promise<{ account: string; names: string[]; days: (number | null)[] }[]> =>
      page.locator('#strategy-table tbody').evaluateAll((bodies) =>
        bodies.map((body) => {
          const rows = Array.from((body as HTMLTableSectionElement).rows).filter((row) => !row.classList.contains('group'));
          return {
            account: body.getAttribute('data-account') ?? '',
            names: rows.map((row) => row.cells[0]?.textContent ?? ''),
            days: rows.map((row) => (row.cells[1]?.getAttribute('data-v') ? Number(row.cells[1].getAttribute('data-v')) : null)),
          };
        }),
      );
    const before = await column();
    expect(before).toHaveLength(10);
    await page.locator('#strategy-table').getByRole('button', { name: 'Day', exact: true }).click();
    const after = await column();
    for (const [index, group] of after.entries()) {
      expect(group.account).toBe(before[index]?.account);
      expect(new Set(group.names)).toEqual(new Set(before[index]?.names));
      // Largest first; a strategy with no date today (stale) last.
      expect(group.days, group.account).toEqual([...sortedDays(group.days, -1)]);
      // The figure a reader sorts by is summary.json's.
      for (const [row, strategy] of group.names.entries()) expect(group.days[row]).toBe(summary.asOf.strategies[strategy]?.periods.day?.pnlUsd ?? null);
    }
    expect(await page.locator('#strategy-table th[aria-sort="descending"]').textContent()).toContain('Day');
    await page.locator('#strategy-table').getByRole('button', { name: /^Day/ }).click();
    expect((await column())[2]?.days).toEqual(sortedDays(after[2]?.days ?? [], 1));
    expect(after[2]?.days).toContain(null);
    await shoot(page, 'many-index-sorted-1400');
    await page.context().close();
    expect(problems).toEqual([]);

    const plain = await open(join(out, 'index.html'), DESKTOP, false);
    expect(await plain.page.locator('#strategy-table th button').count()).toBe(0);
    const names = await plain.page.locator('#strategy-table tbody:first-of-type tr:not(.group) td:first-child').allTextContents();
    expect(names).toEqual(before[0]?.names);
    expect(names[0]).toBe('Strategy_001');
    await plain.page.context().close();
  });

  it('allows the inline scripts by their hashes only: the page says which scripts it runs and runs nothing else', async () => {
    const page = readFileSync(join(cases.limits.out, 'index.html'), 'utf8');
    expect(page).toContain(
      `content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${scriptHashSource(SORTABLE_TABLES_SCRIPT)} ${scriptHashSource(CHART_HOVER_SCRIPT)}"`,
    );
    // The two scripts, and the charts' hover data as inert JSON blocks, nothing else.
    expect(page.split('<script>').length - 1).toBe(2);
    expect(page.split('<script').length - 1 - 2).toBe(page.split('<script type="application/json" data-chart-hover>').length - 1);
  });

  it('counts the rebalances as the costConservation check does, less the initial allocations', () => {
    const page = readFileSync(join(cases.limits.out, 'index.html'), 'utf8');
    const { rebalances, checks } = cases.limits.summary as unknown as { rebalances: { count: number }; checks: { costConservation: { rebalances: number } } };
    const initial = checks.costConservation.rebalances - rebalances.count;
    expect(initial).toBe(2);
    expect(page).toContain(`${rebalances.count} after the ${initial} initial allocations`);
  });

  it("a part-B sleeve's tearsheet labels P&L, capital moved in and out and the time-weighted return, as summary.json has them", async () => {
    const { out, summary } = cases.limits;
    const strategy = 'SPX_Condors';
    const { page, problems } = await open(join(out, 'tearsheets', `strategy-${fileSlug(strategy)}.html`), DESKTOP);
    const inception = summary.asOf.strategies[strategy]?.periods.inception;
    if (inception === undefined || inception === null) throw new Error('no inception figures');
    const row = async (label: string): Promise<string> => text(page, `#transfers tr:has(td:text-is("${label}")) td:last-child`);
    expect(await row('Net capital moved in')).toBe(formatSignedUsd(inception.transfersUsd ?? Number.NaN));
    expect(await row('P&L (what the sleeve earned)')).toBe(formatSignedUsd(inception.pnlUsd));
    expect(await row('Return, time-weighted')).toBe(formatSignedPercent(inception.return));
    const moved = (await row('Capital moved in (first allocation and rebalances)')).replace(/[+$,]/g, '');
    const out_ = (await row('Capital moved out (rebalances)')).replace(/[+$,]/g, '');
    expect(Math.abs(Number(moved) + Number(out_) - (inception.transfersUsd ?? 0))).toBeLessThanOrEqual(1);
    expect(await text(page, '#periods tr[data-period="day"] td:nth-child(2)')).toBe(formatSignedUsd(summary.asOf.strategies[strategy]?.periods.day?.pnlUsd ?? Number.NaN));
    const deepest = summary.asOf.strategies[strategy]?.maxDrawdownPeriod;
    if (deepest) expect(await text(page, 'tr:has(td:text-is("Max drawdown")) td.note')).toContain(`began ${deepest.start}, lowest ${deepest.trough}`);
    await shoot(page, 'limits-strategy-1400');
    await page.context().close();
    expect(problems).toEqual([]);
  });

  it("the portfolio tearsheet attributes every strategy's P&L per period and its share of risk, sortable", async () => {
    const { out, summary } = cases.limits;
    const { page, problems } = await open(join(out, 'tearsheets', 'portfolio.html'), DESKTOP);
    const names = await page.locator('#attribution tbody tr td:first-child').allTextContents();
    expect(names.sort()).toEqual(Object.keys(summary.asOf.strategies).sort());
    expect(await text(page, '#attribution tfoot tr.total td:nth-child(2)')).toBe(formatSignedUsd(summary.attribution.periods.day?.portfolioPnlUsd ?? Number.NaN));
    expect(await text(page, '#drawdown-now')).toContain(`${formatSignedUsd(-(summary.asOf.portfolio.currentDrawdownUsd ?? 0))} below the peak`);
    await page.getByRole('button', { name: 'Inception', exact: true }).click();
    const inception = await page.locator('#attribution tbody tr td:nth-child(8)').evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-v'))));
    expect(inception).toEqual([...inception].sort((a, b) => b - a));
    await shoot(page, 'limits-portfolio-1400');
    await page.context().close();
    expect(problems).toEqual([]);
  });
});
