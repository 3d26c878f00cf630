/**
 * The stages in order, as the local run executes them; the cloud state machine runs the same
 * stage functions, one Lambda each, handing over the same keys.
 */
import type { Validation } from '#shared/model/validation.ts';
import { chunkCount, chunkLevels } from '#shared/report/reportChunks.ts';
import type { Storage } from '#shared/storage/storage.ts';
import { alignAndScale } from './alignAndScale.ts';
import { compoundAndReconcile, type CompoundOutput } from './compoundAndReconcile.ts';
import { loadAndValidate, type LoadInput, type LoadOutput } from './loadAndValidate.ts';
import { runMonteCarlo, type MonteCarloChunkRunner, type MonteCarloPlan } from './monteCarlo.ts';
import { renderChartChunk, type ChartsInput, type ChartsOutput } from './renderCharts.ts';
import type { ProgressListener } from './progress.ts';
import { runScenarios } from './runScenarios.ts';
import { localStages, RUN_STAGES } from './stageList.ts';
import type { AlignOutput } from './stageOutputs.ts';
import { stageTimer, type PipelineObserver } from './stageTimer.ts';
import { writeIndex, type PagesOutput } from './writePages.ts';
import { writePageChunks, type PageChunksWriter } from './pageThreads.ts';
import { artifactKey, readJson } from './artifacts.ts';
import { writeReport, type ReportInput, type ReportOutput } from './writeReport.ts';

/** Load+Validate's input (the inputs, the work folder) and where the stages write the report. */
export type PipelineInput = LoadInput & ReportInput;

export interface PipelineOutput {
  load: LoadOutput;
  align: AlignOutput;
  compound: CompoundOutput;
  scenarios: { scenarios: number };
  monteCarlo: MonteCarloPlan;
  report: ReportOutput;
  charts: ChartsOutput;
  pages: PagesOutput;
}

/** Draws one chunk's charts: in this thread by default, or shared among workers (the local run's `chartChunkInWorkers`). */
export type ChartChunkRenderer = (input: ChartsInput, progress: ProgressListener | undefined, levels: number) => Promise<ChartsOutput>;

/** How the stages whose pieces the cloud fans out run them here: on this thread unless given. */
export interface LocalFanOut {
  charts?: ChartChunkRenderer;
  pages?: PageChunksWriter;
  /** Told the first chunk's levels once the inputs are valid, so that what `charts` needs loads while the data stages run. */
  chartsAhead?: (firstChunkLevels: number) => void;
  monteCarloChunks?: MonteCarloChunkRunner;
}

export async function runPipeline(storage: Storage, input: PipelineInput, observer: PipelineObserver = {}, fanOut: LocalFanOut = {}): Promise<PipelineOutput> {
  const renderCharts = fanOut.charts ?? ((item, progress) => renderChartChunk(storage, item, progress));
  const writePages = fanOut.pages ?? ((items, progress) => writePageChunks(storage, items, progress));
  const timed = stageTimer(localStages(RUN_STAGES), observer);
  const { workPrefix, stagingPrefix } = input;
  const load = await timed('Load+Validate', () => loadAndValidate(storage, input, observer.progress));
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  const firstChunk = chunkLevels(config, 0);
  fanOut.chartsAhead?.(firstChunk.to - firstChunk.from);
  const align = await timed('Align+Scale', () => alignAndScale(storage, { workPrefix }));
  const compound = await timed('Compound+Reconcile', () => compoundAndReconcile(storage, { workPrefix }));
  const scenarios = await timed('Scenarios', () => runScenarios(storage, { workPrefix }, observer.progress));
  const monteCarlo = await timed('Monte Carlo', () => runMonteCarlo(storage, { workPrefix }, observer.progress, fanOut.monteCarloChunks));
  const report = await timed('Write data files', () => writeReport(storage, { workPrefix, stagingPrefix }));
  // The chunks the cloud fans out as a Map, here one after the other.
  const chunks = chunkCount(config);
  const charts = await timed('Render charts', async () => {
    let drawn = 0;
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      const { from, to } = chunkLevels(config, chunk);
      drawn += (await renderCharts({ workPrefix, stagingPrefix, chunk }, observer.progress, to - from)).charts;
    }
    return { charts: drawn };
  });
  const pages = await timed('Write pages', async () => {
    const { pages: written } = await writePages(Array.from({ length: chunks }, (_, chunk) => ({ workPrefix, stagingPrefix, chunk })), observer.progress);
    return { pages: written + (await writeIndex(storage, { workPrefix, stagingPrefix })).pages };
  });
  return { load, align, compound, scenarios, monteCarlo, report, charts, pages };
}
