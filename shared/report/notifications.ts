/**
 * What the pipeline tells people (by SNS email), one email per run: the morning's figures when a
 * run succeeds (its alerts counted in the subject and said in the first lines), a notice when a
 * run fails, a short note on a night without new data. Every one says what `latest/` shows after it.
 * Within SNS limits: a subject of at most 100 printable ASCII characters, a message well under
 * 256 KB.
 */
import { describeChecks } from './checkDescriptions.ts';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import type { MorningFacts } from './morningFacts.ts';
import { alertCountsText, morningFactsOf, morningLines, pnlText } from './morningText.ts';
import { optimizerSummaryLines } from './optimizerSummaryText.ts';
import { section, wrap } from './plainText.ts';
import { forwardRiskLines, rebalanceLines, runLine, scenarioLines, unsizedLines, warningLines, type RunSummaryInput } from './runSummaryText.ts';
import { INCOMING_PREFIX, LATEST_POINTER_KEY, LATEST_PREFIX, RUNS_PREFIX, runPrefixes, UPLOAD_MARKER } from '#shared/storage/bucketLayout.ts';

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
  /** A link that opens the report's index.html in a browser, and until when it works. */
  link?: { page: string; url: string; validUntil: Date; why: string } | undefined;
}

/** The run `latest/run.json` points to, as a notice names it. */
export interface LatestShown {
  runId: string;
  report: string;
  uploadCompletedAt: string;
  publishedAt: string;
}

/** What publishing did for this run, and what `latest/` shows afterwards. */
export interface Publication {
  /** Whether `latest/` now shows this run. */
  published: boolean;
  latest: LatestShown | null;
  /** The bucket, to write the pointer's target as an S3 location. */
  bucket: string;
}

/** One line (wrapped) a person can act on: which run `latest/` shows and where its report is. */
export function latestLines({ latest, bucket }: Omit<Publication, 'published'>): string[] {
  if (latest === null) return wrap(`${LATEST_PREFIX} is empty: no run has published a report yet.`, '');
  return [
    ...wrap(`${LATEST_PREFIX} shows run ${latest.runId} (upload seen complete ${minute(latest.uploadCompletedAt)}, published ${minute(latest.publishedAt)}); ${LATEST_POINTER_KEY} points to its report:`, ''),
    `Latest: s3://${bucket}/${latest.report}`,
  ];
}

function minute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The run's one email, phone first (issue 13). Subject: the date, the day's P&L and return, and
 * the alerts counted by kind (names in the body), or "all checks pass". Body: the morning's lines
 * (day, month, year, drawdown now, breaches, passing checks, movers), then the link to the report,
 * then what was run and published, the failing checks' figures, rebalances, scenarios, warnings.
 * Per-strategy figures are on the report's pages: the email stays under 80 lines at 200 strategies.
 */
export function successNotification(runId: string, summary: RunSummaryInput, location: ReportLocation, publication: Publication): Notification {
  const { results } = summary;
  const facts = morningFactsOf(results);
  const head = [
    ...morningLines(facts, results.asOf.portfolio.periods.inception, summary.finalEquity.portfolio),
    ...section(forwardRiskLines(summary)),
    '',
    ...locationLines(location),
    ...wrap(`Every strategy's and account's figures are on ${location.link?.page ?? 'index.html'} and its tearsheets; summary.json has every figure.`, ''),
    '',
    ...wrap(`Run ${runId}: ${runLine(summary)}.`, ''),
    ...publishedLines(runId, publication),
  ];
  const tail = [
    ...section(rebalanceLines(results)),
    ...section(summary.comparison === null ? [] : scenarioLines(summary.comparison, LISTED_IN_EMAIL)),
    ...section(unsizedLines(results, LISTED_IN_EMAIL)),
    ...section(warningLines(summary.validation, LISTED_IN_EMAIL)),
    '',
    ...latestLines(publication),
  ];
  // The failing checks' figures take the lines left under the email's length (their blank line and title included).
  const details = alertLines(runId, summary, Math.min(DETAIL_LINES, MAX_EMAIL_LINES - head.length - tail.length - 2));
  return {
    subject: morningSubject(facts, summary.validation.nothingNew !== true),
    message: fitMessage([...head, ...section(details.length === 0 ? [] : ['What failed, in figures', ...details]), ...tail]),
  };
}

/** The email's length in lines at most: one phone screen or two of the morning, then the figures of what failed. */
export const MAX_EMAIL_LINES = 79;
/** Scenarios, unsized strategies and warnings named in the email before "and N more": the report has them all. */
const LISTED_IN_EMAIL = 3;
/** Lines of the failing checks' figures in the email at most: the report has every one. */
const DETAIL_LINES = 12;

/**
 * `Portfolio 2025-12-31: +$12,345 (+1.1 %) day, 3 rule breaches` or `..., all checks pass`:
 * counts only, most urgent first (wipe-outs, rules, stale, restated, internal); past SNS's 100
 * characters the last kinds give way to "and more", so wipe-outs and rule breaches are always said.
 * A run that repeats the previous one's day (no strategy gained a date, the same config: `newData`
 * false) has nothing new to report: `Portfolio: no new data since 2025-12-30, 1 restated` (issue 15).
 */
export function morningSubject(facts: MorningFacts, newData = true): string {
  const start = newData ? `Portfolio ${facts.date}: ${pnlText(facts.periods.day)} day` : `Portfolio: no new data since ${facts.date}`;
  const alerts = alertCountsText(facts.counts);
  if (alerts.length === 0) return subjectLine(`${start}, all checks pass`);
  for (let kept = alerts.length; kept > 0; kept -= 1) {
    const subject = `${start}, ${alerts.slice(0, kept).join(', ')}${kept < alerts.length ? ' and more' : ''}`;
    if (subject.length <= MAX_SUBJECT_CHARACTERS) return subjectLine(subject);
  }
  return subjectLine(`${start}, ${alerts.join(', ')}`);
}

/** Whether this run moved `latest/`, and why not when it did not. */
function publishedLines(runId: string, { published, latest }: Publication): string[] {
  if (published) return wrap(`Published: ${LATEST_PREFIX} now shows this run.`, '');
  if (latest === null) return wrap('Not published: no run report is published yet for this result to sit beside.', '');
  return wrap(`Not published: ${LATEST_PREFIX} already shows run ${latest.runId}, of an upload seen complete later (or at the same time), and it only moves forward. This run's report stays where it is below.`, '');
}

/** The optimizer's result: the chosen set and its Sharpe in and out of sample, with where the page is. */
export function optimizerNotification(runId: string, report: OptimizerJson, location: ReportLocation, publication: Publication): Notification {
  const strategies = report.steps[0]?.candidates.length ?? 0;
  return {
    // Short enough that the run id stays whole within SNS's 100 characters.
    subject: subjectLine(`Portfolio Combiner optimizer: ${report.chosen.length} of ${strategies} chosen (${runId})`),
    message: fitMessage([
      `Optimizer run ${runId} finished.`,
      ...(publication.published ? wrap(`Published beside the run in ${LATEST_POINTER_KEY} (its "optimizer" entry).`, '') : publishedLines(runId, publication)),
      '',
      ...optimizerSummaryLines(report),
      '',
      ...locationLines(location),
      ...latestLines(publication),
    ]),
  };
}

/**
 * The figures of every failing check (one line each, named), then every wipe-out with its date,
 * in at most `maxLines` lines: the report and summary.json have every one.
 */
export function alertLines(runId: string, summary: RunSummaryInput, maxLines = DETAIL_LINES): string[] {
  const { checks, wipeouts } = summary.results;
  const entries = [
    ...describeChecks(checks)
      .filter((check) => check.status === 'fail')
      .flatMap((check) => check.details.map((detail) => `${check.name} failed: ${detail}`)),
    ...Object.entries(wipeouts).map(([strategy, date]) => `The sleeve ${strategy} lost all its capital on ${date} (run ${runId}).`),
  ].map((entry) => wrap(entry, '', '  '));
  const lines: string[] = [];
  for (const [index, entry] of entries.entries()) {
    // The last line left says how many more there are.
    if (lines.length + entry.length > maxLines - (index < entries.length - 1 ? 1 : 0)) {
      return maxLines < 1 ? [] : [...lines, `... and ${entries.length - index} more in the report`];
    }
    lines.push(...entry);
  }
  return lines;
}

/** A run that stopped: `InputErrors` carry one error per line (file, line, column); anything else is a fault. */
export function failureNotification(
  runId: string,
  error: { type: string; message: string },
  publication: Omit<Publication, 'published'>,
  /** The clean-up of a partly sealed report failed: some of its files are left under runs/. */
  leftovers = false,
): Notification {
  const badInput = error.type === 'InputErrors';
  const lines = badInput
    ? [`Run ${runId} stopped on bad input:`, '', ...error.message.split('\n').flatMap((line) => wrap(line, '', '    '))]
    : wrap(`Run ${runId} failed with ${error.type}: ${error.message}`, '');
  const thisRunShown = publication.latest?.runId === runId;
  return {
    subject: subjectLine(`Portfolio Combiner FAILED: ${badInput ? 'bad input' : error.type} (run ${runId})`),
    message: fitMessage([
      ...lines,
      '',
      ...wrap(
        thisRunShown
          ? `Its report was published before the failure: ${LATEST_PREFIX} shows this run, whole.`
          : leftovers
            ? `Nothing of this run was published. Some files of its report could not be removed from ${runPrefixes(runId).reportPrefix}: they are not a report, and ${LATEST_PREFIX} never points to them.`
            : `Nothing of this run was published, and no part of its report was left under ${RUNS_PREFIX}.`,
        '',
      ),
      ...latestLines(publication),
    ]),
  };
}

/** A night with no new complete upload: nothing runs, nothing is published, and one short note says so. */
export function unchangedNotification(
  runId: string,
  publication: Omit<Publication, 'published'>,
  incoming: { arrivingSince: string | null; lastRun: { runId: string; subject: string | null } | null },
): Notification {
  const since = publication.latest === null ? 'the start' : minute(publication.latest.uploadCompletedAt);
  const lines = wrap(`No new data since ${since}: no upload into ${INCOMING_PREFIX} has completed since the report ${LATEST_PREFIX} shows, so nothing was run and nothing was published (${runId}).`, '');
  if (incoming.arrivingSince !== null) {
    lines.push('', ...wrap(`Files in ${INCOMING_PREFIX} have been changing since ${minute(incoming.arrivingSince)}: they run once ${INCOMING_PREFIX} has been quiet for the batching window (or once ${UPLOAD_MARKER} is written after them).`, ''));
  }
  if (incoming.lastRun !== null && incoming.lastRun.runId !== publication.latest?.runId) {
    lines.push('', ...wrap(`The last upload ran as ${incoming.lastRun.runId}${incoming.lastRun.subject === null ? ' (still running or not yet reported)' : `: "${incoming.lastRun.subject}"`}.`, ''));
  }
  return {
    subject: subjectLine(`Portfolio Combiner: no new data since ${since} (${runId})`),
    message: fitMessage([...lines, '', ...latestLines(publication)]),
  };
}

/** Locations stay whole (a cut URI is useless): the only lines allowed past 80 columns. */
function locationLines(location: ReportLocation): string[] {
  return [
    `Report: ${location.report}`,
    ...(location.link === undefined
      ? []
      : [
          '',
          ...wrap(`Open the report (${location.link.page}) until ${location.link.validUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${location.link.why}`, ''),
          location.link.url,
        ]),
  ];
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
