/** Stage 4, Report (SPEC 6): the three CSVs, streamed, and summary.json. */
import { isoDate } from '../dates.js';
import { csvChunks } from '../report/csvText.js';
import { accountColumns, buildSummary, masterColumns, portfolioColumns, rebalanceLogRows, REPORT_FILES } from '../report/reportFiles.js';
import { joinKey, type Storage } from '../storage/storage.js';
import { readRunArtifacts, writeJson } from './artifacts.js';
import { comparisonJson } from './runScenarios.js';

export interface ReportInput {
  workPrefix: string;
  outputPrefix: string;
}

export interface ReportOutput {
  keys: string[];
}

export async function writeReport(storage: Storage, input: ReportInput): Promise<ReportOutput> {
  const { validation, results, scaled, performance } = await readRunArtifacts(storage, input.workPrefix);
  const { config } = validation;
  const dates = Array.from(scaled.aligned.calendar, isoDate);
  const key = (name: string): string => joinKey(input.outputPrefix, name);

  await storage.put(key(REPORT_FILES.master), csvChunks(dates, masterColumns(config, scaled, performance)));
  await storage.put(key(REPORT_FILES.accounts), csvChunks(dates, accountColumns(config, performance)));
  await storage.put(key(REPORT_FILES.portfolio), csvChunks(dates, portfolioColumns(performance)));
  await writeJson(storage, key(REPORT_FILES.summary), buildSummary(validation, results));
  const written: string[] = [REPORT_FILES.master, REPORT_FILES.accounts, REPORT_FILES.portfolio, REPORT_FILES.summary];
  if (results.partB !== null) {
    const rows = rebalanceLogRows(config, scaled.aligned.calendar, performance.ledger);
    await storage.put(key(REPORT_FILES.rebalanceLog), `${rows.join('\n')}\n`);
    await writeJson(storage, key(REPORT_FILES.limits), results.partB.limits);
    written.push(REPORT_FILES.rebalanceLog, REPORT_FILES.limits);
  }
  if (config.scenarios.length > 0) {
    await storage.put(key(REPORT_FILES.comparison), comparisonJson(storage, input.workPrefix, config, results));
    written.push(REPORT_FILES.comparison);
  }
  return { keys: written.map(key) };
}
