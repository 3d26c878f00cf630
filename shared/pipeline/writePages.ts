/**
 * Stage Pages: a self-contained tearsheet per strategy, account and the portfolio (charts
 * inline), one chunk of levels at a time (a Map item in the cloud); then index.html and
 * correlation.csv. Reads the PNGs the Charts stage wrote; `report/` says what each page shows.
 */
import type { z } from 'zod';
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import type { Validation } from '#shared/model/validation.ts';
import { MONTE_CARLO_FILES } from '#shared/report/monteCarloFiles.ts';
import { correlationCsv, strategyCorrelation } from '#shared/report/correlationCsv.ts';
import { indexPage } from '#shared/report/html/indexPage.ts';
import { tearsheetPage } from '#shared/report/html/tearsheetPage.ts';
import { indexContent } from '#shared/report/indexContent.ts';
import { chunkLevels, levelCount } from '#shared/report/reportChunks.ts';
import { everyLevel, everyLevelColumns, reportLevel } from '#shared/report/reportLevels.ts';
import { reportPaths } from '#shared/report/reportNames.ts';
import { pageChunkColumns, tearsheetCharts, tearsheetContent } from '#shared/report/tearsheetContent.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readJson } from './artifacts.ts';
import { readReportSource } from './reportSource.ts';
import { readComparisonSummary } from './runScenarios.ts';
import type { ProgressListener } from './progress.ts';
import { chunkInputSchema, stagingInputSchema } from './stageInputs.ts';

export const pagesInputSchema = chunkInputSchema;
export type PagesInput = z.infer<typeof pagesInputSchema>;

export const indexInputSchema = stagingInputSchema;
export type IndexInput = z.infer<typeof indexInputSchema>;

export interface PagesOutput {
  pages: number;
}

/** The tearsheets of one chunk of levels (a Map item in the cloud), each with its charts inline. */
export async function writePageChunk(storage: Storage, input: PagesInput, progress?: ProgressListener): Promise<PagesOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { from, to } = chunkLevels(config, input.chunk);
  const source = await readReportSource(storage, input.workPrefix, pageChunkColumns(config, input.chunk));
  const key = (path: string): string => joinKey(input.stagingPrefix, path);
  for (let index = from; index < to; index += 1) {
    progress?.({ stage: 'pages', done: index, total: levelCount(config) });
    const level = reportLevel(source, index);
    const charts = [];
    for (const { alt, path } of tearsheetCharts(level, source)) charts.push({ alt, png: await storage.get(key(path)) });
    await storage.put(key(reportPaths.tearsheet(level.level, level.name)), tearsheetPage(tearsheetContent(level, source, charts)));
  }
  return { pages: to - from };
}

/** index.html and correlation.csv, once every chunk's charts and tearsheets are written. */
export async function writeIndex(storage: Storage, input: IndexInput): Promise<PagesOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const source = await readReportSource(storage, input.workPrefix, everyLevelColumns(config));
  const levels = everyLevel(source);
  const key = (path: string): string => joinKey(input.stagingPrefix, path);
  const correlation = strategyCorrelation(levels);
  await storage.put(key(reportPaths.correlation), correlationCsv(config, correlation));
  const comparison = await readComparisonSummary(storage, input.workPrefix, source.validation.config, source.results);
  const charts = {
    portfolio: await storage.get(key(reportPaths.equityChart('portfolio', 'Portfolio'))),
    scenarios: comparison === null ? null : await storage.get(key(reportPaths.scenariosChart)),
    forwardRisk:
      config.monteCarlo === undefined
        ? null
        : { report: await readJson<MonteCarloJson>(storage, key(MONTE_CARLO_FILES.json)), chart: await storage.get(key(reportPaths.monteCarloFanChart)) },
  };
  await storage.put(key(reportPaths.index), indexPage(indexContent(source, levels, correlation, comparison, charts)));
  return { pages: 1 };
}
