/**
 * A tearsheet: one self-contained HTML page for a strategy, an account or the portfolio, with its
 * periods and drawdown now (SPEC 15: P&L in dollars beside the time-weighted return, never final
 * over starting equity), a part-B sleeve's capital moved in and out, the metrics of SPEC 7 and the
 * rows a QuantStats user expects beyond them, each with a note on how it is computed, the
 * attribution per strategy of an account or the portfolio (SPEC 16), the monthly returns, the
 * worst drawdowns and the charts inline.
 */
import { PERIOD_NAMES, type PeriodName } from '#shared/calc/asOfPeriods.ts';
import type { Metrics } from '#shared/calc/metrics.ts';
import type { LevelAsOf } from '#shared/calc/partCResults.ts';
import type { DollarTailRisk } from '#shared/calc/valueAtRisk.ts';
import type { BenchmarkFigures } from '#shared/calc/benchmark.ts';
import { annualisedFigure, NOT_MEANINGFUL_NOTE, tooShortToAnnualise } from '#shared/report/annualisedFigures.ts';
import { countOf, formatFractionAsPercent, formatProbabilisticSharpe, formatSignedPercent, formatSignedUsd, formatUsd } from '#shared/report/formatting.ts';
import type { Level } from '#shared/report/reportNames.ts';
import { formatNumber } from '#shared/numbers.ts';
import { html, type SafeHtml } from './escapeHtml.ts';
import { htmlPage } from './page.ts';
import { CHART_HOVER_SCRIPT, chartImage } from './chartHover.ts';
import { figureCell, scrollBox, SORTABLE_TABLES_SCRIPT, sortHeader } from './sortableTable.ts';

export interface DatedDrawdown {
  start: string;
  valley: string;
  end: string;
  days: number;
  depth: number;
  recovered: boolean;
}

/** A strategy's (or the costs', or the level's own) P&L per period and share of risk (SPEC 16). */
export interface AttributionRow {
  name: string;
  href: string | null;
  /** Dollars per period; null when the period has no date or the figure does not apply. */
  periods: Record<PeriodName, number | null>;
  /** SPEC 16.2's contribution over the trailing and the inception window. */
  trailingShare: number | null;
  inceptionShare: number | null;
}

export interface TearsheetInput {
  level: Level;
  /** SPEC 15's figures of the level (summary.json asOf). */
  asOf: LevelAsOf;
  /** A part-B sleeve's capital moved in and out (SPEC 15.1 transfers), its net and its P&L since inception. */
  transfers: { inUsd: number; outUsd: number; moves: number; netUsd: number | null; pnlUsd: number | null } | null;
  /** An account's or the portfolio's P&L and risk per strategy. */
  attribution: { riskDays: { trailing: number; inception: number }; strategies: AttributionRow[]; costs: AttributionRow; total: AttributionRow } | null;
  name: string;
  firstDate: string;
  lastDate: string;
  startingCapital: number;
  finalEquity: number;
  metrics: Metrics;
  /** SPEC 17: the level against the benchmark (pairs of dates both have); the benchmark's own metrics on the portfolio's page. */
  benchmark: { name: string; file: string; days: number; figures: BenchmarkFigures; metrics: Metrics | null } | null;
  /** SPEC 18.1's value at risk in dollars of an account or the portfolio (null for a strategy). */
  dollarTails: DollarTailRisk | null;
  /** The five deepest drawdowns, deepest first. */
  worstDrawdowns: DatedDrawdown[];
  /** Facts about the level: sizing, account, checks. */
  facts: { label: string; value: string }[];
  charts: { alt: string; png: Uint8Array }[];
  /** Relative links: back to the index, to the account, ... */
  links: { label: string; href: string }[];
  /** Issue 15, a strategy restated since the previous copy of the inputs: its rows of restatements.csv. */
  restated: RestatedValues | null;
}

/** A strategy's values that differ from the previous copy, as restatements.csv lists them. */
export interface RestatedValues {
  /** How summary.json names the previous copy. */
  previous: string;
  /** Its lines in restatements.csv (the header is line 1). */
  lines: { first: number; last: number };
  rows: { date: string; kind: 'changed' | 'removed' | 'inserted'; column: string; previous: number | null; current: number | null; difference: number | null }[];
}

const levelTitle: Record<Level, string> = { strategy: 'Strategy', account: 'Account', portfolio: 'Portfolio' };

const PERIOD_LABELS: Record<PeriodName, string> = { day: 'Day', wtd: 'Week to date', mtd: 'Month to date', qtd: 'Quarter to date', ytd: 'Year to date', '1y': 'Trailing year', inception: 'Since inception' };

export function tearsheetPage(input: TearsheetInput): string {
  const { metrics, asOf } = input;
  const months = Object.entries(metrics.monthlyReturns);
  const best = months.reduce<[string, number] | null>((top, entry) => (top === null || entry[1] > top[1] ? entry : top), null);
  const worst = months.reduce<[string, number] | null>((low, entry) => (low === null || entry[1] < low[1] ? entry : low), null);
  const deepest = asOf.maxDrawdownPeriod;
  const annualised = (value: number | null, format: (value: number | null) => string): string => annualisedFigure(metrics.years, value, format);
  const partB = input.transfers !== null;
  const dollarTails = input.dollarTails;
  const body = html`
<p>${input.links.map((link, index) => html`${index > 0 ? ' · ' : ''}<a href="${link.href}">${link.label}</a>`)}</p>
<h1>${input.level === 'portfolio' ? 'Portfolio' : `${levelTitle[input.level]}: ${input.name}`}</h1>
<p class="sub"><span class="nowrap">${input.firstDate}</span> to <span class="nowrap">${input.lastDate}</span> · ${partB ? html`equity <span class="nowrap">${formatUsd(input.finalEquity)}</span> on its last date` : html`started with <span class="nowrap">${formatUsd(input.startingCapital)}</span> · ends with <span class="nowrap">${formatUsd(input.finalEquity)}</span>`}</p>
<h2>Periods</h2>
${periodTable(asOf, input.level === 'strategy')}
${drawdownNow(asOf)}
${input.transfers === null ? '' : transfersTable(input.transfers, input.finalEquity, asOf)}
${input.charts.map((chart) => chartImage(chart.png, chart.alt))}
${input.restated === null ? '' : restatedSection(input.restated)}
<h2>Metrics</h2>
${scrollBox(html`<table>
<tr><th>Metric</th><th>Value</th><th>How it is computed</th></tr>
${metricRow('Cumulative return', percent(metrics.totalReturn), 'Time-weighted: compounded daily returns, prod(1 + R) - 1 over the dates shown (capital moved in or out does not count as a gain).')}
${metricRow('CAGR', annualised(metrics.cagr, percent), `Annual growth over calendar time: (1 + cumulative)^(1 / years) - 1, years = calendar days / 365.25 (${metrics.years.toFixed(2)} years).`)}
${metricRow('Sharpe', `${annualised(metrics.sharpe, ratio)} · ${formatProbabilisticSharpe(metrics.probabilisticSharpe)}`, 'Mean daily excess return / its standard deviation (ddof 1) x sqrt(periods per year); daily risk-free rate (1 + rf)^(1/P) - 1. PSR, the probabilistic Sharpe (SPEC 18.1): the probability that the true Sharpe is above 0 given how many days there are and how skewed and fat-tailed they are.')}
${metricRow('Sortino', annualised(metrics.sortino, ratio), 'Mean daily excess return / sqrt(sum of squared negative excess returns / all days) x sqrt(periods per year).')}
${metricRow('Volatility', annualised(metrics.volatility, percent), 'Standard deviation of daily returns (ddof 1) x sqrt(periods per year).')}
${metricRow('Max drawdown', percent(metrics.maxDrawdown), deepest === null ? 'Never under water.' : `Deepest fall from a running peak (the start counts as a peak): began ${deepest.start}, lowest ${deepest.trough}, ${deepest.end === null ? 'not recovered by the end' : `recovered ${deepest.end}`}; ${countOf(deepest.days, 'calendar day')} from its start to its last day under water.`)}
${asOf.maxDrawdownUsd === undefined ? '' : metricRow('Largest dollar drawdown', formatUsd(asOf.maxDrawdownUsd), 'The most dollars of equity below its running peak (the starting capital counts as a peak), SPEC 12.4.')}
${metricRow('Longest drawdown', `${metrics.longestDrawdownDays} days`, 'Calendar days from the first to the last date under water of the longest drawdown, both counted (not necessarily the deepest one above).')}
${metricRow('Calmar', annualised(metrics.calmar, ratio), 'CAGR / |max drawdown|.')}
${metricRow('Win rate', percent(metrics.winRate), 'Days with a gain / days with a gain or a loss (flat days left out).')}
${metricRow('Best day', percent(metrics.bestDay), 'The largest daily return.')}
${metricRow('Worst day', percent(metrics.worstDay), 'The smallest daily return.')}
${metricRow('Skew', ratio(metrics.skew), 'Whether the big days are gains (positive) or losses (negative): the third moment of daily returns, as pandas skew().')}
${metricRow('Kurtosis (excess)', ratio(metrics.kurtosis), 'How much more often than a normal distribution extreme days come (0 for normal): as pandas kurt().')}
${metricRow('Value at risk 95 % / 99 %', `${percent(metrics.var95)} / ${percent(metrics.var99)}${dollarTails === null ? '' : ` (${dollars(dollarTails.var95Usd)} / ${dollars(dollarTails.var99Usd)})`}`, 'The loss of the worst day out of 20 (out of 100) in this history: the k-th worst daily return, k = max(1, ceil(a n)); a loss is positive.')}
${metricRow('Expected shortfall 95 % / 99 %', `${percent(metrics.cvar95)} / ${percent(metrics.cvar99)}${dollarTails === null ? '' : ` (${dollars(dollarTails.cvar95Usd)} / ${dollars(dollarTails.cvar99Usd)})`}`, 'Conditional value at risk: the mean loss of those worst days, what a bad day costs on average once it comes.')}
${metricRow('Best month', best === null ? 'n/a' : `${percent(best[1])} (${best[0]})`, 'Compounded returns of the dates in a calendar month.')}
${metricRow('Worst month', worst === null ? 'n/a' : `${percent(worst[1])} (${worst[0]})`, 'Compounded returns of the dates in a calendar month.')}
</table>`)}
${tooShortToAnnualise(metrics.years) ? html`<p class="sub">${NOT_MEANINGFUL_NOTE}</p>` : ''}
${input.benchmark === null ? '' : benchmarkSection(input.benchmark, metrics)}
${input.attribution === null ? '' : attributionSection(input.attribution)}
${input.facts.length === 0 ? '' : html`<h2>Details</h2><table>${input.facts.map((fact) => html`<tr><td>${fact.label}</td><td class="wrap">${fact.value}</td></tr>`)}</table>`}
<h2>Monthly returns</h2>
${monthlyTable(metrics.monthlyReturns)}
<h2>Worst drawdowns</h2>
${drawdownTable(input.worstDrawdowns)}
`;
  return htmlPage(input.level === 'portfolio' ? 'Portfolio: tearsheet' : `${levelTitle[input.level]} ${input.name}: tearsheet`, body, {
    scripts: [...(input.attribution === null ? [] : [SORTABLE_TABLES_SCRIPT]), CHART_HOVER_SCRIPT],
  });
}

/** Issue 15: every value re-sent differently, as restatements.csv has it, with its difference; crosses mark the dates on the chart above. */
function restatedSection({ previous, lines, rows }: RestatedValues): SafeHtml {
  const value = (number: number | null): string => (number === null ? '' : formatNumber(number));
  // Twelve significant digits: the subtraction's last bits are noise, a change of 1e-12 is not.
  const difference = (number: number | null): string => (number === null ? '' : formatNumber(Number(number.toPrecision(12))));
  const dates = new Set(rows.map((row) => row.date)).size;
  return html`<h2 id="restated">Restated since the previous copy</h2>
<p class="sub">${countOf(dates, 'past date')} of this track record differ from the previous copy ${previous} (crosses on the equity chart; <a href="../restatements.csv">restatements.csv</a> ${lines.first === lines.last ? `line ${lines.first}` : `lines ${lines.first} to ${lines.last}`}). A removed date was in the previous copy only, an inserted one is new on or before its last date.</p>
${scrollBox(html`<table id="restated-values">
<tr><th>Date</th><th>What</th><th>Column</th><th>Previous</th><th>Current</th><th>Difference</th></tr>
${rows.map((row) => html`<tr><td>${row.date}</td><td>${row.kind}</td><td>${row.column}</td><td>${value(row.previous)}</td><td>${value(row.current)}</td><td>${difference(row.difference)}</td></tr>`)}
</table>`)}`;
}

/** Each period of SPEC 15.2: its dates, P&L in dollars and time-weighted return (a strategy's transfers too). */
function periodTable(asOf: LevelAsOf, withTransfers: boolean): SafeHtml {
  return scrollBox(html`<table id="periods">
<tr><th>Period</th><th>P&amp;L</th><th>Return (time-weighted)</th>${withTransfers ? html`<th>Capital moved in (net)</th>` : ''}<th>From</th><th>To</th><th>Dates</th></tr>
${PERIOD_NAMES.map((name) => {
  const figures = asOf.periods[name];
  if (figures === null) return html`<tr><td>${PERIOD_LABELS[name]}</td><td colspan="${withTransfers ? 6 : 5}" class="left">${name === '1y' ? 'n/a: less than a year of history' : 'n/a: no date in the period'}</td></tr>`;
  return html`<tr data-period="${name}"><td>${PERIOD_LABELS[name]}</td><td class="${signClass(figures.pnlUsd)}">${formatSignedUsd(figures.pnlUsd)}</td><td>${formatSignedPercent(figures.return)}</td>${withTransfers ? html`<td>${figures.transfersUsd === undefined ? 'n/a' : formatSignedUsd(figures.transfersUsd)}</td>` : ''}<td>${figures.first}</td><td>${figures.last}</td><td>${figures.days}</td></tr>`;
})}
</table>`);
}

/** Drawdown now (SPEC 15.3): depth, dollars for accounts and the portfolio, since when. */
function drawdownNow(asOf: LevelAsOf): SafeHtml {
  if (asOf.drawdownStart === null) return html`<p id="drawdown-now"><strong>Drawdown now:</strong> none, at a peak on its last date.</p>`;
  return html`<p id="drawdown-now"><strong>Drawdown now:</strong> <span class="nowrap neg">${formatSignedPercent(asOf.currentDrawdown)}</span>${asOf.currentDrawdownUsd === undefined ? '' : html` (<span class="nowrap">${formatSignedUsd(-asOf.currentDrawdownUsd)}</span> below the peak)`}, under water since <span class="nowrap">${asOf.drawdownStart}</span> (${countOf(asOf.daysUnderWater, 'day')}).</p>`;
}

/** A part-B sleeve: what it was given, what was taken back, what it earned, each labelled, and the time-weighted return beside them. */
function transfersTable(transfers: NonNullable<TearsheetInput['transfers']>, finalEquity: number, asOf: LevelAsOf): SafeHtml {
  const inception = asOf.periods.inception;
  return html`<h2>Capital and P&amp;L since inception</h2>
${scrollBox(html`<table id="transfers">
<tr><td>Capital moved in (first allocation and rebalances)</td><td>${formatSignedUsd(transfers.inUsd)}</td></tr>
<tr><td>Capital moved out (rebalances)</td><td>${formatSignedUsd(transfers.outUsd)}</td></tr>
<tr><td>Net capital moved in</td><td>${transfers.netUsd === null ? 'n/a' : formatSignedUsd(transfers.netUsd)}</td></tr>
<tr><td>P&amp;L (what the sleeve earned)</td><td>${transfers.pnlUsd === null ? 'n/a' : formatSignedUsd(transfers.pnlUsd)}</td></tr>
<tr><td>Equity on its last date (net moved in + P&amp;L)</td><td>${formatUsd(finalEquity)}</td></tr>
<tr><td>Return, time-weighted</td><td>${inception === null ? 'n/a' : formatSignedPercent(inception.return)}</td></tr>
</table>`)}
<p class="sub">Capital moved ${countOf(transfers.moves, 'time')} (4_rebalance_log.csv). The return compounds the sleeve's daily returns, so capital moved in or out is not counted as a gain or a loss; equity over the first allocation is not a return.</p>`;
}

/** An account's or the portfolio's P&L per strategy and period, and each strategy's share of risk (SPEC 16). */
function attributionSection(attribution: NonNullable<TearsheetInput['attribution']>): SafeHtml {
  const cells = (row: AttributionRow): SafeHtml =>
    html`${PERIOD_NAMES.map((period) => {
      const value = row.periods[period];
      return figureCell(value, value === null ? 'n/a' : formatSignedUsd(value), value === null ? '' : signClass(value));
    })}${figureCell(row.trailingShare, row.trailingShare === null ? 'n/a' : formatFractionAsPercent(row.trailingShare, 1))}${figureCell(row.inceptionShare, row.inceptionShare === null ? 'n/a' : formatFractionAsPercent(row.inceptionShare, 1))}`;
  const name = (row: AttributionRow): SafeHtml => (row.href === null ? html`<td>${row.name}</td>` : html`<td><a href="${row.href}">${row.name}</a></td>`);
  return html`<h2>Attribution</h2>
<p class="sub">Where the P&amp;L came from (dollars per period, SPEC 16.1) and where the risk comes from: each strategy's share of the daily dollar P&amp;L variance over the last ${countOf(attribution.riskDays.trailing, 'date')} and since inception (${countOf(attribution.riskDays.inception, 'date')}), SPEC 16.2. Click a heading to sort.</p>
${scrollBox(html`<table class="sortable" id="attribution">
<thead><tr>${sortHeader('Strategy', false)}${PERIOD_NAMES.map((period) => sortHeader(PERIOD_SHORT[period]))}${sortHeader('Risk share (trailing)')}${sortHeader('Risk share (inception)')}</tr></thead>
<tbody>${attribution.strategies.map((row) => html`<tr>${name(row)}${cells(row)}</tr>`)}</tbody>
<tfoot><tr>${name(attribution.costs)}${cells(attribution.costs)}</tr><tr class="total">${name(attribution.total)}${cells(attribution.total)}</tr></tfoot>
</table>`)}`;
}

/** SPEC 17 in a manager's words: how the level moved with the benchmark, and what it added beyond it. */
function benchmarkSection(benchmark: NonNullable<TearsheetInput['benchmark']>, metrics: Metrics): SafeHtml {
  const { figures } = benchmark;
  const own = benchmark.metrics;
  const comparison =
    own === null
      ? ''
      : scrollBox(html`<table id="benchmark-metrics">
<tr><th>Metric</th><th>This portfolio</th><th>${benchmark.name}</th></tr>
<tr><td>Cumulative return</td><td>${percent(metrics.totalReturn)}</td><td>${percent(own.totalReturn)}</td></tr>
<tr><td>CAGR</td><td>${annualisedFigure(metrics.years, metrics.cagr, percent)}</td><td>${annualisedFigure(own.years, own.cagr, percent)}</td></tr>
<tr><td>Volatility</td><td>${annualisedFigure(metrics.years, metrics.volatility, percent)}</td><td>${annualisedFigure(own.years, own.volatility, percent)}</td></tr>
<tr><td>Sharpe</td><td>${annualisedFigure(metrics.years, metrics.sharpe, ratio)} · ${formatProbabilisticSharpe(metrics.probabilisticSharpe)}</td><td>${annualisedFigure(own.years, own.sharpe, ratio)} · ${formatProbabilisticSharpe(own.probabilisticSharpe)}</td></tr>
<tr><td>Max drawdown</td><td>${percent(metrics.maxDrawdown)}</td><td>${percent(own.maxDrawdown)}</td></tr>
</table>`);
  return html`<h2>Against the benchmark: ${benchmark.name}</h2>
<p class="sub">${benchmark.file}: ${countOf(benchmark.days, 'date')} within the report's dates; compared on the ${countOf(figures.days, 'date')} this ${own === null ? 'page' : 'portfolio'} shares with it (SPEC 17).</p>
${comparison}
${scrollBox(html`<table id="benchmark">
<tr><th>Figure</th><th>Value</th><th>What it says</th></tr>
${metricRow('Beta', ratio(figures.beta), 'How much it moves per 1 % move of the benchmark: cov(R, R_b) / var(R_b).')}
${metricRow('Alpha (annualised)', percent(figures.alpha), 'What it earned a year beyond what its beta to the benchmark explains, over the risk-free rate.')}
${metricRow('Correlation', ratio(figures.correlation), 'How closely its daily returns move with the benchmark\'s (1 in step, 0 unrelated, -1 opposite).')}
${metricRow('Tracking error', percent(figures.trackingError), 'How far its returns wander from the benchmark\'s: std(R - R_b) x sqrt(periods per year).')}
${metricRow('Information ratio', ratio(figures.informationRatio), 'Its return beyond the benchmark per unit of tracking error, annualised.')}
${metricRow('Up capture', ratio(figures.upCapture), 'Its mean return on the benchmark\'s up days over the benchmark\'s (above 1: it gains more when the benchmark gains).')}
${metricRow('Down capture', ratio(figures.downCapture), 'The same on the benchmark\'s down days (below 1: it loses less when the benchmark loses).')}
</table>`)}`;
}

const PERIOD_SHORT: Record<PeriodName, string> = { day: 'Day', wtd: 'WTD', mtd: 'MTD', qtd: 'QTD', ytd: 'YTD', '1y': '1Y', inception: 'Inception' };

function signClass(value: number): string {
  return value > 0 ? 'pos' : value < 0 ? 'neg' : '';
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

function dollars(value: number | null): string {
  return value === null ? 'n/a' : formatUsd(value);
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthlyTable(monthlyReturns: Record<string, number>): SafeHtml {
  const years = [...new Set(Object.keys(monthlyReturns).map((month) => month.slice(0, 4)))].sort();
  const cell = (value: number | undefined): SafeHtml =>
    value === undefined ? html`<td></td>` : html`<td class="${value < 0 ? 'neg' : value > 0 ? 'pos' : ''}">${monthPercent(value)}</td>`;
  return scrollBox(html`<table>
<tr><th>Year</th>${MONTH_NAMES.map((month) => html`<th>${month}</th>`)}<th>Year</th></tr>
${years.map((year) => {
  const values = MONTH_NAMES.map((_, month) => monthlyReturns[`${year}-${String(month + 1).padStart(2, '0')}`]);
  const total = values.reduce<number>((growth, value) => growth * (1 + (value ?? 0)), 1) - 1;
  return html`<tr><td>${year}</td>${values.map(cell)}${cell(total)}</tr>`;
})}
</table>`);
}

/** A month's return with two decimals, never "-0.00%". */
function monthPercent(value: number): string {
  const text = (value * 100).toFixed(2);
  return `${Number(text) === 0 ? text.replace('-', '') : text}%`;
}

function drawdownTable(drawdowns: readonly DatedDrawdown[]): SafeHtml {
  if (drawdowns.length === 0) return html`<p>Never under water.</p>`;
  return html`<table>
<tr><th>Started</th><th>Lowest</th><th>Last day under water</th><th>Days</th><th>Depth</th></tr>
${drawdowns.map((drawdown) => html`<tr><td>${drawdown.start}</td><td>${drawdown.valley}</td><td>${drawdown.recovered ? drawdown.end : `${drawdown.end} (not recovered)`}</td><td>${drawdown.days}</td><td class="neg">${percent(drawdown.depth)}</td></tr>`)}
</table>`;
}
