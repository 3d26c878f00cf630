/**
 * Each chart's alt text with its key figures (issue 13, item 5): what a reader who cannot see the
 * picture needs from it, in words, with the same figures summary.json holds (SPEC 7's metrics,
 * SPEC 15's as-of figures), formatted as the morning figures are.
 */
import type { LevelAsOf } from '#shared/calc/partCResults.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import type { TailRisk } from '#shared/calc/valueAtRisk.ts';
import { countOf, formatSignedPercent, formatSignedUsd, formatUsd } from '../formatting.ts';
import { forwardRiskChances, forwardRiskEnds, forwardRiskScope } from '../forwardRiskText.ts';

export interface EquityAltInput {
  /** "Portfolio", "Strategy X", "Account Y". */
  title: string;
  firstDate: string;
  lastDate: string;
  startingCapital: number;
  finalEquity: number;
  peak: { usd: number; date: string };
  /** SPEC 7's maxDrawdown (a fraction <= 0) and SPEC 15.3's figures of the same drawdown and of now. */
  maxDrawdown: number;
  asOf: LevelAsOf;
  utilizationPeak: { pct: number; date: string };
  alertPct: number | null;
  logScale: boolean;
  /** Issue 15: the dates re-sent differently since the previous copy, marked on the line. */
  restated?: { dates: number; first: string; last: string };
  /** The benchmark's line on the portfolio's chart, grown from the same starting capital, and where it ends. */
  benchmark?: { name: string; finalEquity: number } | null;
}

/** "Portfolio equity from $1,000,000.00 on 2016-01-04 to $1,113,111.03 on 2025-12-31 (P&L +$113,111, return +11.3 %), ..." */
export function equityAltText(input: EquityAltInput): string {
  const inception = input.asOf.periods.inception;
  const performance = inception === null ? '' : ` (P&L ${formatSignedUsd(inception.pnlUsd)}, time-weighted return ${formatSignedPercent(inception.return)})`;
  const alert = input.alertPct === null ? '' : `, alert at ${input.alertPct} %`;
  return (
    `${input.title} equity from ${formatUsd(input.startingCapital)} on ${input.firstDate} to ${formatUsd(input.finalEquity)} on ${input.lastDate}${performance}` +
    `${input.logScale ? ' (log scale)' : ''}, highest ${formatUsd(input.peak.usd)} on ${input.peak.date}; ${drawdownWords(input.maxDrawdown, input.asOf)}. ` +
    `${input.benchmark === undefined || input.benchmark === null ? '' : `The benchmark ${input.benchmark.name}, grown from the same ${formatUsd(input.startingCapital)}, ends at ${formatUsd(input.benchmark.finalEquity)}. `}` +
    `Margin utilization below: highest ${input.utilizationPeak.pct.toFixed(1)} % on ${input.utilizationPeak.date}${alert}.` +
    (input.restated === undefined ? '' : ` Marked with crosses: ${countOf(input.restated.dates, 'date')} restated since the previous copy, ${input.restated.first} to ${input.restated.last}.`)
  );
}

/** "max drawdown -14.8 % from 2016-01-06, deepest 2019-07-10, recovered 2022-03-01 (2,246 days); now -3.2 % since 2024-11-09 (784 days)" */
function drawdownWords(maxDrawdown: number, asOf: LevelAsOf): string {
  const period = asOf.maxDrawdownPeriod;
  if (period === null) return 'never under water';
  const recovery = period.end === null ? 'not recovered' : `recovered ${period.end}`;
  const now = asOf.drawdownStart === null ? 'at its high now' : `now ${formatSignedPercent(asOf.currentDrawdown)} since ${asOf.drawdownStart} (${countOf(asOf.daysUnderWater, 'day')})`;
  return `max drawdown ${formatSignedPercent(maxDrawdown)} from ${period.start}, deepest ${period.trough}, ${recovery} (${countOf(period.days, 'day')}); ${now}`;
}

/** The under-water chart: its deepest point and where it is now. */
export function drawdownAltText(title: string, maxDrawdown: number, asOf: LevelAsOf): string {
  const dollars = asOf.maxDrawdownUsd === undefined ? '' : `; the most dollars below a high: ${formatUsd(asOf.maxDrawdownUsd)}`;
  return `${title} drawdown (under water, percent below the highest value so far): ${drawdownWords(maxDrawdown, asOf)}${dollars}.`;
}

/** The heatmap: months covered, best and worst month and year, how many months gained. */
export function monthlyAltText(title: string, monthlyReturns: Record<string, number>, yearly: Map<string, number>): string {
  const months = Object.entries(monthlyReturns).sort(([a], [b]) => a.localeCompare(b));
  if (months.length === 0) return `${title} monthly returns: no month to show.`;
  const extreme = (entries: [string, number][], pick: (a: number, b: number) => boolean) =>
    entries.reduce((best, entry) => (pick(entry[1], best[1]) ? entry : best));
  const [bestMonth, bestValue] = extreme(months, (a, b) => a > b);
  const [worstMonth, worstValue] = extreme(months, (a, b) => a < b);
  const years = [...yearly.entries()];
  const [bestYear, bestYearValue] = extreme(years, (a, b) => a > b);
  const [worstYear, worstYearValue] = extreme(years, (a, b) => a < b);
  const gained = months.filter(([, value]) => value > 0).length;
  return (
    `${title} monthly returns, ${months[0]?.[0]} to ${months[months.length - 1]?.[0]}: ${gained} of ${countOf(months.length, 'month')} gained; ` +
    `best month ${bestMonth} ${formatSignedPercent(bestValue)}, worst ${worstMonth} ${formatSignedPercent(worstValue)}; ` +
    `best year ${bestYear} ${formatSignedPercent(bestYearValue)}, worst ${worstYear} ${formatSignedPercent(worstYearValue)}.`
  );
}

export interface NormalizedEnd {
  name: string;
  /** The series' last value (growth of 1) and its date. */
  end: number;
  lastDate: string;
}

/** The many-lines chart: how many, the scale, the named best and worst with where they end. */
export function normalizedAltText(heading: string, ranked: readonly NormalizedEnd[], named: number, logScale: boolean): string {
  const list = (items: readonly NormalizedEnd[]) => items.map((item) => `${item.name} ${item.end.toFixed(2)} on ${item.lastDate}`).join(', ');
  const scale = logScale ? ' on a log scale' : '';
  if (ranked.length <= named) return `${heading}${scale}, ending at: ${list(ranked)}.`;
  const side = named / 2;
  return `${heading}${scale}; highest: ${list(ranked.slice(0, side))}; lowest: ${list(ranked.slice(-side))}; the other ${ranked.length - named} in grey.`;
}

/** The stacked weights: each sleeve's and the cash's share on the last date. */
export function weightsAltText(title: string, lastDate: string, shares: readonly { name: string; share: number }[]): string {
  return `${title} sleeve weights, stacked to 100 % of the account's equity; on ${lastDate}: ${shares.map((item) => `${item.name} ${(item.share * 100).toFixed(1)} %`).join(', ')}.`;
}

/** The rolling chart: the latest figure of each window, or why there is none yet. */
export function rollingAltText(title: string, lastDate: string, latest: readonly { window: number; volatility: number | null; sharpe: number | null }[]): string {
  const figures = latest.map((item) =>
    item.volatility === null
      ? `over ${item.window} dates: not enough dates yet`
      : `over ${item.window} dates volatility ${(item.volatility * 100).toFixed(1)} %, Sharpe ${item.sharpe === null ? 'n/a' : item.sharpe.toFixed(2)}`,
  );
  return `${title} rolling volatility (annualised) and Sharpe, each date over the dates ending there; on ${lastDate}: ${figures.join('; ')}.`;
}

/** The histogram: how many days, and the value at risk and expected shortfall marked on it. */
export function histogramAltText(title: string, span: { first: string; last: string; days: number }, tails: TailRisk): string {
  const loss = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`);
  return (
    `${title} daily returns from ${span.first} to ${span.last}, ${countOf(span.days, 'date')}, as a histogram; ` +
    `value at risk 95 % ${loss(tails.var95)} (the loss of the worst day in 20), expected shortfall 95 % ${loss(tails.cvar95)} (the mean of those worst days); ` +
    `99 %: ${loss(tails.var99)} and ${loss(tails.cvar99)}.`
  );
}

/** The fan: where the paths end on the horizon's last date and the four chances. */
export function fanAltText(input: { startingCapital: number; lastDate: string; report: MonteCarloJson }): string {
  const ends = forwardRiskEnds(input.report, input.startingCapital);
  return `Portfolio equity ${forwardRiskScope(input.report)}, each path from the starting capital of ${formatUsd(input.startingCapital)}, to ${input.lastDate}${ends === null ? '' : `: ${ends}`}. ${forwardRiskChances(input.report)}.`;
}
