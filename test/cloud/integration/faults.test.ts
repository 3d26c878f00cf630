/**
 * A fault injected at each Task of the run (an S3 403, an S3 network timeout, Lambda throttling;
 * SNS throttling at the notices; a Lambda timing out after its work was done), on moto_server
 * through the synthesized state machine with every Task run by its real handler. Whatever fails,
 * latest/run.json names either the old run or the new one, each with its whole report; no half
 * report is left under runs/; and exactly one notice is sent, saying which run latest/ shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS_PASS, type Fault, noticedRun, QUIET_WINDOW_SECONDS, type RunningLocalCloud, startLocalCloud } from '#test/support/localCloud.ts';
import { smallPortfolio } from '#test/support/smallPortfolio.ts';

interface Pointer {
  runId: string;
  report: string;
  files: string[];
}

/** Every Task of the run state machine, as it is named in the definition. */
const TASKS = [
  'Load+Validate',
  'Align+Scale',
  'Compound+Reconcile',
  'Scenarios: one item',
  'Write data files',
  'Charts: one item',
  'Pages: one item',
  'Write index',
  'Seal report',
  'Publish latest',
  'Notify',
  'Expire old runs',
] as const;
/** Past this Task a run's report is published: a later failure leaves latest/ showing it. */
const PUBLISHED_FROM = TASKS.indexOf('Notify');
const KINDS = ['s3-403', 's3-timeout', 'lambda-throttle'] as const;

describe('a fault at each Task', () => {
  let cloud: RunningLocalCloud;
  let variant = 0;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    // A published run for latest/ to keep showing.
    expect((await runUpload()).status).toBe('SUCCEEDED');
    await cloud.notifications();
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  async function runUpload(...faults: Fault[]) {
    variant += 1;
    await cloud.upload(smallPortfolio({ strategies: 2, days: 8, scenarios: 1, variant }));
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    for (const fault of faults) cloud.inject(fault);
    try {
      const outcomes = await cloud.runNewExecutions();
      expect(outcomes).toHaveLength(1);
      return outcomes[0] ?? { name: '', status: 'FAILED', output: null, error: 'no execution' };
    } finally {
      cloud.clearFaults();
    }
  }
  const pointer = async (): Promise<Pointer> => JSON.parse(await cloud.text('latest/run.json')) as Pointer;

  /** latest/ wholly old or wholly new, no half report, exactly one notice saying which run latest/ shows. */
  async function expectOneTrueNotice(runId: string, before: Pointer): Promise<{ subject: string; message: string }> {
    const latest = await pointer();
    expect([before.runId, runId]).toContain(latest.runId);
    expect((await cloud.keys(latest.report)).map((key) => key.slice(latest.report.length))).toEqual(latest.files);
    if (latest.runId !== runId) expect(await cloud.keys(`runs/${runId}/report/`)).toEqual([]);
    const notifications = await cloud.notifications();
    expect(notifications.map(noticedRun)).toEqual([runId]);
    const [notice] = notifications;
    expect(notice?.message.replace(/\s+/g, ' ')).toContain(`latest/ shows run ${latest.runId}`);
    return notice ?? { subject: '', message: '' };
  }

  const cases = TASKS.flatMap((state, position) => KINDS.map((kind) => ({ state, kind, position })));
  it.each(cases)('$kind at $state: latest/ wholly old or wholly new, one notice that says which', async ({ state, kind, position }) => {
    const before = await pointer();
    const outcome = await runUpload({ state, kind });
    const notice = await expectOneTrueNotice(outcome.name, before);
    const latest = await pointer();
    if (state === 'Expire old runs') {
      // Expiry is housekeeping after the notice: its failure costs nothing.
      expect(outcome.status).toBe('SUCCEEDED');
      expect(notice.subject).toMatch(ALL_CHECKS_PASS);
    } else {
      expect(outcome.status).toBe('FAILED');
      expect(notice.subject).toMatch(/^Portfolio Combiner FAILED: /);
      expect(latest.runId).toBe(position >= PUBLISHED_FROM ? outcome.name : before.runId);
    }
  });

  it('SNS throttling at Notify: retried, then the failure path still sends the one notice (published, and saying so)', async () => {
    const before = await pointer();
    const transient = await runUpload({ state: 'Notify', kind: 'sns-throttle', times: 2 });
    expect(transient.status).toBe('SUCCEEDED');
    expect((await expectOneTrueNotice(transient.name, before)).subject).toMatch(/all checks pass/);

    const lasting = await runUpload({ state: 'Notify', kind: 'sns-throttle' });
    const notice = await expectOneTrueNotice(lasting.name, await pointer());
    expect(notice.subject).toMatch(/^Portfolio Combiner FAILED: NoticeUnavailable/);
    expect(notice.message).toContain('Its report was published before the failure');
    expect((await pointer()).runId).toBe(lasting.name);
  });

  it('SNS throttling at Notify failure: retried, one failure notice', async () => {
    const before = await pointer();
    const outcome = await runUpload({ state: 'Write index', kind: 's3-403' }, { state: 'Notify failure', kind: 'sns-throttle', times: 3 });
    expect(outcome.status).toBe('FAILED');
    expect((await expectOneTrueNotice(outcome.name, before)).subject).toMatch(/^Portfolio Combiner FAILED: AccessDenied/);
    expect((await pointer()).runId).toBe(before.runId);
  });

  it('a Notify that timed out after sending is retried without a second email', async () => {
    const before = await pointer();
    const outcome = await runUpload({ state: 'Notify', kind: 'timeout-after-success', times: 1 });
    expect(outcome.status).toBe('SUCCEEDED');
    expect((await expectOneTrueNotice(outcome.name, before)).subject).toMatch(/all checks pass/);
    expect(JSON.parse(await cloud.text(`runs/${outcome.name}/notice.json`))).toMatchObject({ subject: expect.stringContaining('all checks pass') });
  });

  it('a Publish that timed out after moving latest/ is retried and publishes once', async () => {
    const before = await pointer();
    const outcome = await runUpload({ state: 'Publish latest', kind: 'timeout-after-success', times: 1 });
    expect(outcome.status).toBe('SUCCEEDED');
    const notice = await expectOneTrueNotice(outcome.name, before);
    expect(notice.message).toContain('Published: latest/ now shows this run.');
  });

  it('a failure on the 4th copy of the seal leaves nothing of the run under runs/, and when even the clean-up fails the notice says what is left', async () => {
    const before = await pointer();
    const failed = await runUpload({ state: 'Seal report', kind: 's3-403', after: 3 });
    expect(failed.status).toBe('FAILED');
    await expectOneTrueNotice(failed.name, before);

    const leftover = await runUpload({ state: 'Seal report', kind: 's3-timeout', after: 3 }, { state: 'Discard report', kind: 's3-403' });
    expect(leftover.status).toBe('FAILED');
    expect((await pointer()).runId).toBe(before.runId);
    const notifications = await cloud.notifications();
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.message.replace(/\s+/g, ' ')).toContain(`Some files of its report could not be removed from runs/${leftover.name}/report/`);
    expect(notifications[0]?.message.replace(/\s+/g, ' ')).toContain(`latest/ shows run ${before.runId}`);
  });
});
