/** `portfolio-combiner optimize`: the greedy strategy-subset search (SPEC 13), optimizer.json and its page. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import { optimizerSummaryLines } from '#shared/report/optimizerSummaryText.ts';
import { runOptimizePipeline } from '#shared/pipeline/runOptimizePipeline.ts';
import { localRun, localStorage, type Console, type RunOptions } from './localRun.ts';

export async function optimizeCommand(options: RunOptions, console: Console): Promise<number> {
  return localRun(
    options,
    console,
    (input, observer) => runOptimizePipeline(localStorage, input, observer),
    async (output) => {
      const report = JSON.parse(await readFile(resolve('/', output.keys[0] ?? ''), 'utf8')) as OptimizerJson;
      return optimizerSummaryLines(report);
    },
  );
}
