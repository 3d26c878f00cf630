/** `portfolio-combiner optimize`: the greedy strategy-subset search (SPEC 13), optimizer.json and its page. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OptimizerJson } from '../shared/optimize/optimizerReport.js';
import { OPTIMIZER_FILES } from '../shared/pipeline/optimize.js';
import { runOptimizePipeline } from '../shared/pipeline/runOptimizePipeline.js';
import { localRun, localStorage, type Console, type RunOptions } from './localRun.js';

export async function optimizeCommand(options: RunOptions, console: Console): Promise<number> {
  return localRun(
    options,
    console,
    (input, observer) => runOptimizePipeline(localStorage, input, observer),
    async (output) => {
      const report = JSON.parse(await readFile(resolve('/', output.keys[0] ?? ''), 'utf8')) as OptimizerJson;
      const sharpe = (value: number | null | undefined): string => (value === null || value === undefined ? 'n/a' : value.toFixed(2));
      return [
        `${output.evaluated} candidate sets evaluated in ${output.steps} step(s); stopped: ${report.stopReason}`,
        `Chosen, in order: ${report.chosen.length === 0 ? 'nothing' : report.chosen.join(', ')}`,
        `Sharpe in sample ${sharpe(report.inSampleMetrics?.sharpe)}` +
          (report.outOfSample === null ? ' (no out-of-sample period: set optimizer.inSampleEnd)' : `, out of sample ${sharpe(report.outOfSampleMetrics?.sharpe)}`),
        `See ${OPTIMIZER_FILES.page} for the path and the config to run the chosen set.`,
      ];
    },
  );
}
