/** What people receive: one email per run, within SNS limits, with the figures of each alert and what latest/ shows. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedRunSummary } from '#shared/pipeline/runNotifications.ts';
import { runPipeline } from '#shared/pipeline/runPipeline.ts';
import { alertLines, failureNotification, fitMessage, MAX_MESSAGE_BYTES, subjectLine, successNotification, unchangedNotification } from '#shared/report/notifications.ts';
import type { RunSummaryInput } from '#shared/report/runSummaryText.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { CASES_FOLDER, scratchFolder } from '#test/support/runCli.ts';

const location = { report: 's3://bucket/runs/r1/report/' };
const shown = { runId: 'r0', report: 'runs/r0/report/', uploadCompletedAt: '2026-11-20T18:02:11.000Z', publishedAt: '2026-11-20T18:09:40.000Z' };
const published = { published: true, latest: { ...shown, runId: 'r1', report: 'runs/r1/report/' }, bucket: 'bucket' };

/** tiny-hand run with the margin alert lowered to 3 % so that the margin check fails. */
async function tinyHandSummary(): Promise<RunSummaryInput> {
  const folder = scratchFolder('notify');
  const config = JSON.parse(readFileSync(join(CASES_FOLDER, 'tiny-hand', 'portfolio.json'), 'utf8')) as { thresholds: Record<string, unknown> };
  config.thresholds['marginUtilizationAlertPct'] = 3;
  const storage = new FileSystemStorage(folder);
  for (const name of ['A.csv', 'B.csv']) await storage.put(`data/${name}`, readFileSync(join(CASES_FOLDER, 'tiny-hand', 'data', name)));
  await storage.put('data/portfolio.json', JSON.stringify(config));
  const run = await runPipeline(storage, { dataPrefix: 'data', workPrefix: 'work', stagingPrefix: 'out' });
  return finishedRunSummary(storage, { workPrefix: 'work', ...run });
}

describe('notifications', () => {
  let summary: RunSummaryInput;
  beforeAll(async () => {
    summary = await tinyHandSummary();
  });

  it('summarizes a run with the date, the day and its breaches in the subject, the report location and what latest/ shows in the body', () => {
    const note = successNotification('r1', summary, location, published);
    expect(note.subject).toBe('Portfolio 2024-01-05: +$124 (+0.1 %) day, 1 rule breach');
    expect(note.message).toContain('$100,044.35');
    expect(note.message).toContain('marginUtilization failed: account Main');
    expect(note.message).toContain('Report: s3://bucket/runs/r1/report/');
    expect(note.message).toContain('Published: latest/ now shows this run.');
    expect(note.message).toContain('Latest: s3://bucket/runs/r1/report/');
  });

  it('folds the alert for the failed margin check, with the days, first date and worst figure, into the one email', () => {
    const alerts = alertLines('r1', summary).join('\n').replace(/\s+/g, ' ');
    expect(alerts).toContain('marginUtilization failed: account Main: worst 4.00% on 2024-01-03; above 3.00% on 1 day(s) from 2024-01-03');
    expect(alerts).toContain('marginUtilization failed: portfolio: worst 5.00% on 2024-01-03; above 3.00% on 2 day(s) from 2024-01-02');
    const message = successNotification('r1', summary, location, published).message;
    // The breach in words among the first lines, before the link; its figures after it.
    const breach = message.indexOf('- Margin utilization above 3.00%');
    expect(breach).toBeGreaterThan(0);
    expect(breach).toBeLessThan(message.indexOf('Report: s3://'));
    expect(message.indexOf('Report: s3://')).toBeLessThan(message.indexOf(alertLines('r1', summary).join('\n')));
  });

  it('folds an alert for every wipe-out with its date', () => {
    const wiped = { ...summary, results: { ...summary.results, wipeouts: { A: '2024-01-03' } } };
    expect(alertLines('r1', wiped).join(' ')).toContain('The sleeve A lost all its capital on 2024-01-03 (run r1)');
    const note = successNotification('r1', wiped, location, published);
    expect(note.subject).toBe('Portfolio 2024-01-05: +$124 (+0.1 %) day, 1 wipe-out, 1 rule breach');
    expect(note.message).toContain('- A lost all its capital on 2024-01-03 and trades no more');
  });

  it('says when a run was not published because a later upload is, and which run latest/ shows', () => {
    const note = successNotification('r1', summary, location, { published: false, latest: shown, bucket: 'bucket' });
    const text = note.message.replace(/\s+/g, ' ');
    expect(text).toContain('Not published: latest/ already shows run r0');
    expect(text).toContain('latest/ shows run r0 (upload seen complete 2026-11-20 18:02 UTC, published 2026-11-20 18:09 UTC)');
    expect(note.message).toContain('Latest: s3://bucket/runs/r0/report/');
  });

  it('lists bad-input errors one per line and says latest/ was not touched and what it shows', () => {
    const note = failureNotification('r2', { type: 'InputErrors', message: 'A.csv, line 6, column Date: bad\nB.csv, line 12, column Return: bad' }, { latest: shown, bucket: 'bucket' });
    expect(note.subject).toBe('Portfolio Combiner FAILED: bad input (run r2)');
    expect(note.message.split('\n')).toEqual(expect.arrayContaining(['A.csv, line 6, column Date: bad', 'B.csv, line 12, column Return: bad']));
    expect(note.message).toContain('Nothing of this run was published');
    expect(note.message).toContain('latest/ shows run r0');
    expect(failureNotification('r2', { type: 'StorageUnavailable', message: 'S3 down' }, { latest: null, bucket: 'bucket' }).message).toContain(
      'latest/ is empty: no run has published a report yet.',
    );
  });

  it('says on a night without new data since when, that nothing ran, and what latest/ shows', () => {
    const note = unchangedNotification('nightly-2026-11-21-abc', { latest: shown, bucket: 'bucket' }, { arrivingSince: '2026-11-21T01:58:00.000Z', lastRun: null });
    expect(note.subject).toBe('Portfolio Combiner: no new data since 2026-11-20 18:02 UTC (nightly-2026-11-21-abc)');
    const text = note.message.replace(/\s+/g, ' ');
    expect(text).toContain('nothing was run and nothing was published');
    expect(text).toContain('Files in incoming/ have been changing since 2026-11-21 01:58 UTC');
    expect(note.message).toContain('latest/ shows run r0');
  });

  it('reads at 80 columns in a mail client: only URLs and names, which must stay whole, may be longer', () => {
    const link = { page: 'index.html', url: `https://bucket.s3.amazonaws.com/runs/r1/report/index.html?X-Amz-Signature=${'f'.repeat(900)}`, validUntil: new Date('2026-11-21T14:00:00Z'), why: 'the link ends with the temporary credentials that signed it.' };
    const longName = { ...summary, validation: { ...summary.validation, warnings: [{ kind: 'dateGap' as const, file: `${'Very_Long_Strategy_Name_'.repeat(5)}.csv`, line: 12, column: 'Date', message: '14 calendar days between 2024-01-02 and 2024-01-16' }] } };
    const notes = [
      successNotification('upload-4f2a9c1e7b3d5a6c8e0f1a2b', longName, { ...location, link }, published),
      failureNotification('r2', { type: 'InputErrors', message: `${'Long_Name_'.repeat(9)}.csv, line 6, column Date: "2024-13-08" has month 13, which does not exist` }, { latest: shown, bucket: 'bucket' }),
      unchangedNotification('nightly-2026-11-21-4f2a9c1e7b3d5a6c8e0f1a2b', { latest: shown, bucket: 'bucket' }, { arrivingSince: null, lastRun: { runId: 'upload-4f2a9c1e7b3d5a6c8e0f1a2b', subject: 'Portfolio Combiner FAILED: bad input (run upload-4f2a9c1e7b3d5a6c8e0f1a2b)' } }),
    ];
    for (const note of notes) {
      for (const line of note.message.split('\n')) {
        if (/^(https:\/\/|Report: s3:\/\/|Latest: s3:\/\/)/.test(line)) continue;
        // A name longer than a line stands alone on its line, whole.
        if (/^ *\S+$/.test(line)) continue;
        expect(line.length, line).toBeLessThanOrEqual(80);
      }
    }
    expect(notes[0]?.message).toContain(`${'Very_Long_Strategy_Name_'.repeat(5)}.csv`);
    expect(notes[1]?.message).toContain(`${'Long_Name_'.repeat(9)}.csv`);
    expect(notes[0]?.message).toContain(`\n${link.url}`);
    expect(notes[0]?.message).toContain('Open the report (index.html) until 2026-11-21 14:00 UTC');
  });

  it('keeps subjects to 100 printable ASCII characters and messages under the SNS size', () => {
    const subject = subjectLine(`Portfolio Combiner ALERT: ${'Ünïcode_strategy_'.repeat(10)} wiped out`);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    const huge = fitMessage(Array.from({ length: 100_000 }, (_, i) => `warning ${i}: a gap of 14 calendar days in some file`));
    expect(new TextEncoder().encode(huge).length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(huge).toMatch(/more line\(s\) left out to stay within the size of an SNS message/);
  });
});
