/** What people receive: subjects and messages within SNS limits, with the figures of each alert. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedRunSummary } from '../shared/pipeline/runNotifications.js';
import { runPipeline } from '../shared/pipeline/runPipeline.js';
import { alertNotifications, failureNotification, fitMessage, MAX_MESSAGE_BYTES, subjectLine, successNotification } from '../shared/report/notifications.js';
import type { RunSummaryInput } from '../shared/report/runSummaryText.js';
import { FileSystemStorage } from '../shared/storage/fileSystemStorage.js';
import { CASES_FOLDER, scratchFolder } from './support/runCli.js';

const location = { report: 's3://bucket/runs/r1/report/', latest: 's3://bucket/latest/' };

/** tiny-hand run with the margin alert lowered to 3 % so that the margin check fails. */
async function tinyHandSummary(): Promise<RunSummaryInput> {
  const folder = scratchFolder('notify');
  const config = JSON.parse(readFileSync(join(CASES_FOLDER, 'tiny-hand', 'portfolio.json'), 'utf8')) as { thresholds: Record<string, unknown> };
  config.thresholds['marginUtilizationAlertPct'] = 3;
  const storage = new FileSystemStorage(folder);
  for (const name of ['A.csv', 'B.csv']) await storage.put(`data/${name}`, readFileSync(join(CASES_FOLDER, 'tiny-hand', 'data', name)));
  await storage.put('data/portfolio.json', JSON.stringify(config));
  const run = await runPipeline(storage, { dataPrefix: 'data', workPrefix: 'work', outputPrefix: 'out' });
  return finishedRunSummary(storage, { workPrefix: 'work', ...run });
}

describe('notifications', () => {
  let summary: RunSummaryInput;
  beforeAll(async () => {
    summary = await tinyHandSummary();
  });

  it('summarizes a run with its verdict in the subject and the report location in the body', () => {
    const note = successNotification('r1', summary, location);
    expect(note.subject).toBe('Portfolio Combiner: 1 check(s) failed (run r1)');
    expect(note.message).toContain('$100,044.35');
    expect(note.message).toContain('FAIL  marginUtilization');
    expect(note.message).toContain('Report: s3://bucket/runs/r1/report/');
  });

  it('sends an alert for the failed margin check with the days, first date and worst figure', () => {
    const alerts = alertNotifications('r1', summary);
    expect(alerts.map(({ subject }) => subject)).toEqual(['Portfolio Combiner ALERT: marginUtilization failed (run r1)']);
    expect(alerts[0]?.message).toContain('account Main: worst 4.00% on 2024-01-03; above 3.00% on 1 day(s) from 2024-01-03');
    expect(alerts[0]?.message).toContain('portfolio: worst 5.00% on 2024-01-03; above 3.00% on 2 day(s) from 2024-01-02');
  });

  it('sends an alert for every wipe-out with its date', () => {
    const wiped = { ...summary, results: { ...summary.results, wipeouts: { A: '2024-01-03' } } };
    expect(alertNotifications('r1', wiped).map(({ subject }) => subject)).toContain('Portfolio Combiner ALERT: A wiped out on 2024-01-03 (run r1)');
  });

  it('lists bad-input errors one per line and says latest/ was not touched', () => {
    const note = failureNotification('r2', { type: 'InputErrors', message: 'A.csv, line 6, column Date: bad\nB.csv, line 12, column Return: bad' });
    expect(note.subject).toBe('Portfolio Combiner FAILED: bad input (run r2)');
    expect(note.message.split('\n')).toEqual(expect.arrayContaining(['A.csv, line 6, column Date: bad', 'B.csv, line 12, column Return: bad']));
    expect(note.message).toContain('Nothing was published under latest/');
  });

  it('reads at 80 columns in a mail client: only URLs, which must stay whole, may be longer', () => {
    const link = { page: 'index.html', url: `https://bucket.s3.amazonaws.com/runs/r1/report/index.html?X-Amz-Signature=${'f'.repeat(900)}`, validUntil: new Date('2026-11-21T14:00:00Z'), why: 'the link ends with the temporary credentials that signed it.' };
    const longName = { ...summary, validation: { ...summary.validation, warnings: [{ kind: 'dateGap' as const, file: `${'Very_Long_Strategy_Name_'.repeat(5)}.csv`, line: 12, column: 'Date', message: '14 calendar days between 2024-01-02 and 2024-01-16' }] } };
    const notes = [
      successNotification('upload-4f2a9c1e7b3d5a6c8e0f1a2b', longName, { ...location, link }),
      ...alertNotifications('upload-4f2a9c1e7b3d5a6c8e0f1a2b', summary),
      failureNotification('r2', { type: 'InputErrors', message: `${'Long_Name_'.repeat(9)}.csv, line 6, column Date: "2024-13-08" has month 13, which does not exist` }),
    ];
    for (const note of notes) {
      for (const line of note.message.split('\n')) {
        if (/^(https:\/\/|Report: s3:\/\/|Latest: s3:\/\/)/.test(line)) continue;
        expect(line.length, line).toBeLessThanOrEqual(80);
      }
    }
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
