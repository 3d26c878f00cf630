/** What the optimizer found, in a few lines of at most 80 columns: for the terminal after `optimize` and for its email. */
import type { OptimizerJson } from '../optimize/optimizerReport.js';
import { formatUsd } from './formatting.js';
import { OPTIMIZER_FILES } from './reportNames.js';
import { wrap } from './runSummaryText.js';

function sharpeText(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(2);
}

/** Every candidate set evaluated, over every step. */
export function evaluatedSets(report: OptimizerJson): number {
  return report.steps.reduce((sum, step) => sum + step.candidates.length, 0);
}

/**
 * Whether the limits the search held in sample held after the split too: null without an
 * out-of-sample period or without limits, else one sentence.
 */
export function outOfSampleLimitsSentence(report: OptimizerJson): string | null {
  const { maxDrawdownUsd, maxBreachEvents } = report.constraints;
  const outOfSample = report.outOfSampleMetrics;
  if (outOfSample === null || (maxDrawdownUsd === null && maxBreachEvents === null)) return null;
  const broken = [
    maxDrawdownUsd !== null && outOfSample.maxDrawdownUsd > maxDrawdownUsd
      ? `largest dollar drawdown ${formatUsd(outOfSample.maxDrawdownUsd)}, above the limit of ${formatUsd(maxDrawdownUsd)}`
      : null,
    maxBreachEvents !== null && (outOfSample.breachEvents ?? 0) > maxBreachEvents
      ? `${outOfSample.breachEvents ?? 0} drawdown breach events, above the limit of ${maxBreachEvents}`
      : null,
  ].filter((text) => text !== null);
  return broken.length === 0
    ? 'Out of sample the chosen set stayed within the limits the search held in sample.'
    : `Out of sample the limits did not hold: ${broken.join('; ')}.`;
}

export function optimizerSummaryLines(report: OptimizerJson): string[] {
  const limits = outOfSampleLimitsSentence(report);
  const lines = [
    `${evaluatedSets(report)} candidate sets evaluated in ${report.steps.length} step(s); stopped: ${report.stopReason}`,
    `Chosen, in order: ${report.chosen.length === 0 ? 'nothing' : report.chosen.join(', ')}`,
    `Sharpe in sample ${sharpeText(report.inSampleMetrics?.sharpe)}` +
      (report.outOfSample === null
        ? ' (no out-of-sample period: set optimizer.inSampleEnd)'
        : `, out of sample ${sharpeText(report.outOfSampleMetrics?.sharpe)}`),
    ...(limits === null ? [] : [limits]),
    `See ${OPTIMIZER_FILES.page} for the path and the config to run the chosen set.`,
  ];
  return lines.flatMap((line) => wrap(line, ''));
}
