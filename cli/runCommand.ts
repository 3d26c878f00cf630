/** `portfolio-combiner run`: the pipeline's stages on the local file system (SPEC 8). */
import { finishedRunSummary } from '#shared/pipeline/runNotifications.ts';
import { runPipeline } from '#shared/pipeline/runPipeline.ts';
import { runSummaryLines } from '#shared/report/runSummaryText.ts';
import { chartChunkInWorkers, chartWorkersAhead, pageChunksInWorkers } from './chartWorkers.ts';
import { monteCarloChunksInWorkers } from './monteCarloWorkers.ts';
import { localRun, localStorage, type Console, type RunOptions } from './localRun.ts';

export async function runCommand(options: RunOptions, console: Console): Promise<number> {
  return localRun(
    options,
    console,
    (input, observer) => runPipeline(localStorage, input, observer, { charts: chartChunkInWorkers(), chartsAhead: chartWorkersAhead(), pages: pageChunksInWorkers(), monteCarloChunks: monteCarloChunksInWorkers() }),
    async (run, workPrefix) => runSummaryLines(await finishedRunSummary(localStorage, { workPrefix, ...run })),
  );
}
