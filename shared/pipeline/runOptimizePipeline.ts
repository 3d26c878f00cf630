/**
 * `optimize` as stages, as the local command runs them: the same Load+Validate and Align+Scale as
 * a run, the greedy search, then optimizer.json and its page.
 */
import type { Storage } from '#shared/storage/storage.ts';
import { alignAndScale } from './alignAndScale.ts';
import { loadAndValidate } from './loadAndValidate.ts';
import { finishOptimizer } from './finishOptimizer.ts';
import { runOptimizer } from './optimize.ts';
import type { PipelineInput } from './runPipeline.ts';
import { localStages, OPTIMIZE_STAGES } from './stageList.ts';
import type { AlignOutput } from './stageOutputs.ts';
import { stageTimer, type PipelineObserver } from './stageTimer.ts';

export interface OptimizeOutput {
  align: AlignOutput;
  steps: number;
  evaluated: number;
  chosen: string[];
  keys: string[];
}

export async function runOptimizePipeline(storage: Storage, input: PipelineInput, observer: PipelineObserver = {}): Promise<OptimizeOutput> {
  const timed = stageTimer(localStages(OPTIMIZE_STAGES), observer);
  const { workPrefix, stagingPrefix } = input;
  await timed('Load+Validate', () => loadAndValidate(storage, input, observer.progress));
  const align = await timed('Align+Scale', () => alignAndScale(storage, { workPrefix }));
  const search = await timed('Optimize', () => runOptimizer(storage, { workPrefix }, observer.progress));
  const written = await timed('Write optimizer', () => finishOptimizer(storage, { workPrefix, stagingPrefix }));
  return { align, ...search, ...written };
}
