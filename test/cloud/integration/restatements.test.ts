/**
 * SPEC 19.2 in the cloud (issue 15, item 5), end to end on moto_server through the synthesized
 * run state machine: every run compares its inputs with the input snapshot of the run `latest/`
 * shows, with no flag. A batch, then a second batch in which one file changed three past rows and
 * another gained one new row: the email's subject and lines, `restatements.csv` in the run's
 * report as the local `--previous-data` writes it, `latest/` on the second run; a batch that adds
 * no date says "no new data since" in its subject; and a run that compared with a run that
 * another run replaced before it published compares again, so no report compares with an older one.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionOutcome, noticedRun, QUIET_WINDOW_SECONDS, type RunningLocalCloud, startLocalCloud } from '#test/support/localCloud.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const sampleFiles = Object.fromEntries(readdirSync(SAMPLE_DATA).map((name) => [name, readFileSync(join(SAMPLE_DATA, name), 'utf8')]));

/** SPX_Condors with the `Return` of three past dates re-sent differently. */
const RESTATED_DATES = ['2019-03-05', '2021-06-15', '2024-11-29'];
const restatedCondors = (sampleFiles['SPX_Condors.csv'] ?? '').replace(/^(\d{4}-\d\d-\d\d),([^,]+),/gm, (row, date: string, value: string) =>
  RESTATED_DATES.includes(date) ? `${date},${(Number(value) + 0.001).toFixed(6)},` : row,
);
/** Gold_Breakout with one new date after its last. */
const appendedGold = `${sampleFiles['Gold_Breakout.csv'] ?? ''}2026-01-01,0.003100,24600,255000\n`;

interface Pointer {
  runId: string;
  report: string;
  input: string;
}
interface Restatements {
  previous: string;
  strategies: Record<string, { changed: number; removed: number; inserted: number; appended: number; firstDate: string; lastDate: string }>;
}
interface Summary {
  restatements?: Restatements;
  checks: { restatements?: { status: string; strategies: number; dates: number } };
}

describe('restatements in the cloud: every run against the run latest/ shows', () => {
  let cloud: RunningLocalCloud;
  const runs: string[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud();
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  const pointer = async (): Promise<Pointer> => JSON.parse(await cloud.text('latest/run.json')) as Pointer;
  const summaryOf = async (runId: string): Promise<Summary> => JSON.parse(await cloud.text(`runs/${runId}/report/summary.json`)) as Summary;
  const completeUpload = async (files: Record<string, string>): Promise<ExecutionOutcome[]> => {
    await cloud.upload(files);
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    return cloud.runNewExecutions();
  };
  const succeeded = (outcomes: ExecutionOutcome[]): string => {
    expect(outcomes.map(({ status, error }) => ({ status, error }))).toEqual([{ status: 'SUCCEEDED', error: null }]);
    return outcomes[0]?.name ?? '';
  };

  it('compares the first run with nothing: no restatements.csv, no restatements in summary.json', async () => {
    runs.push(succeeded(await completeUpload(sampleFiles)));
    expect(await cloud.keys(`runs/${runs[0] ?? ''}/report/restatements.csv`)).toEqual([]);
    expect(await summaryOf(runs[0] ?? '')).not.toHaveProperty('restatements');
    expect((await pointer()).runId).toBe(runs[0]);
    await cloud.notifications();
  });

  it('reports the second batch against the first: one strategy restated on three past dates, latest/ on the second run', async () => {
    runs.push(succeeded(await completeUpload({ 'SPX_Condors.csv': restatedCondors, 'Gold_Breakout.csv': appendedGold })));
    const [first, second] = [runs[0] ?? '', runs[1] ?? ''];
    expect(await pointer()).toMatchObject({ runId: second, report: `runs/${second}/report/`, input: `runs/${second}/input/` });

    const summary = await summaryOf(second);
    expect(summary.restatements).toEqual({
      previous: first,
      strategies: { SPX_Condors: { changed: 3, removed: 0, inserted: 0, appended: 0, firstDate: RESTATED_DATES[0], lastDate: RESTATED_DATES[2] } },
    });
    expect(summary.checks.restatements).toEqual({ status: 'fail', strategies: 1, dates: 3 });

    const csv = await cloud.text(`runs/${second}/report/restatements.csv`);
    expect(csv.trimEnd().split('\n')).toEqual([
      'Strategy,Date,Kind,Column,Previous,Current',
      ...RESTATED_DATES.map((date) => expect.stringMatching(new RegExp(`^SPX_Condors,${date},changed,Return,-?\\d`))),
    ]);
    // The same file and figures as the local run with --previous-data over the same two folders.
    const [previousFolder, currentFolder, out] = [scratchFolder('cloud-previous'), scratchFolder('cloud-current'), scratchFolder('cloud-restated-local')];
    for (const [name, body] of Object.entries(sampleFiles)) writeFileSync(join(previousFolder, name), body);
    for (const [name, body] of Object.entries({ ...sampleFiles, 'SPX_Condors.csv': restatedCondors, 'Gold_Breakout.csv': appendedGold })) writeFileSync(join(currentFolder, name), body);
    expect((await runCli(['run', '--data', currentFolder, '--previous-data', previousFolder, '--out', out])).exitCode).toBe(0);
    expect(csv).toBe(readFileSync(join(out, 'restatements.csv'), 'utf8'));
    const local = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.restatements).toEqual({ ...local.restatements, previous: first });
    expect(summary.checks.restatements).toEqual(local.checks.restatements);

    const notifications = await cloud.notifications();
    expect(notifications.map(noticedRun)).toEqual([second]);
    const [{ subject, message }] = notifications as [{ subject: string; message: string }];
    expect(subject).toMatch(/^Portfolio 2026-01-01: [-+]\$[\d,]+ \([-+]?\d+\.\d %\) day, 1 restated$/);
    const lines = message.split('\n');
    expect(lines[0]).toBe('Portfolio on 2026-01-01');
    // The alert among the morning's first lines, its figures under "What failed".
    const alert = lines.indexOf('1 restated:');
    expect(alert).toBeGreaterThan(0);
    expect(alert).toBeLessThan(10);
    // Which strategy, how many past days, their range and (wrapped after it) the largest change in the return.
    expect(lines[alert + 1]).toMatch(/^- SPX_Condors re-sent 3 past days, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(3 changed\); largest/);
    expect(message.replace(/\s+/g, ' ')).toMatch(/largest return change [-+]\d+\.\d\d % on \d{4}-\d\d-\d\d/);
    expect(message.replace(/\s+/g, ' ')).toContain('restatements failed: 1 strategy(ies) re-sent history that differs from the previous copy: 3 past date(s) changed, removed or inserted (restatements.csv)');
    expect(message).toContain('Published: latest/ now shows this run.');
  });

  it('says "no new data since" in the subject of a run in which no strategy gained a date', async () => {
    // The same files sent again (new uploads, so a new run): nothing appended, nothing restated.
    runs.push(succeeded(await completeUpload({ 'SPX_Condors.csv': restatedCondors, 'Gold_Breakout.csv': appendedGold })));
    const third = runs[2] ?? '';
    expect(await summaryOf(third)).toMatchObject({ restatements: { previous: runs[1], strategies: {} }, checks: { restatements: { status: 'pass', strategies: 0, dates: 0 } } });
    expect((await cloud.text(`runs/${third}/report/restatements.csv`)).trimEnd()).toBe('Strategy,Date,Kind,Column,Previous,Current');
    const notifications = await cloud.notifications();
    expect(notifications.map(({ subject }) => subject)).toEqual(['Portfolio: no new data since 2026-01-01, all checks pass']);
    expect((await pointer()).runId).toBe(third);
  });

  it('compares again when a run it did not compare with published first, so the published report compares with the run before it', async () => {
    const before = (await pointer()).runId;
    // X: an upload whose run starts first; Y: a later upload whose run compares with `before`, then waits.
    await cloud.upload({ 'Gold_Breakout.csv': `${appendedGold}2026-01-02,0.001000,24600,255000\n` });
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    await cloud.upload({ 'Forex_Trend.csv': `${sampleFiles['Forex_Trend.csv'] ?? ''}2026-01-01,0.002000,17000,850000\n` });
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    const [x, y] = (await cloud.executionNames()).filter((name) => !runs.includes(name)).sort((a, b) => (a === b ? 0 : a < b ? -1 : 1));
    expect([x, y].every((name) => name !== undefined)).toBe(true);
    // Which is which: X's snapshot completed first.
    const completedAt = async (runId: string) => (JSON.parse(await cloud.text(`runs/${runId}/snapshot.json`)) as { uploadCompletedAt: string }).uploadCompletedAt;
    const [older, newer] = (await completedAt(x ?? '')) < (await completedAt(y ?? '')) ? [x ?? '', y ?? ''] : [y ?? '', x ?? ''];
    const olderHeld = cloud.holdBefore('Load+Validate', older);
    const newerHeld = cloud.holdBefore('Align+Scale', newer);
    const both = cloud.runNewExecutions({ concurrently: true });
    await Promise.all([olderHeld.reached, newerHeld.reached]);
    olderHeld.release();
    // The older upload's run publishes while the newer one waits with its comparison against `before`.
    for (let waited = 0; (await pointer()).runId !== older && waited < 600; waited += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await pointer()).runId).toBe(older);
    newerHeld.release();
    const outcomes = await both;
    expect(outcomes.map(({ status }) => status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect((await pointer()).runId).toBe(newer);
    expect((await summaryOf(older)).restatements?.previous).toBe(before);
    expect((await summaryOf(newer)).restatements?.previous).toBe(older);
    const notices = await cloud.notifications();
    expect(notices.map(noticedRun).sort()).toEqual([older, newer].sort());
  }, 240_000);
});
