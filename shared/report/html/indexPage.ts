/**
 * index.html of a run: the portfolio at a glance, the checks with their figures, the warnings,
 * the strategies and accounts linking their tearsheets, and the correlation of the strategies.
 */
import type { Metrics } from '#shared/calc/metrics.ts';
import type { LimitsReport } from '#shared/calc/partBResults.ts';
import type { CheckDescription } from '#shared/report/checkDescriptions.ts';
import type { ComparisonEntry } from '#shared/report/comparison.ts';
import { formatFractionAsPercent, formatPercent, formatUsd } from '#shared/report/formatting.ts';
import { html, type SafeHtml } from './escapeHtml.ts';
import { htmlPage } from './page.ts';

export interface LevelRow {
  name: string;
  href: string;
  /** The account of a strategy. */
  account?: string;
  startingCapital: number;
  finalEquity: number;
  metrics: Metrics;
  /** E.g. "wiped out 2024-03-01", "margin alert on 3 days". */
  note: string;
}

export interface IndexInput {
  firstDate: string;
  lastDate: string;
  portfolio: LevelRow & { worstUtilizationPct: number; worstUtilizationDate: string };
  portfolioChart: Uint8Array;
  checks: CheckDescription[];
  warnings: string[];
  strategies: LevelRow[];
  accounts: LevelRow[];
  /** Names and the matrix; null when there are too many strategies for a table (see correlation.csv). */
  correlation: { names: string[]; matrix: (number | null)[][] } | null;
  /** Allocation, rebalancing and rules when part B is in use. */
  partB: PartBFacts | null;
  /** The base run and the scenarios side by side, with their equity curves. */
  scenarios: { entries: ComparisonEntry[]; chart: Uint8Array } | null;
  dataFiles: string[];
}

export interface PartBFacts {
  settings: { label: string; value: string }[];
  limits: LimitsReport | null;
}

export function indexPage(input: IndexInput): string {
  const { portfolio } = input;
  const body = html`
<h1>Portfolio Combiner report</h1>
<p class="sub">${input.firstDate} to ${input.lastDate} · ${input.strategies.length} strategies in ${input.accounts.length} accounts</p>
<div class="cards">
  ${card('Final equity', formatUsd(portfolio.finalEquity), `from ${formatUsd(portfolio.startingCapital)}`)}
  ${card('Total return', formatFractionAsPercent(portfolio.metrics.totalReturn), `CAGR ${formatFractionAsPercent(portfolio.metrics.cagr)}`)}
  ${card('Max drawdown', formatFractionAsPercent(portfolio.metrics.maxDrawdown), `longest ${portfolio.metrics.longestDrawdownDays} days`)}
  ${card('Margin utilization peak', formatPercent(portfolio.worstUtilizationPct), `on ${portfolio.worstUtilizationDate}`)}
  ${card('Sharpe', portfolio.metrics.sharpe === null ? 'n/a' : portfolio.metrics.sharpe.toFixed(2), `volatility ${formatFractionAsPercent(portfolio.metrics.volatility)}`)}
</div>
<p><a href="${portfolio.href}">Portfolio tearsheet</a></p>
<img alt="Portfolio equity and margin utilization" src="data:image/png;base64,${Buffer.from(input.portfolioChart).toString('base64')}">
<h2>Checks</h2>
<table>
<tr><th>Check</th><th>Status</th><th>Figures</th></tr>
${input.checks.map((check) => html`<tr><td>${check.name}</td><td class="${check.status}">${check.status}</td><td class="note">${check.details.map((detail, index) => html`${index > 0 ? html`<br>` : ''}${detail}`)}</td></tr>`)}
</table>
${input.partB === null ? '' : partBSection(input.partB)}
${input.scenarios === null ? '' : scenariosSection(input.scenarios)}
<h2>Warnings</h2>
${input.warnings.length === 0 ? html`<p>None.</p>` : html`<ul>${input.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>`}
<h2>Strategies</h2>
${levelTable(input.strategies, true)}
<h2>Accounts</h2>
${levelTable(input.accounts, false)}
<h2>Correlation of daily returns</h2>
${correlationTable(input.correlation)}
<h2>Data files</h2>
<ul>${input.dataFiles.map((file) => html`<li><a href="${file}">${file}</a></li>`)}</ul>
`;
  return htmlPage('Portfolio Combiner report', body);
}

function partBSection({ settings, limits }: PartBFacts): SafeHtml {
  const optional = (value: number | null, format: (value: number) => string): string => (value === null ? 'n/a' : format(value));
  return html`<h2>Allocation, rebalancing and rules</h2>
<table>${settings.map((fact) => html`<tr><td>${fact.label}</td><td class="note">${fact.value}</td></tr>`)}</table>
${limits === null
  ? ''
  : html`<h3>Limits on ${limits.date} (limits.json)</h3>
<table>
<tr><td>Equity</td><td>${formatUsd(limits.equity)}</td></tr>
<tr><td>Exposure (notional) now / allowed</td><td>${formatUsd(limits.currentExposure)} / ${optional(limits.maxExposure, formatUsd)}</td></tr>
<tr><td>Exposure available</td><td>${optional(limits.availableExposure, formatUsd)} (${optional(limits.exposureUtilizationPct, formatPercent)} used)</td></tr>
</table>
<table>
<tr><th>Strategy</th><th>Budget (sleeve capital)</th><th>Margin used</th><th>Available</th><th>Utilization</th></tr>
${Object.entries(limits.perStrategy).map(([name, figures]) => html`<tr><td>${name}</td><td>${formatUsd(figures.budget)}</td><td>${formatUsd(figures.used)}</td><td>${formatUsd(figures.available)}</td><td>${optional(figures.utilizationPct, formatPercent)}</td></tr>`)}
</table>`}`;
}

function scenariosSection({ entries, chart }: { entries: ComparisonEntry[]; chart: Uint8Array }): SafeHtml {
  const ratio = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(2));
  const rows: [string, (entry: ComparisonEntry) => string][] = [
    ['Allocation', (entry) => entry.allocation.method],
    ['Rebalancing', (entry) => `${entry.rebalance.frequency}${entry.rebalance.band === null ? '' : ' + band'}, ${entry.rebalance.costBps} bps`],
    ['Total return', (entry) => formatFractionAsPercent(entry.metrics.portfolio.totalReturn)],
    ['CAGR', (entry) => formatFractionAsPercent(entry.metrics.portfolio.cagr)],
    ['Volatility', (entry) => formatFractionAsPercent(entry.metrics.portfolio.volatility)],
    ['Sharpe', (entry) => ratio(entry.metrics.portfolio.sharpe)],
    ['Sortino', (entry) => ratio(entry.metrics.portfolio.sortino)],
    ['Max drawdown', (entry) => formatFractionAsPercent(entry.metrics.portfolio.maxDrawdown)],
    ['Calmar', (entry) => ratio(entry.metrics.portfolio.calmar)],
    ['Rebalances (cost)', (entry) => (entry.rebalances === null ? 'n/a' : `${entry.rebalances.count} (${formatUsd(entry.rebalances.totalCost)})`)],
    ['Blocked entries', (entry) => String(entry.blockedEntries)],
    ['Wipe-outs', (entry) => String(Object.keys(entry.wipeouts).length)],
    ['Checks failed', (entry) => Object.entries(entry.checks).filter(([, status]) => status === 'fail').map(([check]) => check).join(', ') || 'none'],
  ];
  return html`<h2>Scenarios</h2>
<p class="sub">The same data under other allocation, rebalancing or limits settings (comparison.json).</p>
<table>
<tr><th></th>${entries.map((entry) => html`<th>${entry.name}</th>`)}</tr>
${rows.map(([label, value]) => html`<tr><td>${label}</td>${entries.map((entry) => html`<td>${value(entry)}</td>`)}</tr>`)}
</table>
<img alt="Portfolio equity of the base run and each scenario, normalised to 1" src="data:image/png;base64,${Buffer.from(chart).toString('base64')}">`;
}

function card(label: string, value: string, note: string): SafeHtml {
  return html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div><div class="label">${note}</div></div>`;
}

function levelTable(rows: readonly LevelRow[], withAccount: boolean): SafeHtml {
  return html`<table>
<tr><th>Name</th>${withAccount ? html`<th>Account</th>` : ''}<th>Capital</th><th>Final equity</th><th>Return</th><th>CAGR</th><th>Sharpe</th><th>Max drawdown</th><th>Notes</th></tr>
${rows.map(
  (row) => html`<tr><td><a href="${row.href}">${row.name}</a></td>${withAccount ? html`<td>${row.account ?? ''}</td>` : ''}<td>${formatUsd(row.startingCapital)}</td><td>${formatUsd(row.finalEquity)}</td><td>${formatFractionAsPercent(row.metrics.totalReturn)}</td><td>${formatFractionAsPercent(row.metrics.cagr)}</td><td>${row.metrics.sharpe === null ? 'n/a' : row.metrics.sharpe.toFixed(2)}</td><td>${formatFractionAsPercent(row.metrics.maxDrawdown)}</td><td class="note">${row.note}</td></tr>`,
)}
</table>`;
}

function correlationTable(correlation: IndexInput['correlation']): SafeHtml {
  if (correlation === null) return html`<p>Too many strategies for a table: the matrix is in <a href="correlation.csv">correlation.csv</a>.</p>`;
  const shade = (value: number | null): string => {
    if (value === null) return '#f4f4f4';
    const strength = Math.round(Math.min(1, Math.abs(value)) * 60);
    return value >= 0 ? `hsl(140, 45%, ${100 - strength * 0.6}%)` : `hsl(5, 60%, ${100 - strength * 0.6}%)`;
  };
  return html`<p class="sub">Pearson's r over the dates both strategies cover (also in <a href="correlation.csv">correlation.csv</a>).</p>
<table class="matrix">
<tr><th></th>${correlation.names.map((name) => html`<th>${name}</th>`)}</tr>
${correlation.matrix.map(
  (row, i) => html`<tr><th>${correlation.names[i] ?? ''}</th>${row.map((value) => html`<td style="background: ${shade(value)}">${value === null ? 'n/a' : value.toFixed(2)}</td>`)}</tr>`,
)}
</table>`;
}
