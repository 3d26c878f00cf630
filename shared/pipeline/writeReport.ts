/** Stage 4, Report (SPEC 6, 14, 16.3, 17, 18.2, 19.2, 20): the CSVs, streamed, and summary.json; the bootstrap's files when it ran. */
import type { z } from 'zod';
import { isoDates } from '#shared/dates.ts';
import { dailyPnlOf } from '#shared/model/runSeries.ts';
import { csvChunks } from '#shared/report/csvText.ts';
import {
  buildSummary,
  dailyPnlColumns,
  EVERY_RUN_FILES,
  levelColumns,
  rebalanceLogCsv,
  REPORT_FILES,
  rollingCsvColumns,
} from '#shared/report/reportFiles.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readBenchmarkSeries, readRunArtifacts, writeJson } from './artifacts.ts';
import { copyMonteCarloFiles } from './monteCarlo.ts';
import { comparisonJson } from './runScenarios.ts';
import { stagingInputSchema } from './stageInputs.ts';

export const reportInputSchema = stagingInputSchema;
export type ReportInput = z.infer<typeof reportInputSchema>;

export interface ReportOutput {
  keys: string[];
}

export async function writeReport(storage: Storage, input: ReportInput): Promise<ReportOutput> {
  const { validation, results, scaled, series } = await readRunArtifacts(storage, input.workPrefix);
  const { config } = validation;
  const dates = isoDates(scaled.aligned.calendar);
  const key = (name: string): string => joinKey(input.stagingPrefix, name);

  const { strategies, accounts, portfolio } = levelColumns(validation, scaled, series);
  await storage.put(key(REPORT_FILES.master), csvChunks(dates, strategies.flatMap((level) => level.columns), REPORT_FILES.master));
  await storage.put(key(REPORT_FILES.accounts), csvChunks(dates, accounts.flatMap((level) => level.columns), REPORT_FILES.accounts));
  await storage.put(key(REPORT_FILES.portfolio), csvChunks(dates, portfolio.columns, REPORT_FILES.portfolio));
  await storage.put(key(REPORT_FILES.dailyPnl), csvChunks(dates, dailyPnlColumns(config, dailyPnlOf(config, series.ledger)), REPORT_FILES.dailyPnl));
  const benchmark = await readBenchmarkSeries(storage, input.workPrefix, config);
  const rollingColumns = rollingCsvColumns(config, series, scaled.aligned.calendar, benchmark);
  await storage.put(key(REPORT_FILES.rollingMetrics), csvChunks(dates, rollingColumns, REPORT_FILES.rollingMetrics));
  await writeJson(storage, key(REPORT_FILES.summary), buildSummary(validation, results));
  const written: string[] = [...EVERY_RUN_FILES];
  if (validation.restatements !== undefined) {
    await storage.copy(artifactKey(input.workPrefix, 'restatements'), key(REPORT_FILES.restatements));
    written.push(REPORT_FILES.restatements);
  }
  if (results.partB !== null) {
    await storage.put(key(REPORT_FILES.rebalanceLog), rebalanceLogCsv(config, scaled.aligned.calendar, series.ledger));
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
