/**
 * index.html of a run, a morning page (issue 13): every failing check and rule first, in words;
 * the portfolio's day, MTD, YTD, 1Y and drawdown now (SPEC 15); the day's and month's movers
 * (SPEC 16.1); the accounts and the strategies grouped by account with their periods, drawdown
 * now and share of risk (SPEC 16.2), sortable; the checks, internal ones collapsed while they
 * pass; part B, the scenarios, the correlation as its extreme pairs, the warnings, the files.
 */
import type { Metrics } from '#shared/calc/metrics.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import type { LimitsReport } from '#shared/calc/partBResults.ts';
import type { LevelAsOf } from '#shared/calc/partCResults.ts';
import type { PeriodFigures } from '#shared/calc/periodFigures.ts';
import { annualisedFigure, NOT_MEANINGFUL_NOTE, tooShortToAnnualise } from '#shared/report/annualisedFigures.ts';
import type { CheckDescription } from '#shared/report/checkDescriptions.ts';
import type { ComparisonEntry } from '#shared/report/comparison.ts';
import type { CorrelationExtremes } from '#shared/report/correlationPairs.ts';
import { countOf, formatCount, formatFractionAsPercent, formatPercent, formatProbabilisticSharpe, formatSignedPercent, formatSignedUsd, formatUsd } from '#shared/report/formatting.ts';
import { formatChance, forwardRiskEnds, forwardRiskProbabilities, forwardRiskScope } from '#shared/report/forwardRiskText.ts';
import type { MorningFacts, Movers } from '#shared/report/morningFacts.ts';
import { html, type SafeHtml } from './escapeHtml.ts';
import { htmlPage } from './page.ts';
import { CHART_HOVER_SCRIPT, chartImage } from './chartHover.ts';
import { figureCell, scrollBox, SORTABLE_TABLES_SCRIPT, sortHeader } from './sortableTable.ts';

export interface LevelRow {
  name: string;
  href: string;
  /** The account of a strategy. */
  account?: string;
  /** The level's first date (a strategy's own). */
  since: string;
  startingCapital: number;
  /** Equity on its last date. */
  equity: number;
  /** SPEC 15's figures of the level (summary.json asOf). */
  asOf: LevelAsOf;
  /** SPEC 16.2's trailing contribution to the portfolio's risk (an account: its strategies' sum); null when not defined. */
  riskShare: number | null;
  metrics: Metrics;
  /** E.g. "wiped out 2024-03-01", "margin alert on 3 days". */
  note: string;
}

export interface IndexInput {
  firstDate: string;
  lastDate: string;
  /** The as-of header, the banner and the movers. */
  morning: MorningFacts;
  portfolio: LevelRow & { worstUtilizationPct: number; worstUtilizationDate: string };
  portfolioChart: Uint8Array;
  checks: CheckDescription[];
  warnings: string[];
  strategies: LevelRow[];
  accounts: LevelRow[];
  /** The strategies of each account, accounts in config order. */
  groups: { account: string; strategies: LevelRow[] }[];
  /** SPEC 16.2's trailing window the shares of risk are over, and the share the costs carry. */
  riskWindow: { first: string; last: string; days: number; costsShare: number | null };
  correlation: {
    extremes: CorrelationExtremes;
    /** Names and the matrix; null when there are too many strategies for a table (see correlation.csv). */
    matrix: { names: string[]; matrix: (number | null)[][] } | null;
  };
  /** Allocation, rebalancing and rules when part B is in use. */
  partB: PartBFacts | null;
  /** The base run and the scenarios side by side, with their equity curves. */
  scenarios: { entries: ComparisonEntry[]; chart: Uint8Array } | null;
  /** The bootstrap's answer (SPEC 20) and its fan chart, when the config sets monteCarlo. */
  forwardRisk: { report: MonteCarloJson; chart: Uint8Array; startingCapital: number } | null;
  /** optimizer.html, which `optimize` writes beside this page. */
  optimizerPage: string;
  dataFiles: string[];
  /** Issue 15: each strategy's track record, and what changed since the previous copy of the inputs. */
  data: {
    /** How summary.json names the previous copy; null when none was compared. */
    previous: string | null;
    staleAfterWeekdays: number | null;
    strategies: DataRow[];
  };
}

/** A strategy's track record as the run read it. */
export interface DataRow {
  name: string;
  /** Its tearsheet. */
  href: string;
  firstDate: string;
  lastDate: string;
  rows: number;
  /** Monday-to-Friday dates after its last date up to `T` (SPEC 19.1). */
  weekdaysBehind: number;
  stale: boolean;
  /** Against the previous copy; null when none was compared. */
  previous:
    | { kind: 'new' | 'unreadable' }
    | { kind: 'unchanged'; appended: number }
    | { kind: 'restated'; days: number; firstDate: string; lastDate: string; lines: { first: number; last: number } }
    | null;
}

export interface PartBFacts {
  settings: { label: string; value: string }[];
  limits: LimitsReport | null;
}

/** Breaches named one line each in the banner; past this, "and N more". */
export const BANNER_LINES = 10;

/** The periods of the tables, priority first (a phone shows the first columns). */
const TABLE_PERIODS = [
  ['day', 'Day'],
  ['mtd', 'MTD'],
  ['ytd', 'YTD'],
  ['1y', '1Y'],
] as const;

export function indexPage(input: IndexInput): string {
  const { portfolio, morning } = input;
  const short = [...input.strategies, ...input.accounts, portfolio].some((row) => tooShortToAnnualise(row.metrics.years));
  const body = html`
${banner(morning, input.checks.length)}
<h1>Portfolio Combiner report</h1>
<p class="sub" id="as-of-line">As of <strong class="nowrap">${morning.date}</strong> · <span class="nowrap">${input.firstDate} to ${input.lastDate}</span> · ${countOf(input.strategies.length, 'strategy', 'strategies')} in ${countOf(input.accounts.length, 'account')}</p>
${asOfCards(input)}
<p class="links"><a href="${portfolio.href}">Portfolio tearsheet</a> · <a href="${input.optimizerPage}">Optimizer</a> <span class="sub">(${input.optimizerPage}, once <code>optimize</code> has written it here)</span>${input.scenarios === null ? '' : html` · <a href="#scenarios">Scenario comparison</a>`} · <a href="#checks">Checks</a> · <a href="#data">Data</a> · <a href="#files">Data files</a></p>
${moversSection(morning)}
<h2 id="accounts">Accounts</h2>
${accountTable(input)}
<h2 id="strategies">Strategies by account</h2>
<p class="sub">P&amp;L in dollars and time-weighted return (SPEC 15) per period; share of risk: the share of the portfolio's daily dollar P&amp;L variance each carries over the last ${countOf(input.riskWindow.days, 'date')} (${keep(input.riskWindow.first)} to ${keep(input.riskWindow.last)}, SPEC 16.2)${input.riskWindow.costsShare === null ? '' : `, rebalance costs ${formatSignedPercent(input.riskWindow.costsShare)}`}. Click a heading to sort.</p>
${strategyTable(input.groups)}
${short ? html`<p class="sub">${NOT_MEANINGFUL_NOTE}</p>` : ''}
<h2>Portfolio since inception</h2>
${inceptionCards(portfolio)}
${chartImage(input.portfolioChart, 'Portfolio equity and margin utilization')}
${input.forwardRisk === null ? '' : forwardRiskSection(input.forwardRisk)}
<h2 id="checks">Checks</h2>
${checksSection(input.checks)}
${input.partB === null ? '' : partBSection(input.partB)}
${input.scenarios === null ? '' : scenariosSection(input.scenarios)}
<h2>Correlation of daily returns</h2>
${correlationSection(input.correlation)}
<h2>Warnings</h2>
${input.warnings.length === 0 ? html`<p>None.</p>` : html`<ul>${input.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>`}
${dataSection(input.data)}
<h2 id="files">Data files</h2>
<ul>${input.dataFiles.map((file) => html`<li><a href="${file}">${file}</a></li>`)}</ul>
`;
  return htmlPage('Portfolio Combiner report', body, { scripts: [SORTABLE_TABLES_SCRIPT, CHART_HOVER_SCRIPT] });
}

/** Every failing check and wipe-out in one line of words, red, before anything else; one quiet line when all pass. */
function banner(morning: MorningFacts, checks: number): SafeHtml {
  const { breaches } = morning;
  if (breaches.length === 0) return html`<p class="quiet" id="banner">All ${countOf(checks, 'check')} pass on ${morning.date}.</p>`;
  const more = breaches.length - BANNER_LINES;
  return html`<section class="banner" id="banner" role="alert">
<h2>${countOf(breaches.length, 'breach', 'breaches')} on ${morning.date}</h2>
<ul>${breaches.slice(0, BANNER_LINES).map(breachLine)}${more > 0 ? html`<li class="more"><details><summary>and ${formatCount(more)} more</summary><ul>${breaches.slice(BANNER_LINES).map(breachLine)}</ul></details></li>` : ''}</ul>
</section>`;
}

function breachLine(breach: MorningFacts['breaches'][number]): SafeHtml {
  return html`<li data-check="${breach.name}">${breach.line}</li>`;
}

function card(label: string, value: string, note: string | SafeHtml, figure: string, className = ''): SafeHtml {
  return html`<div class="card" data-figure="${figure}"><div class="label">${label}</div><div class="value ${className}">${value}</div><div class="label">${note}</div></div>`;
}

/** Words that must not break apart on a narrow screen: a figure with its unit, a date. */
function keep(text: string): SafeHtml {
  return html`<span class="nowrap">${text}</span>`;
}

/** The portfolio's day, MTD, YTD, 1Y (dollars and percent), drawdown now and equity. */
function asOfCards({ morning, portfolio }: IndexInput): SafeHtml {
  const period = (label: string, figures: PeriodFigures | null, figure: string): SafeHtml =>
    figures === null
      ? card(label, 'n/a', 'no date in the period', figure)
      : card(label, formatSignedUsd(figures.pnlUsd), formatSignedPercent(figures.return), figure, signClass(figures.pnlUsd));
  const { drawdown } = morning;
  return html`<div class="cards" id="asof">
  ${period(`Day ${morning.date}`, morning.periods.day, 'day')}
  ${period('Month to date', morning.periods.mtd, 'mtd')}
  ${period('Year to date', morning.periods.ytd, 'ytd')}
  ${morning.periods['1y'] === null ? card('Trailing year', 'n/a', 'less than a year of history', '1y') : period('Trailing year', morning.periods['1y'], '1y')}
  ${card(
    'Drawdown now',
    drawdown.since === null ? 'at a peak' : formatSignedPercent(drawdown.depth),
    drawdown.since === null ? 'no drawdown' : html`${keep(formatSignedUsd(-drawdown.usd))} since ${keep(drawdown.since)} ${keep(`(${countOf(drawdown.days, 'day')})`)}`,
    'drawdown',
    drawdown.since === null ? '' : 'neg',
  )}
  ${card('Equity', formatUsd(portfolio.equity), html`started with ${keep(formatUsd(portfolio.startingCapital))}`, 'equity')}
</div>`;
}

/** What the old header showed, since inception: P&L and time-weighted return, CAGR, the max drawdown with its dates (one drawdown), margin, Sharpe. */
function inceptionCards(portfolio: IndexInput['portfolio']): SafeHtml {
  const { metrics } = portfolio;
  const inception = portfolio.asOf.periods.inception;
  const deepest = portfolio.asOf.maxDrawdownPeriod;
  return html`<div class="cards">
  ${card('P&L since inception', inception === null ? 'n/a' : formatSignedUsd(inception.pnlUsd), inception === null ? '' : `time-weighted ${formatSignedPercent(inception.return)}`, 'inception')}
  ${card('CAGR', annualisedFigure(metrics.years, metrics.cagr, formatFractionAsPercent), `over ${metrics.years.toFixed(2)} years`, 'cagr')}
  ${card('Max drawdown', formatFractionAsPercent(metrics.maxDrawdown), deepest === null ? 'never under water' : html`${keep(deepest.start)} to ${keep(deepest.end ?? 'now')}, ${keep(countOf(deepest.days, 'day'))}`, 'max-drawdown')}
  ${card('Margin utilization peak', formatPercent(portfolio.worstUtilizationPct), html`on ${keep(portfolio.worstUtilizationDate)}`, 'margin')}
  ${card('Sharpe', annualisedFigure(metrics.years, metrics.sharpe, ratio), `${formatProbabilisticSharpe(metrics.probabilisticSharpe)} · volatility ${annualisedFigure(metrics.years, metrics.volatility, formatFractionAsPercent)}`, 'sharpe')}
</div>`;
}

/** SPEC 20: the four chances as cards, where the paths end in a sentence, the fan chart. */
function forwardRiskSection({ report, chart, startingCapital }: NonNullable<IndexInput['forwardRisk']>): SafeHtml {
  const ends = forwardRiskEnds(report, startingCapital);
  return html`<h2 id="forward-risk">Forward risk</h2>
<p class="sub">The portfolio as configured (allocation, rebalancing, limits) run ${forwardRiskScope(report)}, each path from the starting capital of ${keep(formatUsd(startingCapital))}: the share of paths on which each happens (<a href="montecarlo.json">montecarlo.json</a>, <a href="7_monte_carlo_fan.csv">7_monte_carlo_fan.csv</a>).</p>
<div class="cards" id="forward-risk-chances">
${forwardRiskProbabilities(report).map((item) => card(item.label, formatChance(item.value), item.note, item.key))}
</div>
${ends === null ? '' : html`<p>${ends.charAt(0).toUpperCase()}${ends.slice(1)}.</p>`}
${chartImage(chart, 'Portfolio equity over the horizon across the resampled paths')}`;
}

function moversSection({ movers, date }: MorningFacts): SafeHtml {
  const side = (title: string, list: Movers['top'], none: string): SafeHtml =>
    list.length === 0
      ? html`<tr><th colspan="2">${title}</th></tr><tr><td colspan="2">${none}</td></tr>`
      : html`<tr><th colspan="2">${title}</th></tr>${list.map((mover) => html`<tr><td>${mover.name}</td><td class="${signClass(mover.pnlUsd)}">${formatSignedUsd(mover.pnlUsd)}</td></tr>`)}`;
  const period = (title: string, id: string, { top, bottom }: Movers): SafeHtml =>
    html`<table id="${id}"><caption class="sub">${title}</caption>${side('Made the most', top, 'no strategy made money')}${side('Lost the most', bottom, 'no strategy lost money')}</table>`;
  return html`<h2>Movers</h2>
<div class="movers">${period(`Day ${date}`, 'movers-day', movers.day)}${period('Month to date', 'movers-mtd', movers.mtd)}</div>`;
}

function periodCell(figures: PeriodFigures | null, absentText = 'n/a'): SafeHtml {
  if (figures === null) return figureCell(null, absentText);
  return html`<td class="${signClass(figures.pnlUsd)}" data-v="${String(figures.pnlUsd)}">${formatSignedUsd(figures.pnlUsd)}<span class="pct">${formatSignedPercent(figures.return)}</span></td>`;
}

/** The columns every level row has, priority first: periods, inception, drawdown now, share of risk. */
function levelCells(row: LevelRow, withDollarDrawdown: boolean): SafeHtml {
  const inception = row.asOf.periods.inception;
  const drawdownText = formatSignedPercent(row.asOf.currentDrawdown);
  return html`${TABLE_PERIODS.map(([period]) => periodCell(row.asOf.periods[period], period === '1y' ? 'n/a (< 1 year)' : 'n/a'))}
${figureCell(inception?.pnlUsd ?? null, inception === null ? 'n/a' : formatSignedUsd(inception.pnlUsd), signClass(inception?.pnlUsd ?? 0))}${figureCell(inception?.return ?? null, inception === null ? 'n/a' : formatSignedPercent(inception.return))}
${withDollarDrawdown && row.asOf.currentDrawdownUsd !== undefined
  ? html`<td data-v="${String(row.asOf.currentDrawdown)}">${drawdownText}<span class="pct">${formatSignedUsd(-row.asOf.currentDrawdownUsd)}</span></td>`
  : figureCell(row.asOf.currentDrawdown, drawdownText)}
${figureCell(row.riskShare, row.riskShare === null ? 'n/a' : formatFractionAsPercent(row.riskShare, 1))}`;
}

function metricCells(metrics: Metrics): SafeHtml {
  const annualised = (value: number | null, format: (value: number | null) => string): SafeHtml =>
    figureCell(tooShortToAnnualise(metrics.years) ? null : value, annualisedFigure(metrics.years, value, format));
  const sharpeValue = tooShortToAnnualise(metrics.years) ? null : metrics.sharpe;
  const sharpe = html`<td data-v="${sharpeValue === null ? '' : String(sharpeValue)}">${annualisedFigure(metrics.years, metrics.sharpe, ratio)}<span class="pct">${formatProbabilisticSharpe(metrics.probabilisticSharpe)}</span></td>`;
  return html`${annualised(metrics.cagr, formatFractionAsPercent)}${sharpe}${figureCell(metrics.maxDrawdown, formatFractionAsPercent(metrics.maxDrawdown))}`;
}

const periodHeaders = (): SafeHtml => html`${TABLE_PERIODS.map(([, label]) => sortHeader(label))}${sortHeader('Inception P&L')}${sortHeader('Return')}${sortHeader('Drawdown now')}${sortHeader('Share of risk')}`;

function accountTable({ accounts, portfolio }: IndexInput): SafeHtml {
  const row = (level: LevelRow, className = ''): SafeHtml =>
    html`<tr class="${className}"><td><a href="${level.href}">${level.name}</a></td>${levelCells(level, true)}${figureCell(level.equity, formatUsd(level.equity))}${metricCells(level.metrics)}<td class="note">${level.note}</td></tr>`;
  return scrollBox(html`<table class="sortable" id="account-table">
<thead><tr>${sortHeader('Account', false)}${periodHeaders()}${sortHeader('Equity')}${sortHeader('CAGR')}${sortHeader('Sharpe')}${sortHeader('Max drawdown')}${sortHeader('Notes', false)}</tr></thead>
<tbody>${accounts.map((account) => row(account))}</tbody>
<tfoot>${row({ ...portfolio, name: 'Portfolio' }, 'total')}</tfoot>
</table>`);
}

function strategyTable(groups: IndexInput['groups']): SafeHtml {
  const columns = 16;
  return scrollBox(html`<table class="sortable" id="strategy-table">
<thead><tr>${sortHeader('Strategy', false)}${periodHeaders()}${sortHeader('Since', false)}${sortHeader('Years')}${sortHeader('CAGR')}${sortHeader('Sharpe')}${sortHeader('Max drawdown')}${sortHeader('Notes', false)}</tr></thead>
${groups.map(
  (group) => html`<tbody data-account="${group.account}"><tr class="group"><th colspan="${columns}">${group.account} · ${countOf(group.strategies.length, 'strategy', 'strategies')}</th></tr>
${group.strategies.map(
  (row) => html`<tr><td><a href="${row.href}">${row.name}</a></td>${levelCells(row, false)}<td>${row.since}</td>${figureCell(row.metrics.years, row.metrics.years.toFixed(2))}${metricCells(row.metrics)}<td class="note">${row.note}</td></tr>`,
)}</tbody>`,
)}
</table>`);
}

/** Rules and data checks in a table; the internal checks (the pipeline's own arithmetic) in one line while they all pass. */
function checksSection(checks: readonly CheckDescription[]): SafeHtml {
  const internalPassing = checks.filter((check) => check.kind === 'internal' && check.status === 'pass');
  const shown = checks.filter((check) => !internalPassing.includes(check));
  const table = (rows: readonly CheckDescription[]): SafeHtml =>
    scrollBox(html`<table>
<tr><th>Check</th><th>Status</th><th>Figures</th></tr>
${rows.map((check) => html`<tr><td>${check.name}</td><td class="${check.status}">${check.status}</td><td class="note">${check.details.map((detail, index) => html`${index > 0 ? html`<br>` : ''}${detail}`)}</td></tr>`)}
</table>`);
  return html`${shown.length === 0 ? '' : table(shown)}
${internalPassing.length === 0
  ? ''
  : html`<details id="internal-checks"><summary>${internalPassing.length === checks.filter((check) => check.kind === 'internal').length ? 'All' : ''} ${countOf(internalPassing.length, 'internal check')} pass: ${internalPassing.map((check) => check.name).join(', ')}</summary>
${table(internalPassing)}
</details>`}`;
}

/** Issue 15: every track record's span, rows and lag, and what changed since the previous copy, sortable. */
function dataSection({ previous, staleAfterWeekdays, strategies }: IndexInput['data']): SafeHtml {
  const restated = strategies.filter((row) => row.previous?.kind === 'restated').length;
  const added = strategies.filter((row) => row.previous?.kind === 'new').length;
  const compared =
    previous === null
      ? 'No previous copy of the inputs was compared (run with --previous-data to see what changed).'
      : `Compared with the previous copy ${previous}: ${countOf(restated, 'strategy', 'strategies')} restated, ${formatCount(added)} new (every changed value in restatements.csv).`;
  const lag = staleAfterWeekdays === null ? 'staleness not checked' : `stale when more than ${countOf(staleAfterWeekdays, 'weekday')} behind`;
  return html`<h2 id="data">Data</h2>
<p class="sub">Each strategy's track record as this run read it; weekdays behind the last date of the report (holidays count as weekdays), ${lag}. ${compared}</p>
${scrollBox(html`<table class="sortable" id="data-table">
<thead><tr>${sortHeader('Strategy', false)}${sortHeader('First date', false)}${sortHeader('Last date', false)}${sortHeader('Rows')}${sortHeader('Weekdays behind')}${sortHeader('Since the previous copy', false)}</tr></thead>
<tbody>${strategies.map(
  (row) => html`<tr data-strategy="${row.name}"><td><a href="${row.href}">${row.name}</a></td><td>${row.firstDate}</td><td>${row.lastDate}</td>${figureCell(row.rows, formatCount(row.rows))}${figureCell(row.weekdaysBehind, row.stale ? `${formatCount(row.weekdaysBehind)}: stale` : formatCount(row.weekdaysBehind), row.stale ? 'neg' : '')}<td class="note">${previousCell(row)}</td></tr>`,
)}</tbody>
</table>`)}`;
}

function previousCell({ previous, href }: DataRow): SafeHtml | string {
  if (previous === null) return '';
  switch (previous.kind) {
    case 'new':
      return html`<strong>new</strong>: no file in the previous copy`;
    case 'unchanged':
      return previous.appended === 0 ? 'unchanged, no new date' : `unchanged, ${countOf(previous.appended, 'date')} appended`;
    case 'unreadable':
      return 'not compared: the previous file could not be read (see Warnings)';
    case 'restated': {
      const { first, last } = previous.lines;
      const span = previous.firstDate === previous.lastDate ? `on ${previous.firstDate}` : `${previous.firstDate} to ${previous.lastDate}`;
      return html`<strong class="neg">restated</strong>: ${countOf(previous.days, 'past day')}, ${span}; <a href="${href}#restated">the changed values</a>, <a href="restatements.csv">restatements.csv</a> ${first === last ? `line ${first}` : `lines ${first} to ${last}`}`;
    }
  }
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
${scrollBox(html`<table class="sortable">
<thead><tr>${sortHeader('Strategy', false)}${sortHeader('Budget (sleeve capital)')}${sortHeader('Margin used')}${sortHeader('Available')}${sortHeader('Utilization')}</tr></thead>
<tbody>${Object.entries(limits.perStrategy).map(([name, figures]) => html`<tr><td>${name}</td>${figureCell(figures.budget, formatUsd(figures.budget))}${figureCell(figures.used, formatUsd(figures.used))}${figureCell(figures.available, formatUsd(figures.available))}${figureCell(figures.utilizationPct, optional(figures.utilizationPct, formatPercent))}</tr>`)}</tbody>
</table>`)}`}`;
}

function scenariosSection({ entries, chart }: { entries: ComparisonEntry[]; chart: Uint8Array }): SafeHtml {
  const annualised = (entry: ComparisonEntry, value: number | null, format: (value: number | null) => string): string => annualisedFigure(entry.metrics.portfolio.years, value, format);
  const rows: [string, (entry: ComparisonEntry) => string][] = [
    ['Allocation', (entry) => entry.allocation.method],
    ['Rebalancing', (entry) => `${entry.rebalance.frequency}${entry.rebalance.band === null ? '' : ' + band'}, ${entry.rebalance.costBps} bps`],
    ['Total return', (entry) => formatFractionAsPercent(entry.metrics.portfolio.totalReturn)],
    ['CAGR', (entry) => annualised(entry, entry.metrics.portfolio.cagr, formatFractionAsPercent)],
    ['Volatility', (entry) => annualised(entry, entry.metrics.portfolio.volatility, formatFractionAsPercent)],
    ['Sharpe', (entry) => annualised(entry, entry.metrics.portfolio.sharpe, ratio)],
    ['Probabilistic Sharpe (the chance the true Sharpe is above 0)', (entry) => formatFractionAsPercent(entry.metrics.portfolio.probabilisticSharpe, 0)],
    ['Sortino', (entry) => annualised(entry, entry.metrics.portfolio.sortino, ratio)],
    ['Max drawdown', (entry) => formatFractionAsPercent(entry.metrics.portfolio.maxDrawdown)],
    ['Calmar', (entry) => annualised(entry, entry.metrics.portfolio.calmar, ratio)],
    ['Rebalances after the initial allocation (cost)', (entry) => (entry.rebalances === null ? 'n/a' : `${entry.rebalances.count} (${formatUsd(entry.rebalances.totalCost)})`)],
    ['Blocked entries', (entry) => String(entry.blockedEntries)],
    ['Wipe-outs', (entry) => String(Object.keys(entry.wipeouts).length)],
    ['Checks failed', (entry) => Object.entries(entry.checks).filter(([, status]) => status === 'fail').map(([check]) => check).join(', ') || 'none'],
  ];
  return html`<div id="scenarios"><h2>Scenarios</h2>
<p class="sub">The same data under other allocation, rebalancing or limits settings (<a href="comparison.json">comparison.json</a>).</p>
${scrollBox(html`<table>
<tr><th></th>${entries.map((entry) => html`<th>${entry.name}</th>`)}</tr>
${rows.map(([label, value]) => html`<tr><td>${label}</td>${entries.map((entry) => html`<td>${value(entry)}</td>`)}</tr>`)}
</table>`)}
${chartImage(chart, 'Portfolio equity of the base run and each scenario, normalised to 1')}</div>`;
}

function correlationSection({ extremes, matrix }: IndexInput['correlation']): SafeHtml {
  const pairs = [...extremes.highest, ...extremes.lowest];
  const pairTable =
    pairs.length === 0
      ? html`<p>No two strategies share enough dates for a correlation.</p>`
      : scrollBox(html`<table class="sortable" id="correlated-pairs">
<thead><tr>${sortHeader('Strategy', false)}${sortHeader('and strategy', false)}${sortHeader('Correlation')}</tr></thead>
<tbody>${pairs.map((pair) => html`<tr><td>${pair.first}</td><td class="left">${pair.second}</td>${figureCell(pair.correlation, pair.correlation.toFixed(2))}</tr>`)}</tbody>
</table>`);
  return html`<p class="sub">Pearson's r of daily returns over the dates both strategies cover: the ${countOf(extremes.highest.length, 'pair')} that move most alike${extremes.lowest.length === 0 ? '' : `, then the ${countOf(extremes.lowest.length, 'pair')} that move most opposite`} (every pair in <a href="correlation.csv">correlation.csv</a>).</p>
${pairTable}
${matrix === null ? html`<p>The full matrix is in <a href="correlation.csv">correlation.csv</a>.</p>` : correlationMatrix(matrix)}`;
}

function correlationMatrix(correlation: NonNullable<IndexInput['correlation']['matrix']>): SafeHtml {
  const shade = (value: number | null): string => {
    if (value === null) return '#f4f4f4';
    const strength = Math.round(Math.min(1, Math.abs(value)) * 60);
    return value >= 0 ? `hsl(210, 55%, ${100 - strength * 0.6}%)` : `hsl(30, 80%, ${100 - strength * 0.6}%)`;
  };
  return scrollBox(html`<table class="matrix">
<tr><th></th>${correlation.names.map((name) => html`<th>${name}</th>`)}</tr>
${correlation.matrix.map(
  (row, i) => html`<tr><th>${correlation.names[i] ?? ''}</th>${row.map((value) => html`<td style="background: ${shade(value)}">${value === null ? 'n/a' : value.toFixed(2)}</td>`)}</tr>`,
)}
</table>`);
}

function signClass(value: number): string {
  return value > 0 ? 'pos' : value < 0 ? 'neg' : '';
}

function ratio(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}
