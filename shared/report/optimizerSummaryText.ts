/** What the optimizer found, in a few lines of at most 80 columns: for the terminal after `optimize` and for its email. */
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import { formatUsd } from './formatting.ts';
import { OPTIMIZER_FILES } from './reportNames.ts';
import { wrap } from './plainText.ts';

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

/** At this deflated Sharpe or above, the chosen set's Sharpe is distinguishable from the luck of the best of many tries (SPEC 18.3). */
export const DEFLATED_SHARPE_CONFIDENCE = 0.95;

/**
 * The deflated Sharpe in one sentence, said beside the out-of-sample figures: how many sets the
 * in-sample Sharpe was the best of, and whether it stands out from luck at 95 %. Null when
 * nothing was chosen.
 */
export function deflatedSharpeSentence(report: OptimizerJson): string | null {
  const inSample = report.inSampleMetrics;
  if (inSample === null) return null;
  const { trials, dsr } = report.deflatedSharpe;
  const tried = `The chosen set's in-sample Sharpe ${sharpeText(inSample.sharpe)} after ${trials.toLocaleString('en-US')} trial${trials === 1 ? '' : 's'}`;
  if (trials < 2) return `${tried}: too few trials to deflate it.`;
  if (dsr === null) return `${tried}: the deflated Sharpe is undefined (too few dates, or returns that do not move).`;
  const verdict = dsr >= DEFLATED_SHARPE_CONFIDENCE ? 'distinguishable from luck at 95 %' : 'not distinguishable from luck at 95 %';
  return `${tried}: deflated Sharpe ${dsr.toFixed(2)}, i.e. ${verdict}.`;
}

export function optimizerSummaryLines(report: OptimizerJson): string[] {
  const limits = outOfSampleLimitsSentence(report);
  const deflated = deflatedSharpeSentence(report);
  const lines = [
    `${evaluatedSets(report)} candidate sets evaluated in ${report.steps.length} step(s); stopped: ${report.stopReason}`,
    `Chosen, in order: ${report.chosen.length === 0 ? 'nothing' : report.chosen.join(', ')}`,
    `Sharpe in sample ${sharpeText(report.inSampleMetrics?.sharpe)}` +
      (report.outOfSample === null
        ? ' (no out-of-sample period: set optimizer.inSampleEnd)'
        : `, out of sample ${sharpeText(report.outOfSampleMetrics?.sharpe)}`),
    ...(limits === null ? [] : [limits]),
    ...(deflated === null ? [] : [deflated]),
    `See ${OPTIMIZER_FILES.page} for the path and the config to run the chosen set.`,
  ];
  return lines.flatMap((line) => wrap(line, ''));
}
