/**
 * The last stage of `optimize`: optimizer.json from the finished search, with the chosen set's
 * continuous run in and out of sample, and optimizer.html with its path chart.
 */
import { at } from '../collections.js';
import type { SelectionState } from '../optimize/greedySelection.js';
import { optimizerJson } from '../optimize/optimizerReport.js';
import { optimizerPathFigure } from '../report/charts/figures.js';
import { optimizerPage } from '../report/html/optimizerPage.js';
import { OPTIMIZER_FILES } from '../report/reportNames.js';
import { joinKey, type Storage } from '../storage/storage.js';
import { readJson, writeJson } from './artifacts.js';
import { loadContext, stateKey } from './optimize.js';

export async function finishOptimizer(
  storage: Storage,
  { workPrefix, outputPrefix }: { workPrefix: string; outputPrefix: string },
): Promise<{ chosen: string[]; keys: string[] }> {
  const context = await loadContext(storage, workPrefix);
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const report = optimizerJson(context, state);
  const keys = [joinKey(outputPrefix, OPTIMIZER_FILES.json), joinKey(outputPrefix, OPTIMIZER_FILES.page)];
  await writeJson(storage, at(keys, 0), report);
  const chosenStrategies = context.config.strategies.filter((strategy) => report.chosen.includes(strategy.name));
  await storage.put(at(keys, 1), optimizerPage(report, chosenStrategies, optimizerPathFigure(report)));
  return { chosen: report.chosen, keys };
}

