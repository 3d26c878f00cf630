/**
 * Stage Charts, one chunk of levels at a time (a Map item in the cloud): a PNG per strategy,
 * account and the portfolio, each part-B account's sleeve weights, and with the chunk that holds
 * the portfolio the whole-portfolio charts (`report/reportCharts.ts` draws them all).
 */
import type { z } from 'zod';
import type { Validation } from '#shared/model/validation.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { parseFanCsv } from '#shared/report/monteCarloFiles.ts';
import { chartChunkColumns, levelChart, levelRiskCharts, monteCarloFanChart, portfolioCharts, weightCharts, type ReportChart } from '#shared/report/reportCharts.ts';
import { chunkLevels, holdsPortfolio, levelCount } from '#shared/report/reportChunks.ts';
import { reportLevel, type ReportSource } from '#shared/report/reportLevels.ts';
import type { BenchmarkSeries } from '#shared/calc/benchmarkResults.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readBenchmarkSeries, readJson } from './artifacts.ts';
import { monteCarloKeys } from './monteCarlo.ts';
import { readReportSource } from './reportSource.ts';
import { readScenarioEquity } from './runScenarios.ts';
import { nextTicket, wholeChunk, type ChunkShare } from './chunkThreads.ts';
import type { ProgressListener } from './progress.ts';
import { chunkInputSchema } from './stageInputs.ts';

export const chartsInputSchema = chunkInputSchema;
export type ChartsInput = z.infer<typeof chartsInputSchema>;

export interface ChartsOutput {
  charts: number;
}

export async function renderChartChunk(storage: Storage, input: ChartsInput, progress?: ProgressListener, share: ChunkShare = wholeChunk()): Promise<ChartsOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { from, to } = chunkLevels(config, input.chunk);
  const source = await readReportSource(storage, input.workPrefix, chartChunkColumns(config, input.chunk));
  const put = ({ path, png }: ReportChart): Promise<void> => storage.put(joinKey(input.stagingPrefix, path), png);
  const benchmark = holdsPortfolio(config, input.chunk) ? await readBenchmarkSeries(storage, input.workPrefix, config) : null;
  let drawn = 0;
  // Ticket 0 is the account weights and whole-portfolio charts, the longest piece, so it starts
  // first; ticket 1 + i is the chunk's i-th level (`chunkThreads.ts` says how threads share them).
  for (let ticket = nextTicket(share); ticket <= to - from; ticket = nextTicket(share)) {
    const charts = ticket === 0 ? await chunkWideCharts(storage, input, source, holdsPortfolio(config, input.chunk)) : levelCharts(source, from + ticket - 1, benchmark, progress);
    for (const chart of charts) {
      await put(chart);
      drawn += 1;
    }
  }
  return { charts: drawn };
}

/** A level's equity chart and, for an account or the portfolio, its risk charts. */
function levelCharts(source: ReportSource, index: number, benchmark: BenchmarkSeries | null, progress?: ProgressListener): ReportChart[] {
  progress?.({ stage: 'charts', done: index, total: levelCount(source.validation.config) });
  const level = reportLevel(source, index);
  return [levelChart(level, source, benchmark), ...levelRiskCharts(level, source)];
}

/** The chunk's part-B account weights and, with the portfolio, the whole-portfolio charts. */
async function chunkWideCharts(storage: Storage, input: ChartsInput, source: ReportSource, withPortfolio: boolean): Promise<ReportChart[]> {
  const { config } = source.validation;
  const charts = [...weightCharts(source, input.chunk)];
  if (!withPortfolio) return charts;
  const scenarioEquity: Float64Array[] = [];
  for (let index = 0; index < config.scenarios.length; index += 1) scenarioEquity.push(await readScenarioEquity(storage, input.workPrefix, index));
  charts.push(...portfolioCharts(source, scenarioEquity));
  if (config.monteCarlo !== undefined) {
    // Merge Monte Carlo's own files, there before this stage starts; their copies in the report
    // are written by Write data files, which runs beside this stage in the cloud.
    const merged = monteCarloKeys(input.workPrefix);
    const report = await readJson<MonteCarloJson>(storage, merged.json);
    charts.push(monteCarloFanChart(source, report, parseFanCsv(Buffer.from(await storage.get(merged.fan)).toString('utf8'))));
  }
  return charts;
}
