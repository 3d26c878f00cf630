/**
 * Stage Charts, one chunk of levels at a time (a Map item in the cloud): a PNG per strategy,
 * account and the portfolio, each part-B account's sleeve weights, and with the chunk that holds
 * the portfolio the whole-portfolio charts (`report/reportCharts.ts` draws them all).
 */
import type { z } from 'zod';
import type { Validation } from '#shared/model/validation.ts';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { MONTE_CARLO_FILES, parseFanCsv } from '#shared/report/monteCarloFiles.ts';
import { chartChunkColumns, levelChart, levelRiskCharts, monteCarloFanChart, portfolioCharts, weightCharts, type ReportChart } from '#shared/report/reportCharts.ts';
import { chunkLevels, holdsPortfolio, levelCount } from '#shared/report/reportChunks.ts';
import { reportLevel } from '#shared/report/reportLevels.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readBenchmarkSeries, readJson } from './artifacts.ts';
import { readReportSource } from './reportSource.ts';
import { readScenarioEquity } from './runScenarios.ts';
import type { ProgressListener } from './progress.ts';
import { chunkInputSchema } from './stageInputs.ts';

export const chartsInputSchema = chunkInputSchema;
export type ChartsInput = z.infer<typeof chartsInputSchema>;

export interface ChartsOutput {
  charts: number;
}

/**
 * Which of a chunk's charts to draw, so that `parts` workers share one chunk: part p draws every
 * parts-th level from the p-th, and the last part the account weights and whole-portfolio charts
 * too (the first levels go to the others). Each chart is drawn alone, so the files are the same
 * however the chunk is shared.
 */
export interface ChartShare {
  part: number;
  parts: number;
}

const WHOLE_CHUNK: ChartShare = { part: 0, parts: 1 };

export async function renderChartChunk(storage: Storage, input: ChartsInput, progress?: ProgressListener, share: ChartShare = WHOLE_CHUNK): Promise<ChartsOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { from, to } = chunkLevels(config, input.chunk);
  const source = await readReportSource(storage, input.workPrefix, chartChunkColumns(config, input.chunk));
  const put = ({ path, png }: ReportChart): Promise<void> => storage.put(joinKey(input.stagingPrefix, path), png);
  const benchmark = holdsPortfolio(config, input.chunk) ? await readBenchmarkSeries(storage, input.workPrefix, config) : null;
  let drawn = 0;
  for (let index = from + share.part; index < to; index += share.parts) {
    progress?.({ stage: 'charts', done: index, total: levelCount(config) });
    const level = reportLevel(source, index);
    for (const chart of [levelChart(level, source, benchmark), ...levelRiskCharts(level, source)]) {
      await put(chart);
      drawn += 1;
    }
  }
  if (share.part !== share.parts - 1) return { charts: drawn };
  const charts = [...weightCharts(source, input.chunk)];
  if (holdsPortfolio(config, input.chunk)) {
    const scenarioEquity: Float64Array[] = [];
    for (let index = 0; index < config.scenarios.length; index += 1) scenarioEquity.push(await readScenarioEquity(storage, input.workPrefix, index));
    charts.push(...portfolioCharts(source, scenarioEquity));
    if (config.monteCarlo !== undefined) {
      const staged = (name: string): string => joinKey(input.stagingPrefix, name);
      const report = await readJson<MonteCarloJson>(storage, staged(MONTE_CARLO_FILES.json));
      charts.push(monteCarloFanChart(source, report, parseFanCsv(Buffer.from(await storage.get(staged(MONTE_CARLO_FILES.fan))).toString('utf8'))));
    }
  }
  for (const chart of charts) await put(chart);
  return { charts: drawn + charts.length };
}
