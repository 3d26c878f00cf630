/** `portfolio-combiner run`: the pipeline's stages on the local file system (SPEC 8). */
import { isoDate } from '../shared/dates.js';
import { artifactKey, readJson, type Results, type Validation } from '../shared/pipeline/artifacts.js';
import { runPipeline } from '../shared/pipeline/runPipeline.js';
import { runSummaryLines } from '../shared/report/runSummaryText.js';
import { localRun, localStorage, type Console, type RunOptions } from './localRun.js';

export async function runCommand(options: RunOptions, console: Console): Promise<number> {
  return localRun(
    options,
    console,
    (input, observer) => runPipeline(localStorage, input, observer),
    async (run, workPrefix) =>
      runSummaryLines({
        validation: await readJson<Validation>(localStorage, artifactKey(workPrefix, 'validation')),
        results: await readJson<Results>(localStorage, artifactKey(workPrefix, 'results')),
        finalEquity: run.compound.finalEquity,
        dates: { count: run.align.dates, first: isoDate(run.align.firstDate), last: isoDate(run.align.lastDate) },
      }),
  );
}
