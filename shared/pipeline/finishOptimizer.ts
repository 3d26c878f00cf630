/**
 * The last stage of `optimize`: optimizer.json from the finished search, with the chosen set's
 * continuous run in and out of sample, and optimizer.html with its path chart.
 */
import type { z } from 'zod';
import { at } from '#shared/collections.ts';
import type { SelectionState } from '#shared/optimize/greedySelection.ts';
import { chosenStrategyConfigs, optimizerJson } from '#shared/optimize/optimizerReport.ts';
import { optimizerPathFigure } from '#shared/report/charts/figures.ts';
import { optimizerPage } from '#shared/report/html/optimizerPage.ts';
import { OPTIMIZER_FILES } from '#shared/report/reportNames.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { readJson, writeJson } from './artifacts.ts';
import { loadContext, stateKey } from './optimize.ts';
import { stagingInputSchema } from './stageInputs.ts';
import type { FinishOptimizerOutput } from './stageOutputs.ts';

export const finishOptimizerInputSchema = stagingInputSchema;

export async function finishOptimizer(
  storage: Storage,
  { workPrefix, stagingPrefix }: z.infer<typeof finishOptimizerInputSchema>,
): Promise<FinishOptimizerOutput> {
  const context = await loadContext(storage, workPrefix);
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const report = optimizerJson(context, state);
  const keys = [joinKey(stagingPrefix, OPTIMIZER_FILES.json), joinKey(stagingPrefix, OPTIMIZER_FILES.page)];
  await writeJson(storage, at(keys, 0), report);
  await storage.put(at(keys, 1), optimizerPage(report, chosenStrategyConfigs(context.config, report), optimizerPathFigure(report)));
  return { chosen: report.chosen, keys };
}

