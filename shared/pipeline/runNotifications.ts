/** The notifications of a finished run: its summary and an alert per failed check or wipe-out; after `optimize`, its result. */
import { at } from '../collections.js';
import { isoDate } from '../dates.js';
import type { OptimizerJson } from '../optimize/optimizerReport.js';
import type { RunSummaryInput } from '../report/runSummaryText.js';
import { alertNotifications, optimizerNotification, successNotification, type Notification, type ReportLocation } from '../report/notifications.js';
import type { Storage } from '../storage/storage.js';
import { artifactKey, readJson, type Results, type Validation } from './artifacts.js';
import type { AlignOutput } from './alignAndScale.js';
import type { CompoundOutput } from './compoundAndReconcile.js';
import { readComparison } from './runScenarios.js';

export interface FinishedRun {
  runId: string;
  workPrefix: string;
  align: Pick<AlignOutput, 'dates' | 'firstDate' | 'lastDate'>;
  compound: Pick<CompoundOutput, 'finalEquity'>;
}

/** What the terminal and the email say about a finished run, read from its work folder. */
export async function finishedRunSummary(storage: Storage, run: Omit<FinishedRun, 'runId'>): Promise<RunSummaryInput> {
  const validation = await readJson<Validation>(storage, artifactKey(run.workPrefix, 'validation'));
  const results = await readJson<Results>(storage, artifactKey(run.workPrefix, 'results'));
  return {
    validation,
    results,
    finalEquity: run.compound.finalEquity,
    dates: { count: run.align.dates, first: isoDate(run.align.firstDate), last: isoDate(run.align.lastDate) },
    comparison: await readComparison(storage, run.workPrefix, validation.config, results),
  };
}

export async function runNotifications(storage: Storage, run: FinishedRun, location: ReportLocation): Promise<Notification[]> {
  const summary = await finishedRunSummary(storage, run);
  return [successNotification(run.runId, summary, location), ...alertNotifications(run.runId, summary)];
}

export async function optimizerRunNotification(
  storage: Storage,
  run: { runId: string; optimizer: { keys: string[] } },
  location: ReportLocation,
): Promise<Notification> {
  const report = await readJson<OptimizerJson>(storage, at(run.optimizer.keys, 0));
  return optimizerNotification(run.runId, report, location);
}
