/**
 * Uploads, overlapping runs and the nightly run on moto_server, through the synthesized state
 * machine executed by aws-local-stepfunctions with every Task run by its real handler. Time is the
 * test's: files "arrive over 90 seconds" because the test moves the clock between them, and the
 * quiet check fires when the test's clock passes it. What a user checks: one run per complete
 * upload, latest/run.json naming one complete and newest run, one email per execution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS_PASS, type ExecutionOutcome, noticedRun, type Notification, QUIET_WINDOW_SECONDS, type RunningLocalCloud, startLocalCloud } from '#test/support/localCloud.ts';
import { smallPortfolio } from '#test/support/smallPortfolio.ts';

interface Pointer {
  runId: string;
  report: string;
  files: string[];
  uploadCompletedAt: string;
}

describe('uploads, overlapping runs and the nightly run', () => {
  let cloud: RunningLocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud();
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  const pointer = async (): Promise<Pointer> => JSON.parse(await cloud.text('latest/run.json')) as Pointer;
  /** latest/run.json names a run whose report holds exactly the files the pointer lists. */
  const expectWholeReport = async (latest: Pointer): Promise<void> => {
    expect((await cloud.keys(latest.report)).map((key) => key.slice(latest.report.length))).toEqual(latest.files);
    expect(latest.files).toEqual(expect.arrayContaining(['index.html', 'summary.json', '1_master_aligned_data.csv']));
  };
  /** Each notice's run and subject. */
  const notices = (notifications: Notification[]): { run: string | null; subject: string }[] => notifications.map((note) => ({ run: noticedRun(note), subject: note.subject }));
  const allPass = (runId: string | undefined): { run: string; subject: unknown } => ({ run: runId ?? '', subject: expect.stringMatching(ALL_CHECKS_PASS) });
  const byRun = (a: { run: string | null }, b: { run: string | null }): number => (a.run ?? '').localeCompare(b.run ?? '');
  const succeeded = (outcomes: ExecutionOutcome[]) => outcomes.map(({ name, status, error }) => ({ name, status, error }));
  const completeUpload = async (files: Record<string, string>): Promise<ExecutionOutcome[]> => {
    await cloud.upload(files);
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    return cloud.runNewExecutions();
  };

  it('makes exactly one run on all 250 files of an upload arriving over 90 seconds, with one email', async () => {
    const files = Object.entries(smallPortfolio({ strategies: 249, days: 10 }));
    expect(files).toHaveLength(250);
    const start = cloud.now().getTime();
    for (const [index, [name, body]] of files.entries()) {
      await cloud.upload({ [name]: body });
      // Every fifth file the clock moves on to its arrival and the starter gets the events so far.
      if (index % 5 === 4) {
        expect(await cloud.advance((90 * (index + 1)) / files.length - (cloud.now().getTime() - start) / 1000)).toEqual([]);
        const answers = await cloud.deliverUploads();
        expect(answers.every((answer) => (answer as { started: boolean }).started === false), `file ${index}`).toBe(true);
      }
    }
    expect(cloud.now().getTime() - start).toBe(90_000);
    expect(await cloud.executionNames()).toEqual([]);
    // The quiet check waits for the window after the last change, not after the first file.
    expect(await cloud.quietCheckAt()).toEqual(new Date(start + 90_000 + QUIET_WINDOW_SECONDS * 1000));
    expect(await cloud.advance(QUIET_WINDOW_SECONDS - 1)).toEqual([]);
    expect(await cloud.advance(1)).toEqual([expect.objectContaining({ started: true, inputs: 250 })]);
    const outcomes = await cloud.runNewExecutions();
    expect(outcomes.map(({ status }) => status)).toEqual(['SUCCEEDED']);
    const runId = outcomes[0]?.name ?? '';
    expect(await cloud.keys(`runs/${runId}/input/`)).toHaveLength(250);
    const latest = await pointer();
    expect(latest.runId).toBe(runId);
    expect(latest.files.filter((file) => file.startsWith('tearsheets/strategy-'))).toHaveLength(249);
    await expectWholeReport(latest);
    expect(notices(await cloud.notifications())).toEqual([allPass(runId)]);
    // A late duplicate of every event starts nothing.
    expect(await cloud.invoke('start-run', { trigger: 'quietCheck' })).toMatchObject({ started: false });
    expect(await cloud.runNewExecutions()).toEqual([]);
  }, 240_000);

  it('merges two uploads that overlap into one run on the newest state of incoming/, and starts once at _DONE', async () => {
    const first = smallPortfolio({ strategies: 4, days: 10, variant: 1 });
    const second = smallPortfolio({ strategies: 6, days: 10, variant: 2 });
    await cloud.upload({ 'S0000.csv': first['S0000.csv'] ?? '', 'S0001.csv': first['S0001.csv'] ?? '' });
    await cloud.deliverUploads();
    await cloud.advance(20);
    await cloud.upload(second);
    const executionsBefore = (await cloud.executionNames()).length;
    // Two starters take the events at once (the event source runs two).
    await Promise.all([cloud.deliverUploads(), cloud.invoke('start-run', { trigger: 'quietCheck' })]);
    await cloud.advance(30);
    expect(await cloud.executionNames()).toHaveLength(executionsBefore);
    expect(await cloud.advance(QUIET_WINDOW_SECONDS)).toEqual([expect.objectContaining({ started: true })]);
    const [outcome] = await cloud.runNewExecutions();
    expect(outcome?.status).toBe('SUCCEEDED');
    const latest = await pointer();
    expect(latest.runId).toBe(outcome?.name);
    expect(latest.files.filter((file) => file.startsWith('tearsheets/strategy-'))).toHaveLength(6);
    await expectWholeReport(latest);
    expect(notices(await cloud.notifications())).toEqual([allPass(outcome?.name)]);

    // Written last, _DONE completes an upload without waiting for the window.
    await cloud.upload(smallPortfolio({ strategies: 3, days: 10, variant: 3 }));
    await cloud.upload({ _DONE: 'done\n' });
    expect(await cloud.deliverUploads()).toEqual(expect.arrayContaining([expect.objectContaining({ started: true })]));
    expect((await cloud.runNewExecutions()).map(({ status }) => status)).toEqual(['SUCCEEDED']);
    expect(await cloud.notifications()).toHaveLength(1);
    await cloud.advance(QUIET_WINDOW_SECONDS); // the armed check finds the same upload: nothing new
    expect(await cloud.runNewExecutions()).toEqual([]);
  });

  it('lets a run that started before an upload finish after it without moving latest/ back, with one email each', async () => {
    const older = smallPortfolio({ strategies: 3, days: 10, variant: 4 });
    await cloud.upload(older);
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    const held = cloud.holdBefore('Publish latest');
    const olderRun = cloud.runNewExecutions();
    await held.reached;

    // While the older run waits to publish, a newer upload completes and its run publishes.
    const newer = await completeUpload(smallPortfolio({ strategies: 5, days: 10, variant: 5 }));
    expect(newer.map(({ status }) => status)).toEqual(['SUCCEEDED']);
    expect((await pointer()).runId).toBe(newer[0]?.name);
    held.release();
    const [olderOutcome] = await olderRun;
    expect(olderOutcome?.status).toBe('SUCCEEDED');

    const latest = await pointer();
    expect(latest.runId).toBe(newer[0]?.name);
    await expectWholeReport(latest);
    const notifications = await cloud.notifications();
    expect(notices(notifications).sort(byRun)).toEqual([allPass(newer[0]?.name), allPass(olderOutcome?.name)].sort(byRun));
    const olderNotice = notifications.find((note) => noticedRun(note) === olderOutcome?.name)?.message.replace(/\s+/g, ' ') ?? '';
    expect(olderNotice).toContain(`Not published: latest/ already shows run ${newer[0]?.name ?? ''}`);
    // The older run's report is complete where it is, for whoever wants it.
    expect(await cloud.keys(`runs/${olderOutcome?.name ?? ''}/report/index.html`)).toHaveLength(1);
  });

  it('ends A -> B -> A on the second A', async () => {
    const a = smallPortfolio({ strategies: 3, days: 10, variant: 6 });
    const b = smallPortfolio({ strategies: 4, days: 10, variant: 7 });
    const runs: string[] = [];
    for (const files of [a, b, a]) {
      const outcomes = await completeUpload(files);
      expect(succeeded(outcomes)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
      runs.push(outcomes[0]?.name ?? '');
    }
    expect(new Set(runs).size).toBe(3);
    const latest = await pointer();
    expect(latest.runId).toBe(runs[2]);
    expect(latest.files.filter((file) => file.startsWith('tearsheets/strategy-'))).toHaveLength(3);
    expect(notices(await cloud.notifications()).sort(byRun)).toEqual(runs.map(allPass).sort(byRun));
  });

  it('sends one short "no new data" email on a night without a new upload, and on a night mid-upload runs nothing of it', async () => {
    const before = await pointer();
    const quiet = await cloud.nightly();
    expect(quiet).toMatchObject({ started: true, runId: expect.stringMatching(/^nightly-/) });
    expect(succeeded(await cloud.runNewExecutions())).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    const [note, ...more] = await cloud.notifications();
    expect(more).toEqual([]);
    expect(note?.subject).toMatch(/^Portfolio Combiner: no new data since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(nightly-/);
    expect(note?.message.replace(/\s+/g, ' ')).toContain(`latest/ shows run ${before.runId}`);
    expect((await pointer()).runId).toBe(before.runId);

    // A new config and one of three new CSVs have arrived when the schedule fires.
    const next = smallPortfolio({ strategies: 3, days: 11, variant: 8 });
    await cloud.upload({ 'portfolio.json': next['portfolio.json'] ?? '', 'S0000.csv': next['S0000.csv'] ?? '' });
    await cloud.deliverUploads();
    await cloud.advance(10);
    expect(await cloud.nightly()).toMatchObject({ started: true, runId: expect.stringMatching(/^nightly-/) });
    expect((await cloud.runNewExecutions()).map(({ status }) => status)).toEqual(['SUCCEEDED']);
    const [midUpload] = await cloud.notifications();
    expect(midUpload?.message.replace(/\s+/g, ' ')).toContain('Files in incoming/ have been changing since');
    expect((await pointer()).runId).toBe(before.runId);

    await cloud.upload({ 'S0001.csv': next['S0001.csv'] ?? '', 'S0002.csv': next['S0002.csv'] ?? '' });
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    const [completed] = await cloud.runNewExecutions();
    expect(completed?.status).toBe('SUCCEEDED');
    const latest = await pointer();
    expect(latest.runId).toBe(completed?.name);
    expect(JSON.parse(await cloud.text(`runs/${latest.runId}/snapshot.json`))).toMatchObject({ files: expect.arrayContaining([expect.objectContaining({ name: 'S0002.csv' })]) });
    expect(await cloud.notifications()).toHaveLength(1);
  });
});
