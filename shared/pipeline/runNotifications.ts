/** The notifications of a finished run: its summary and an alert per failed check or wipe-out; after `optimize`, its result. */
import { at } from '../collections.js';
import { isoDate } from '../dates.js';
import type { OptimizerJson } from '../optimize/optimizerReport.js';
import { alertNotifications, optimizerNotification, successNotification, type Notification, type ReportLocation } from '../report/notifications.js';
import type { Storage } from '../storage/storage.js';
import { artifactKey, readJson, type Results, type Validation } from './artifacts.js';
import type { AlignOutput } from './alignAndScale.js';
import type { CompoundOutput } from './compoundAndReconcile.js';

export interface FinishedRun {
  runId: string;
  workPrefix: string;
  align: Pick<AlignOutput, 'dates' | 'firstDate' | 'lastDate'>;
  compound: Pick<CompoundOutput, 'finalEquity'>;
}

export async function runNotifications(storage: Storage, run: FinishedRun, location: ReportLocation): Promise<Notification[]> {
  const summary = {
    validation: await readJson<Validation>(storage, artifactKey(run.workPrefix, 'validation')),
    results: await readJson<Results>(storage, artifactKey(run.workPrefix, 'results')),
    finalEquity: run.compound.finalEquity,
    dates: { count: run.align.dates, first: isoDate(run.align.firstDate), last: isoDate(run.align.lastDate) },
  };
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
