/** What the optimizer found, in a few lines: for the terminal after `optimize` and for its email. */
import type { OptimizerJson } from '../optimize/optimizerReport.js';
import { OPTIMIZER_FILES } from './reportNames.js';

function sharpeText(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(2);
}

/** Every candidate set evaluated, over every step. */
export function evaluatedSets(report: OptimizerJson): number {
  return report.steps.reduce((sum, step) => sum + step.candidates.length, 0);
}

export function optimizerSummaryLines(report: OptimizerJson): string[] {
  return [
    `${evaluatedSets(report)} candidate sets evaluated in ${report.steps.length} step(s); stopped: ${report.stopReason}`,
    `Chosen, in order: ${report.chosen.length === 0 ? 'nothing' : report.chosen.join(', ')}`,
    `Sharpe in sample ${sharpeText(report.inSampleMetrics?.sharpe)}` +
      (report.outOfSample === null
        ? ' (no out-of-sample period: set optimizer.inSampleEnd)'
        : `, out of sample ${sharpeText(report.outOfSampleMetrics?.sharpe)}`),
    `See ${OPTIMIZER_FILES.page} for the path and the config to run the chosen set.`,
  ];
}
