/** `portfolio-combiner run`: the pipeline's stages on the local file system (SPEC 8). */
import { finishedRunSummary } from '../shared/pipeline/runNotifications.js';
import { runPipeline } from '../shared/pipeline/runPipeline.js';
import { runSummaryLines } from '../shared/report/runSummaryText.js';
import { localRun, localStorage, type Console, type RunOptions } from './localRun.js';

export async function runCommand(options: RunOptions, console: Console): Promise<number> {
  return localRun(
    options,
    console,
    (input, observer) => runPipeline(localStorage, input, observer),
    async (run, workPrefix) => runSummaryLines(await finishedRunSummary(localStorage, { workPrefix, ...run })),
  );
}
