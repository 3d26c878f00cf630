/**
 * One stage of the cloud pipeline, alone in this process, as its Lambda runs it: the same stage
 * function on the file-system storage rooted at `root`, for the run `bench` whose data is under
 * `data/`. The parent starts it with the function's heap limit and reads its peak memory.
 *   node --max-old-space-size=MB --import ./bench/childProbe.mjs --import tsx bench/stageChild.ts ROOT STAGE [CHUNK]
 * CHUNK is the chunk of levels (render-charts, write-pages), the scenario (run-scenario), the
 * bootstrap's chunk (run-bootstrap-chunk) or the number of chunks to merge (merge-monte-carlo).
 */
import { alignAndScale } from '#shared/pipeline/alignAndScale.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from '#shared/pipeline/artifacts.ts';
import { compoundAndReconcile } from '#shared/pipeline/compoundAndReconcile.ts';
import { loadAndValidate } from '#shared/pipeline/loadAndValidate.ts';
import { mergeMonteCarlo, planMonteCarlo, runPlannedMonteCarloChunk } from '#shared/pipeline/monteCarlo.ts';
import { publishLatest } from '#shared/pipeline/publishLatest.ts';
import { renderChartChunk } from '#shared/pipeline/renderCharts.ts';
import { runNotification } from '#shared/pipeline/runNotifications.ts';
import { sealReport } from '#shared/pipeline/runFolders.ts';
import { runScenario } from '#shared/pipeline/runScenarios.ts';
import { writeIndex, writePageChunk } from '#shared/pipeline/writePages.ts';
import { writeReport } from '#shared/pipeline/writeReport.ts';
import { runPrefixes } from '#shared/storage/bucketLayout.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';

export const BENCH_RUN = 'bench';

async function main(root: string, stage: string, chunk: number): Promise<unknown> {
  const storage = new FileSystemStorage(root);
  const { workPrefix, stagingPrefix, reportPrefix, dataPrefix } = runPrefixes(BENCH_RUN);
  switch (stage) {
    case 'load-validate':
      return loadAndValidate(storage, { dataPrefix: 'data/', workPrefix });
    case 'align-scale':
      return alignAndScale(storage, { workPrefix });
    case 'compound-reconcile':
      return compoundAndReconcile(storage, { workPrefix }, 40);
    case 'run-scenario':
      return runScenario(storage, { workPrefix, index: chunk });
    case 'plan-monte-carlo':
      return planMonteCarlo(storage, { workPrefix });
    case 'run-bootstrap-chunk':
      return runPlannedMonteCarloChunk(storage, { workPrefix, chunk });
    case 'merge-monte-carlo':
      // CHUNK is the number of chunks the plan listed.
      return mergeMonteCarlo(storage, { workPrefix, chunks: chunk });
    case 'write-report':
      return writeReport(storage, { workPrefix, stagingPrefix });
    case 'render-charts':
      return renderChartChunk(storage, { workPrefix, stagingPrefix, chunk });
    case 'write-pages':
      return writePageChunk(storage, { workPrefix, stagingPrefix, chunk });
    case 'write-index':
      return writeIndex(storage, { workPrefix, stagingPrefix });
    case 'seal-report':
      return sealReport(storage, { stagingPrefix, reportPrefix });
    case 'publish-latest':
      return publishLatest(storage, { runId: BENCH_RUN, reportPrefix, dataPrefix, uploadCompletedAt: new Date().toISOString(), command: 'run' }, new Date());
    case 'notify': {
      // The notifier's work: the one email composed from the run's artifacts (SNS itself is not measured).
      const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
      const align = await readJson<{ dates: number; firstDate: number; lastDate: number }>(storage, `${workPrefix}bench-align.json`);
      const notice = await runNotification(
        storage,
        { runId: BENCH_RUN, workPrefix, align },
        { report: `s3://bench/${reportPrefix}` },
        { published: true, latest: { runId: BENCH_RUN, report: reportPrefix, uploadCompletedAt: '', publishedAt: '' }, bucket: 'bench' },
      );
      return { strategies: config.strategies.length, messageBytes: Buffer.byteLength(notice.message) };
    }
    default:
      throw new Error(`unknown stage ${stage}`);
  }
}

const [root, stage, chunk] = process.argv.slice(2);
if (root === undefined || stage === undefined) {
  process.stderr.write('usage: bench/stageChild.ts ROOT STAGE [CHUNK]\n');
  process.exit(2);
}
const output = await main(root, stage, Number(chunk ?? '0'));
process.stdout.write(`${JSON.stringify(output)}\n`);
