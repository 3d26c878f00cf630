/**
 * The one notice of a finished run, read from its work folder: the summary with its alerts folded
 * in (after `optimize`, its result), and what `latest/` shows. A per-run marker beside the run's
 * report records the notice once it was sent, so a retried Notify never sends it twice.
 */
import type { MonteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import { at } from '#shared/collections.ts';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import type { RunSummaryInput } from '#shared/report/runSummaryText.ts';
import { optimizerNotification, successNotification, type Notification, type Publication, type ReportLocation } from '#shared/report/notifications.ts';
import { noticeKey } from '#shared/storage/bucketLayout.ts';
import type { Storage } from '#shared/storage/storage.ts';
import type { FinalEquity } from '#shared/model/finalEquity.ts';
import type { Results } from '#shared/model/results.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from './artifacts.ts';
import type { AlignOutput } from './stageOutputs.ts';
import { monteCarloKeys } from './monteCarlo.ts';
import { readComparisonSummary } from './runScenarios.ts';

export interface FinishedRun {
  runId: string;
  workPrefix: string;
  align: Pick<AlignOutput, 'dates' | 'firstDate' | 'lastDate'>;
}

/** What the terminal and the email say about a finished run, read from its work folder. */
export async function finishedRunSummary(storage: Storage, run: Omit<FinishedRun, 'runId'>): Promise<RunSummaryInput> {
  const validation = await readJson<Validation>(storage, artifactKey(run.workPrefix, 'validation'));
  const results = await readJson<Results>(storage, artifactKey(run.workPrefix, 'results'));
  return {
    validation,
    results,
    finalEquity: await readJson<FinalEquity>(storage, artifactKey(run.workPrefix, 'finalEquity')),
    dates: run.align,
    comparison: await readComparisonSummary(storage, run.workPrefix, validation.config, results),
    forwardRisk: validation.config.monteCarlo === undefined ? null : await readJson<MonteCarloJson>(storage, monteCarloKeys(run.workPrefix).json),
  };
}

export async function runNotification(storage: Storage, run: FinishedRun, location: ReportLocation, publication: Publication): Promise<Notification> {
  return successNotification(run.runId, await finishedRunSummary(storage, run), location, publication);
}

export async function optimizerRunNotification(
  storage: Storage,
  run: { runId: string; optimizer: { keys: string[] } },
  location: ReportLocation,
  publication: Publication,
): Promise<Notification> {
  const report = await readJson<OptimizerJson>(storage, at(run.optimizer.keys, 0));
  return optimizerNotification(run.runId, report, location, publication);
}

/** The record of a run's one notice: what was sent and when. */
export interface SentNotice {
  subject: string;
  sentAt: string;
}

export async function sentNotice(storage: Storage, runId: string): Promise<SentNotice | null> {
  const stored = await storage.getTagged(noticeKey(runId));
  return stored === null ? null : (JSON.parse(new TextDecoder().decode(stored.bytes)) as SentNotice);
}

/**
 * Sends the run's notice unless its marker says it was sent. The marker is written after the
 * send: a Notify retried because it failed after sending (a timeout, a lost answer) finds it
 * and sends nothing; one that failed before sending finds none and sends. SNS cannot tell two
 * identical emails apart, so this marker is what keeps a run to one.
 */
export async function sendOnce(
  storage: Storage,
  runId: string,
  compose: () => Promise<Notification>,
  send: (notification: Notification) => Promise<void>,
  at: () => Date,
  onMarkerLost: (error: unknown) => void,
): Promise<{ sent: string | null; alreadySent: string | null }> {
  const earlier = await sentNotice(storage, runId);
  if (earlier !== null) return { sent: null, alreadySent: earlier.subject };
  const notification = await compose();
  await send(notification);
  const record: SentNotice = { subject: notification.subject, sentAt: at().toISOString() };
  try {
    await storage.put(noticeKey(runId), `${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    // The email went out: failing now would make Step Functions retry, and send it again.
    onMarkerLost(error);
  }
  return { sent: notification.subject, alreadySent: null };
}
