/**
 * What the pipeline tells people (by SNS email): a summary when a run succeeds, an alert at once
 * for every failed check and every wipe-out, a notice when a run fails. Within SNS limits: a
 * subject of at most 100 printable ASCII characters, a message well under 256 KB.
 */
import type { Checks } from '../calc/reconcile.js';
import { describeChecks } from './checkDescriptions.js';
import type { OptimizerJson } from '../optimize/optimizerReport.js';
import { optimizerSummaryLines } from './optimizerSummaryText.js';
import { runSummaryLines, wrap, type RunSummaryInput } from './runSummaryText.js';

export interface Notification {
  subject: string;
  message: string;
}

export const MAX_SUBJECT_CHARACTERS = 100;
/** SNS takes 256 KB; the rest is room for the envelope. */
export const MAX_MESSAGE_BYTES = 240 * 1024;

export interface ReportLocation {
  /** Where this run's report is, e.g. `s3://bucket/runs/<runId>/report/`. */
  report: string;
  /** Where the latest successful report is. */
  latest: string;
  /** A link that opens the report's index.html in a browser, and until when it works. */
  link?: { page: string; url: string; validUntil: Date; why: string } | undefined;
}

export function successNotification(runId: string, summary: RunSummaryInput, location: ReportLocation): Notification {
  const failed = failedCheckNames(summary.results.checks);
  const wipeouts = Object.keys(summary.results.wipeouts).length;
  const verdict =
    failed.length === 0 && wipeouts === 0
      ? 'all checks pass'
      : [failed.length > 0 ? `${failed.length} check(s) failed` : '', wipeouts > 0 ? `${wipeouts} wipe-out(s)` : ''].filter(Boolean).join(', ');
  return {
    subject: subjectLine(`Portfolio Combiner: ${verdict} (run ${runId})`),
    message: fitMessage([
      `Run ${runId} finished: ${verdict}.`,
      '',
      ...runSummaryLines(summary),
      '',
      ...locationLines(location),
    ]),
  };
}

/** The optimizer's result: the chosen set and its Sharpe in and out of sample, with where the page is. */
export function optimizerNotification(runId: string, report: OptimizerJson, location: ReportLocation): Notification {
  const strategies = report.steps[0]?.candidates.length ?? 0;
  return {
    // Short enough that the run id stays whole within SNS's 100 characters.
    subject: subjectLine(`Portfolio Combiner optimizer: ${report.chosen.length} of ${strategies} chosen (${runId})`),
    message: fitMessage([`Optimizer run ${runId} finished.`, '', ...optimizerSummaryLines(report), '', ...locationLines(location)]),
  };
}

export function alertNotifications(runId: string, summary: RunSummaryInput): Notification[] {
  const { checks, wipeouts } = summary.results;
  const alerts = describeChecks(checks)
    .filter((check) => check.status === 'fail')
    .map((check) => ({
      subject: subjectLine(`Portfolio Combiner ALERT: ${check.name} failed (run ${runId})`),
      message: fitMessage([...wrap(`Run ${runId}: the check ${check.name} failed.`, ''), '', ...check.details.flatMap((detail) => wrap(detail, ''))]),
    }));
  for (const [strategy, date] of Object.entries(wipeouts)) {
    alerts.push({
      subject: subjectLine(`Portfolio Combiner ALERT: ${strategy} wiped out on ${date} (run ${runId})`),
      message: fitMessage([
        ...wrap(`Run ${runId}: the sleeve ${strategy} lost all its capital on ${date}.`, ''),
        ...wrap('From the next date on it trades no more; its account keeps its idle cash and other sleeves.', ''),
      ]),
    });
  }
  return alerts;
}

/** A run that stopped: `InputErrors` carry one error per line (file, line, column); anything else is a fault. */
export function failureNotification(runId: string, error: { type: string; message: string }): Notification {
  const badInput = error.type === 'InputErrors';
  const lines = badInput
    ? [`Run ${runId} stopped on bad input:`, '', ...error.message.split('\n').flatMap((line) => wrap(line, '', '    '))]
    : wrap(`Run ${runId} failed with ${error.type}: ${error.message}`, '');
  return {
    subject: subjectLine(`Portfolio Combiner FAILED: ${badInput ? 'bad input' : error.type} (run ${runId})`),
    message: fitMessage([...lines, '', ...wrap('Nothing was published under latest/: it still holds the last successful report.', '')]),
  };
}

/** Locations stay whole (a cut URI is useless): the only lines allowed past 80 columns. */
function locationLines(location: ReportLocation): string[] {
  return [
    `Report: ${location.report}`,
    `Latest: ${location.latest}`,
    ...(location.link === undefined
      ? []
      : [
          '',
          ...wrap(`Open the report (${location.link.page}) until ${location.link.validUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${location.link.why}`, ''),
          location.link.url,
        ]),
  ];
}

function failedCheckNames(checks: Checks): string[] {
  return Object.entries(checks)
    .filter(([, check]) => check.status === 'fail')
    .map(([name]) => name);
}

/** At most 100 printable ASCII characters, no line breaks (SNS rejects anything else). */
export function subjectLine(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length <= MAX_SUBJECT_CHARACTERS ? printable : `${printable.slice(0, MAX_SUBJECT_CHARACTERS - 3)}...`;
}

/** Joins lines, dropping the tail with a note when the message would exceed SNS's size. */
export function fitMessage(lines: readonly string[]): string {
  const encoder = new TextEncoder();
  const kept: string[] = [];
  let bytes = 0;
  for (const [index, line] of lines.entries()) {
    const size = encoder.encode(line).length + 1;
    if (bytes + size > MAX_MESSAGE_BYTES - 200) {
      kept.push(`... ${lines.length - index} more line(s) left out to stay within the size of an SNS message; see summary.json.`);
      break;
    }
    kept.push(line);
    bytes += size;
  }
  return kept.join('\n');
}
