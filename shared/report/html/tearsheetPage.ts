/**
 * A tearsheet: one self-contained HTML page for a strategy, an account or the portfolio, with the
 * metrics of SPEC 7, the rows a QuantStats user expects beyond them, each with a note on how it
 * is computed, the monthly returns, the worst drawdowns and the charts inline.
 */
import type { Metrics } from '#shared/calc/metrics.ts';
import { formatFractionAsPercent, formatUsd } from '#shared/report/formatting.ts';
import type { Level } from '#shared/report/reportNames.ts';
import { html, type SafeHtml } from './escapeHtml.ts';
import { htmlPage } from './page.ts';

export interface DatedDrawdown {
  start: string;
  valley: string;
  end: string;
  days: number;
  depth: number;
  recovered: boolean;
}

export interface TearsheetInput {
  level: Level;
  name: string;
  firstDate: string;
  lastDate: string;
  startingCapital: number;
  finalEquity: number;
  metrics: Metrics;
  /** The five deepest drawdowns, deepest first. */
  worstDrawdowns: DatedDrawdown[];
  /** Facts about the level: sizing, account, checks. */
  facts: { label: string; value: string }[];
  charts: { alt: string; png: Uint8Array }[];
  /** Relative links: back to the index, to the account, ... */
  links: { label: string; href: string }[];
}

const levelTitle: Record<Level, string> = { strategy: 'Strategy', account: 'Account', portfolio: 'Portfolio' };

export function tearsheetPage(input: TearsheetInput): string {
  const { metrics } = input;
  const months = Object.entries(metrics.monthlyReturns);
  const best = months.reduce<[string, number] | null>((top, entry) => (top === null || entry[1] > top[1] ? entry : top), null);
  const worst = months.reduce<[string, number] | null>((low, entry) => (low === null || entry[1] < low[1] ? entry : low), null);
  const deepest = input.worstDrawdowns[0];
  const body = html`
<p>${input.links.map((link, index) => html`${index > 0 ? ' · ' : ''}<a href="${link.href}">${link.label}</a>`)}</p>
<h1>${input.level === 'portfolio' ? 'Portfolio' : `${levelTitle[input.level]}: ${input.name}`}</h1>
<p class="sub">${input.firstDate} to ${input.lastDate} · started with ${formatUsd(input.startingCapital)} · ends with ${formatUsd(input.finalEquity)}</p>
${input.charts.map((chart) => html`<img alt="${chart.alt}" src="data:image/png;base64,${Buffer.from(chart.png).toString('base64')}">`)}
<h2>Metrics</h2>
<table>
<tr><th>Metric</th><th>Value</th><th>How it is computed</th></tr>
${metricRow('Cumulative return', percent(metrics.totalReturn), 'Compounded daily returns: prod(1 + R) - 1 over the dates shown.')}
${metricRow('CAGR', percent(metrics.cagr), `Annual growth over calendar time: (1 + cumulative)^(1 / years) - 1, years = calendar days / 365.25 (${metrics.years.toFixed(2)} years).`)}
${metricRow('Sharpe', ratio(metrics.sharpe), 'Mean daily excess return / its standard deviation (ddof 1) x sqrt(periods per year); daily risk-free rate (1 + rf)^(1/P) - 1.')}
${metricRow('Sortino', ratio(metrics.sortino), 'Mean daily excess return / sqrt(sum of squared negative excess returns / all days) x sqrt(periods per year).')}
${metricRow('Volatility', percent(metrics.volatility), 'Standard deviation of daily returns (ddof 1) x sqrt(periods per year).')}
${metricRow('Max drawdown', percent(metrics.maxDrawdown), deepest === undefined ? 'Never under water.' : `Deepest fall from a running peak (the start counts as a peak): began ${deepest.start}, lowest ${deepest.valley}, ${deepest.recovered ? `last day under water ${deepest.end}` : 'not recovered by the end'}.`)}
${metricRow('Longest drawdown', `${metrics.longestDrawdownDays} days`, 'Calendar days from the first to the last date under water of one drawdown, both counted.')}
${metricRow('Calmar', ratio(metrics.calmar), 'CAGR / |max drawdown|.')}
${metricRow('Win rate', percent(metrics.winRate), 'Days with a gain / days with a gain or a loss (flat days left out).')}
${metricRow('Best day', percent(metrics.bestDay), 'The largest daily return.')}
${metricRow('Worst day', percent(metrics.worstDay), 'The smallest daily return.')}
${metricRow('Best month', best === null ? 'n/a' : `${percent(best[1])} (${best[0]})`, 'Compounded returns of the dates in a calendar month.')}
${metricRow('Worst month', worst === null ? 'n/a' : `${percent(worst[1])} (${worst[0]})`, 'Compounded returns of the dates in a calendar month.')}
</table>
${input.facts.length === 0 ? '' : html`<h2>Details</h2><table>${input.facts.map((fact) => html`<tr><td>${fact.label}</td><td>${fact.value}</td></tr>`)}</table>`}
<h2>Monthly returns</h2>
${monthlyTable(metrics.monthlyReturns)}
<h2>Worst drawdowns</h2>
${drawdownTable(input.worstDrawdowns)}
`;
  return htmlPage(input.level === 'portfolio' ? 'Portfolio: tearsheet' : `${levelTitle[input.level]} ${input.name}: tearsheet`, body);
}

function metricRow(label: string, value: string, note: string): SafeHtml {
  return html`<tr><td>${label}</td><td>${value}</td><td class="note">${note}</td></tr>`;
}

function percent(value: number | null): string {
  return formatFractionAsPercent(value);
}

function ratio(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthlyTable(monthlyReturns: Record<string, number>): SafeHtml {
  const years = [...new Set(Object.keys(monthlyReturns).map((month) => month.slice(0, 4)))].sort();
  const cell = (value: number | undefined): SafeHtml =>
    value === undefined ? html`<td></td>` : html`<td class="${value < 0 ? 'neg' : value > 0 ? 'pos' : ''}">${(value * 100).toFixed(2)}%</td>`;
  return html`<table>
<tr><th>Year</th>${MONTH_NAMES.map((month) => html`<th>${month}</th>`)}<th>Year</th></tr>
${years.map((year) => {
  const values = MONTH_NAMES.map((_, month) => monthlyReturns[`${year}-${String(month + 1).padStart(2, '0')}`]);
  const total = values.reduce<number>((growth, value) => growth * (1 + (value ?? 0)), 1) - 1;
  return html`<tr><td>${year}</td>${values.map(cell)}${cell(total)}</tr>`;
})}
</table>`;
}

function drawdownTable(drawdowns: readonly DatedDrawdown[]): SafeHtml {
  if (drawdowns.length === 0) return html`<p>Never under water.</p>`;
  return html`<table>
<tr><th>Started</th><th>Lowest</th><th>Last day under water</th><th>Days</th><th>Depth</th></tr>
${drawdowns.map((drawdown) => html`<tr><td>${drawdown.start}</td><td>${drawdown.valley}</td><td>${drawdown.recovered ? drawdown.end : `${drawdown.end} (not recovered)`}</td><td>${drawdown.days}</td><td class="neg">${percent(drawdown.depth)}</td></tr>`)}
</table>`;
}
