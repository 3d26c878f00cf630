/**
 * What the pipeline tells people (by SNS email): a summary when a run succeeds, an alert at once
 * for every failed check and every wipe-out, a notice when a run fails. Within SNS limits: a
 * subject of at most 100 printable ASCII characters, a message well under 256 KB.
 */
import type { Checks } from '../calc/reconcile.js';
import { formatPercent, formatUsd } from './formatting.js';
import { runSummaryLines, type RunSummaryInput } from './runSummaryText.js';

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
      `Report: ${location.report}`,
      `Latest: ${location.latest}`,
    ]),
  };
}

export function alertNotifications(runId: string, summary: RunSummaryInput): Notification[] {
  const { checks, wipeouts } = summary.results;
  const alerts = checkAlerts(checks).map(({ check, lines }) => ({
    subject: subjectLine(`Portfolio Combiner ALERT: ${check} failed (run ${runId})`),
    message: fitMessage([`Run ${runId}: the check ${check} failed.`, '', ...lines]),
  }));
  for (const [strategy, date] of Object.entries(wipeouts)) {
    alerts.push({
      subject: subjectLine(`Portfolio Combiner ALERT: ${strategy} wiped out on ${date} (run ${runId})`),
      message: fitMessage([
        `Run ${runId}: the sleeve ${strategy} lost all its capital on ${date}.`,
        'From the next date on it trades no more; its account keeps its idle cash and other sleeves.',
      ]),
    });
  }
  return alerts;
}

/** A run that stopped: `InputErrors` carry one error per line (file, line, column); anything else is a fault. */
export function failureNotification(runId: string, error: { type: string; message: string }): Notification {
  const badInput = error.type === 'InputErrors';
  const lines = badInput
    ? [`Run ${runId} stopped on bad input:`, '', ...error.message.split('\n')]
    : [`Run ${runId} failed with ${error.type}: ${error.message}`];
  return {
    subject: subjectLine(`Portfolio Combiner FAILED: ${badInput ? 'bad input' : error.type} (run ${runId})`),
    message: fitMessage([...lines, '', 'Nothing was published under latest/: it still holds the last successful report.']),
  };
}

function failedCheckNames(checks: Checks): string[] {
  return Object.entries(checks)
    .filter(([, check]) => check.status === 'fail')
    .map(([name]) => name);
}

function checkAlerts(checks: Checks): { check: string; lines: string[] }[] {
  const alerts: { check: string; lines: string[] }[] = [];
  const { accountReconciliation, portfolioReconciliation, roundingDrift, invariants, marginUtilization } = checks;
  if (accountReconciliation.status === 'fail') {
    alerts.push({
      check: 'accountReconciliation',
      lines: Object.entries(accountReconciliation.accounts)
        .filter(([, account]) => account.status === 'fail')
        .map(
          ([name, account]) =>
            `${name}: sleeves plus idle cash differ from the account's equity by up to ${formatUsd(account.maxAbsDiff)} (on ${account.maxAbsDiffDate}), on ${account.failingDays} day(s) beyond ${formatUsd(accountReconciliation.toleranceUsd)}`,
        ),
    });
  }
  if (portfolioReconciliation.status === 'fail') {
    alerts.push({
      check: 'portfolioReconciliation',
      lines: [
        `Accounts differ from the portfolio's equity by up to ${formatUsd(portfolioReconciliation.maxAbsDiff)} (on ${portfolioReconciliation.maxAbsDiffDate}), on ${portfolioReconciliation.failingDays} day(s) beyond ${formatUsd(portfolioReconciliation.toleranceUsd)}`,
      ],
    });
  }
  if (roundingDrift.status === 'fail') {
    alerts.push({
      check: 'roundingDrift',
      lines: Object.entries(roundingDrift.strategies)
        .filter(([, strategy]) => strategy.status === 'fail')
        .map(
          ([name, strategy]) =>
            `${name}: traded ${strategy.meanRatio?.toFixed(4) ?? 'n/a'} of the implied units on average over ${strategy.days} day(s), target ${strategy.target}, drift ${strategy.drift?.toFixed(4) ?? 'n/a'} beyond the tolerance ${roundingDrift.tolerance}`,
        ),
    });
  }
  if (invariants.status === 'fail') {
    alerts.push({
      check: 'invariants',
      lines: [
        `${invariants.violations} violation(s) of the position rules; the first:`,
        ...invariants.firstViolations.map((violation) => `  ${violation.date} ${violation.strategy}: ${violation.rule}`),
      ],
    });
  }
  if (marginUtilization.status === 'fail') {
    const levels = [
      ...Object.entries(marginUtilization.accounts).map(([name, check]) => ({ name: `account ${name}`, check })),
      { name: 'portfolio', check: marginUtilization.portfolio },
    ];
    alerts.push({
      check: 'marginUtilization',
      lines: levels
        .filter(({ check }) => check.status === 'fail')
        .map(
          ({ name, check }) =>
            `${name}: margin utilization above ${formatPercent(check.thresholdPct)} on ${check.days} day(s) from ${check.firstDate ?? ''}; worst ${formatPercent(check.worstPct)} on ${check.worstDate}`,
        ),
    });
  }
  return alerts;
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
