/**
 * The report a portfolio manager opens: every chart is a real PNG of the expected size, the
 * pages hold the figures, and names full of quotes, markup, unicode or 200 characters are
 * escaped in the HTML and safe in file names.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '#shared/report/html/page.ts';
import { SORTABLE_TABLES_SCRIPT } from '#shared/report/html/sortableTable.ts';
import { CHART_HOVER_SCRIPT } from '#shared/report/html/chartHover.ts';
import { fileSlug } from '#shared/report/reportNames.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
}

/** The text of each inline script of a page. */
const OWN_SCRIPTS = [SORTABLE_TABLES_SCRIPT, CHART_HOVER_SCRIPT];

function pageScripts(page: string): string[] {
  return [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
}

/** The page without its own scripts and without its charts' hover data (inert JSON, names escaped as \u003c). */
function withoutOwnScripts(page: string): string {
  return OWN_SCRIPTS.reduce((rest, script) => rest.replaceAll(`<script>${script}</script>`, ''), page).replace(/<script type="application\/json" data-chart-hover>[^<]*<\/script>/g, '');
}

describe('the report of the bundled sample', () => {
  let out = '';
  beforeAll(async () => {
    out = scratchFolder('report');
    expect((await runCli(['run', '--data', SAMPLE, '--out', out])).exitCode).toBe(0);
  });

  it('has a chart and a tearsheet for every strategy, account and the portfolio, and an index', () => {
    const files = filesUnder(out);
    // Equity per level, the portfolio's drawdown, monthly returns and strategies; rolling figures and a returns histogram per account and the portfolio (SPEC 18).
    expect(files.filter((file) => file.startsWith('charts/'))).toHaveLength(3 + 2 + 1 + 3 + 2 * (2 + 1));
    expect(files.filter((file) => file.startsWith('tearsheets/'))).toHaveLength(3 + 2 + 1);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'correlation.csv', 'charts/portfolio.png', 'tearsheets/portfolio.html']));
  });

  it('draws every chart as a PNG that decodes, 960 pixels wide, with ink on it', async () => {
    for (const file of filesUnder(out).filter((name) => name.endsWith('.png'))) {
      const image = await loadImage(readFileSync(join(out, file)));
      expect(image.width, file).toBe(960);
      expect(image.height, file).toBeGreaterThanOrEqual(300);
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      let inked = 0;
      for (let at = 0; at < pixels.length; at += 4) if ((pixels[at] ?? 255) < 200 || (pixels[at + 1] ?? 255) < 200) inked += 1;
      expect(inked / (image.width * image.height), `${file} is not blank`).toBeGreaterThan(0.01);
    }
    const equity = await loadImage(readFileSync(join(out, 'charts/portfolio.png')));
    expect([equity.width, equity.height]).toEqual([960, 610]);
  });

  it('shows the headline figures on the index and the metrics with their notes on a tearsheet', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('$1,113,111.03');
    expect(index).toContain('<td class="pass">pass</td>');
    const tearsheet = readFileSync(join(out, `tearsheets/strategy-${fileSlug('Forex_Trend')}.html`), 'utf8');
    for (const row of ['Cumulative return', 'CAGR', 'Sharpe', 'Sortino', 'Volatility', 'Max drawdown', 'Longest drawdown', 'Calmar', 'Win rate', 'Best day', 'Worst month']) {
      expect(tearsheet).toContain(`<td>${row}</td>`);
    }
    expect(tearsheet).toContain('calendar days / 365.25');
    expect(tearsheet).toMatch(/<h2>Worst drawdowns<\/h2>\s*<table>/);
    expect(tearsheet).toContain('src="data:image/png;base64,');
  });

  it('lets no page fetch anything from the network, and run no script but its own, allowed by its hash', () => {
    for (const file of filesUnder(out).filter((name) => name.endsWith('.html'))) {
      const page = readFileSync(join(out, file), 'utf8');
      expect(page, file).toContain(`content="${contentSecurityPolicy(pageScripts(page))}"`);
      expect(contentSecurityPolicy(pageScripts(page)), file).toMatch(/^default-src 'none'; img-src data:; style-src 'unsafe-inline'(; script-src( 'sha256-[A-Za-z0-9+/=]+')+)?$/);
      expect(page, file).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    expect(pageScripts(readFileSync(join(out, 'index.html'), 'utf8'))).toEqual([SORTABLE_TABLES_SCRIPT, CHART_HOVER_SCRIPT]);
  });
});

describe('hostile names', () => {
  const names = {
    script: '<img src=x onerror=alert("x")>',
    account: '</td><script>alert(1)</script>',
    quotes: `Fund "A", 'B' & Co`,
    // Not the strategy's name: a strategy may not have an account's name (SPEC 16.3).
    quotesAccount: `Broker "A", 'B' & Co`,
    unicode: 'Ünïcödé 策略 📈',
    long: `L${'o'.repeat(198)}ng`,
  };

  it('are escaped in every page and kept out of file names', async () => {
    const root = scratchFolder('names');
    const data = join(root, 'data');
    mkdirSync(data);
    const csv = 'Date,Return,Margin_Used,Notional_Value\n2024-01-02,0.01,1000,10000\n2024-01-03,-0.02,2000,20000\n2024-01-04,0.005,1000,10000\n';
    for (const name of [names.script, names.quotes, names.unicode, names.long]) writeFileSync(join(data, `${name}.csv`), csv);
    const strategy = (name: string, account: string) => ({ name, account, marginPerUnit: 1000, minPosition: 1, increment: 1, allocatedCapital: 10_000, maxPositionScale: 1 });
    writeFileSync(
      join(data, 'portfolio.json'),
      JSON.stringify({
        accounts: [{ name: names.quotesAccount, startingCapital: 50_000 }, { name: names.account, startingCapital: 50_000 }],
        strategies: [
          strategy(names.script, names.account),
          strategy(names.quotes, names.quotesAccount),
          strategy(names.unicode, names.quotesAccount),
          strategy(names.long, names.account),
        ],
      }),
    );
    const out = join(root, 'out');
    const result = await runCli(['run', '--data', data, '--out', out]);
    expect(result.exitCode, result.stderr.join('\n')).toBe(0);

    const files = filesUnder(out);
    for (const file of files) expect(file, 'a safe file name').toMatch(/^[a-z0-9_./-]+$/);
    for (const file of files.filter((name) => name.endsWith('.html'))) {
      const page = readFileSync(join(out, file), 'utf8');
      // The page's own scripts are the only ones, each allowed by its hash.
      expect(pageScripts(page).every((script) => OWN_SCRIPTS.includes(script)), file).toBe(true);
      expect(withoutOwnScripts(page), file).not.toContain('<script');
      expect(page, file).not.toContain('<img src=x');
      expect(page, file).not.toContain(`Fund "A"`);
      expect(page, file).not.toContain(`Broker "A"`);
    }
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('&lt;img src=x onerror=alert(&quot;x&quot;)&gt;');
    expect(index).toContain('&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(index).toContain('Fund &quot;A&quot;, &#39;B&#39; &amp; Co');
    expect(index).toContain('Ünïcödé 策略 📈');
    expect(index).toContain(names.long);
    expect(fileSlug(names.long).length).toBeLessThanOrEqual(49);
    expect(fileSlug(names.unicode)).not.toBe(fileSlug('Unicode'));
    expect(readFileSync(join(out, '1_master_aligned_data.csv'), 'utf8').split('\n')[0]).toContain('"Fund ""A"", \'B\' & Co_Return_%"');
  });
});
