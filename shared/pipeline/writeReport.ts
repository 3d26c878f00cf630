/** Stage 4, Report (SPEC 6, 14, 16.3, 17, 18.2, 19.2, 20): the CSVs, streamed, and summary.json; the bootstrap's files when it ran. */
import type { z } from 'zod';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDates } from '#shared/dates.ts';
import type { Results } from '#shared/model/results.ts';
import { dailyPnlOf } from '#shared/model/runSeries.ts';
import type { Validation } from '#shared/model/validation.ts';
import { csvChunks } from '#shared/report/csvText.ts';
import {
  accountColumns,
  buildSummary,
  dailyPnlColumns,
  EVERY_RUN_FILES,
  portfolioColumns,
  rebalanceLogCsv,
  REPORT_FILES,
  rollingCsvColumns,
  strategyColumns,
} from '#shared/report/reportFiles.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readBenchmarkSeries, readCalendar, readJson, readRunTotals, readStrategySeries, writeJson } from './artifacts.ts';
import { copyMonteCarloFiles } from './monteCarlo.ts';
import { comparisonJson } from './runScenarios.ts';
import { stagingInputSchema } from './stageInputs.ts';

export const reportInputSchema = stagingInputSchema;
export type ReportInput = z.infer<typeof reportInputSchema>;

export interface ReportOutput {
  keys: string[];
}

/**
 * One file at a time, each from the stored columns it shows: the master file's series are let go
 * before the other files' are read, so the stage holds the largest file's columns, not the run's.
 */
export async function writeReport(storage: Storage, input: ReportInput): Promise<ReportOutput> {
  const validation = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const results = await readJson<Results>(storage, artifactKey(input.workPrefix, 'results'));
  const { config } = validation;
  const calendar = await readCalendar(storage, input.workPrefix);
  const dates = isoDates(calendar);
  const key = (name: string): string => joinKey(input.stagingPrefix, name);

  await writeMasterFile(storage, input.workPrefix, config, dates, key(REPORT_FILES.master));
  const series = await readRunTotals(storage, input.workPrefix);
  await storage.put(key(REPORT_FILES.accounts), csvChunks(dates, accountColumns(config, series), REPORT_FILES.accounts));
  await storage.put(key(REPORT_FILES.portfolio), csvChunks(dates, portfolioColumns(series), REPORT_FILES.portfolio));
  await storage.put(key(REPORT_FILES.dailyPnl), csvChunks(dates, dailyPnlColumns(config, dailyPnlOf(config, series.ledger)), REPORT_FILES.dailyPnl));
  const benchmark = await readBenchmarkSeries(storage, input.workPrefix, config);
  const rollingColumns = rollingCsvColumns(config, series, calendar, benchmark);
  await storage.put(key(REPORT_FILES.rollingMetrics), csvChunks(dates, rollingColumns, REPORT_FILES.rollingMetrics));
  await writeJson(storage, key(REPORT_FILES.summary), buildSummary(validation, results));
  const written: string[] = [...EVERY_RUN_FILES];
  if (validation.restatements !== undefined) {
    await storage.copy(artifactKey(input.workPrefix, 'restatements'), key(REPORT_FILES.restatements));
    written.push(REPORT_FILES.restatements);
  }
  if (results.partB !== null) {
    await storage.put(key(REPORT_FILES.rebalanceLog), rebalanceLogCsv(config, calendar, series.ledger));
    await writeJson(storage, key(REPORT_FILES.limits), results.partB.limits);
    written.push(REPORT_FILES.rebalanceLog, REPORT_FILES.limits);
  }
  if (config.scenarios.length > 0) {
    await storage.put(key(REPORT_FILES.comparison), comparisonJson(storage, input.workPrefix, config, results));
    written.push(REPORT_FILES.comparison);
  }
  if (config.monteCarlo !== undefined) written.push(...(await copyMonteCarloFiles(storage, input.workPrefix, key)));
  return { keys: written.map(key) };
}

/** `1_master_aligned_data.csv`: every strategy's series, read for it alone and let go when it is written. */
async function writeMasterFile(storage: Storage, workPrefix: string, config: PortfolioConfig, dates: readonly string[], fileKey: string): Promise<void> {
  const strategies = await readStrategySeries(storage, workPrefix, config.strategies.length);
  const columns = strategies.flatMap((series, s) => strategyColumns(config, s, series));
  await storage.put(fileKey, csvChunks(dates, columns, REPORT_FILES.master));
}
