/**
 * The bootstrap's answer in words (SPEC 20): how likely a loss, a drawdown breach, a stop-loss day
 * and a margin alert are over the horizon, and where the paths end. One source for the index page,
 * the email and the fan chart's alt text, so they say the same.
 */
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { formatFractionAsPercent, formatSignedPercent, formatUsd } from './formatting.ts';

export interface ForwardRiskProbability {
  key: keyof MonteCarloJson['probabilities'];
  label: string;
  /** The share of paths; null when the config sets no such limit. */
  value: number | null;
  /** What a null means, or what the figure counts. */
  note: string;
}

/** The four probabilities of montecarlo.json, each with a label a manager reads and what it counts. */
export function forwardRiskProbabilities({ probabilities }: MonteCarloJson): ForwardRiskProbability[] {
  return [
    { key: 'loss', label: 'A loss', value: probabilities.loss, note: 'paths that end below the starting capital' },
    { key: 'drawdownBreach', label: 'A drawdown breach', value: probabilities.drawdownBreach, note: probabilities.drawdownBreach === null ? 'no limits.drawdownBreachUsd set' : 'paths with a dollar drawdown past limits.drawdownBreachUsd' },
    { key: 'stopLossDay', label: 'A stop-loss day', value: probabilities.stopLossDay, note: probabilities.stopLossDay === null ? 'no limits.dailyStopLossUsd set' : 'paths with a day that loses more than limits.dailyStopLossUsd' },
    { key: 'marginAlert', label: 'A margin alert', value: probabilities.marginAlert, note: 'paths on which margin utilization passes the portfolio\'s alert' },
  ];
}

/** "1 in 4" style is ambiguous at the edges; a whole percent reads at a glance ("23%", "<1%" for a few paths, "0%" for none). */
export function formatChance(value: number | null): string {
  if (value === null) return 'n/a';
  if (value > 0 && value < 0.005) return '<1%';
  if (value < 1 && value > 0.995) return '>99%';
  return formatFractionAsPercent(value, 0);
}

/** The horizon and the paths: "over the next 252 weekdays (1,000 paths resampled from 2016-01-04 to 2025-12-31)". */
export function forwardRiskScope({ settings, source }: MonteCarloJson): string {
  return `over the next ${settings.horizonDays} weekdays (${settings.paths.toLocaleString('en-US')} paths resampled in blocks of ${settings.blockDays} days from ${source.first} to ${source.last})`;
}

/** "Chance of a loss 23%, of a drawdown breach 12%, of a stop-loss day 40%, of a margin alert 5%" (limits not set left out). */
export function forwardRiskChances(report: MonteCarloJson): string {
  const shown = forwardRiskProbabilities(report).filter((item) => item.value !== null);
  return `Chance of ${shown.map((item, index) => `${index === 0 ? '' : 'of '}${item.label.toLowerCase()} ${formatChance(item.value)}`).join(', ')}`;
}

/** Where the paths end: the median and the 5-95 % range of equity, against the starting capital they ran from. */
export function forwardRiskEnds(report: MonteCarloJson, startingCapital: number): string | null {
  const equity = startingCapital;
  const { p5, p50, p95 } = report.stats.endEquityUsd;
  if (p5 === null || p50 === null || p95 === null) return null;
  const change = (value: number): string => (equity === 0 ? '' : ` (${formatSignedPercent(value / equity - 1)})`);
  return `the median path ends at ${formatUsd(p50)}${change(p50)}; 9 in 10 end between ${formatUsd(p5)}${change(p5)} and ${formatUsd(p95)}${change(p95)}`;
}

/** The email's lines: the chances, then where the paths end. */
export function forwardRiskSentences(report: MonteCarloJson, startingCapital: number): string[] {
  const ends = forwardRiskEnds(report, startingCapital);
  return [`Forward risk ${forwardRiskScope(report)}: ${forwardRiskChances(report).replace(/^C/, 'c')}.`, ...(ends === null ? [] : [`From the starting capital of ${formatUsd(startingCapital)}, ${ends}.`])];
}
