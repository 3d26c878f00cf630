/**
 * The cloud pipeline end to end, on real protocol: moto_server for S3, EventBridge, SQS, SNS and
 * Step Functions' bookkeeping; the synthesized state machine definition executed with
 * aws-local-stepfunctions, every Task run by its real handler. What a user would check: one run
 * per upload, the report under runs/<runId>/ that latest/run.json points to, the one email, and a
 * bad file's notice. Time is the test's own: the quiet window passes with `advance`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotBucketIfAsked } from '#test/support/bucketSnapshot.ts';
import { formatSignedPercent, formatSignedUsd } from '#shared/report/formatting.ts';
import { noticedRun, QUIET_WINDOW_SECONDS, type RunningLocalCloud, startLocalCloud } from '#test/support/localCloud.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;
const sampleFiles = Object.fromEntries(readdirSync(SAMPLE).map((name) => [name, readFileSync(join(SAMPLE, name))]));
const DATA_FILES = ['1_master_aligned_data.csv', '2_account_performance.csv', '3_total_portfolio_performance.csv', 'summary.json'];

describe('the pipeline on moto_server', () => {
  let cloud: RunningLocalCloud;
  let firstRun = '';

  beforeAll(async () => {
    cloud = await startLocalCloud();
  }, 60_000);

  afterAll(async () => {
    if (cloud !== undefined) await snapshotBucketIfAsked(cloud);
    await cloud?.stop();
  });

  /** An upload, its events delivered, the quiet window passed: the quiet check starts the run. */
  const uploadAndWait = async (files: Record<string, string | Uint8Array>): Promise<unknown[]> => {
    await cloud.upload(files);
    await cloud.deliverUploads();
    return cloud.advance(QUIET_WINDOW_SECONDS);
  };
  const pointer = async (): Promise<{ runId: string; report: string; files: string[] }> =>
    JSON.parse(await cloud.text('latest/run.json')) as { runId: string; report: string; files: string[] };

  it('turns an upload of the sample into exactly one run that writes its report and points latest/run.json at it', async () => {
    expect(await uploadAndWait(sampleFiles)).toEqual([expect.objectContaining({ started: true })]);
    const outcomes = await cloud.runNewExecutions();
    expect(outcomes.map(({ status, error }) => ({ status, error }))).toEqual([{ status: 'SUCCEEDED', error: null }]);
    firstRun = outcomes[0]?.name ?? '';
    expect(firstRun).toMatch(/^upload-[0-9a-f]{24}$/);
    expect(await cloud.keys(`runs/${firstRun}/input/`)).toEqual(Object.keys(sampleFiles).map((name) => `runs/${firstRun}/input/${name}`).sort());
    const report = (await cloud.keys(`runs/${firstRun}/report/`)).map((key) => key.slice(`runs/${firstRun}/report/`.length));
    expect(report).toEqual(expect.arrayContaining([...DATA_FILES, 'index.html', 'correlation.csv', 'tearsheets/portfolio.html', 'charts/portfolio.png']));
    // 9 charts, and rolling figures and a returns histogram for each of the 2 accounts and the portfolio (SPEC 18).
    expect(report.filter((file) => file.startsWith('charts/'))).toHaveLength(9 + 2 * 3);
    expect(report.filter((file) => file.startsWith('tearsheets/'))).toHaveLength(6);
    expect(await cloud.keys('latest/')).toEqual(['latest/run.json']);
    expect(await pointer()).toMatchObject({ runId: firstRun, report: `runs/${firstRun}/report/`, files: report });
  });

  it('writes in the cloud exactly the files the local run writes', async () => {
    const out = scratchFolder('local-twin');
    expect((await runCli(['run', '--data', SAMPLE, '--out', out])).exitCode).toBe(0);
    const local = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(out.length + 1))
      .sort();
    expect((await cloud.keys(`runs/${firstRun}/report/`)).map((key) => key.slice(`runs/${firstRun}/report/`.length))).toEqual(local);
    for (const name of local) {
      expect(Buffer.from(await cloud.bytes(`runs/${firstRun}/report/${name}`)).equals(readFileSync(join(out, name))), name).toBe(true);
    }
  });

  it("emails one summary with the day's figures, the checks, where the report is and what latest/ shows", async () => {
    const notifications = await cloud.notifications();
    expect(notifications.map(({ subject }) => subject)).toEqual(['Portfolio 2025-12-31: -$5,198 (-0.5 %) day, all checks pass']);
    expect(notifications.map(noticedRun)).toEqual([firstRun]);
    const message = notifications[0]?.message ?? '';
    expect(message).toContain('Portfolio on 2025-12-31');
    expect(message.replace(/\s+/g, ' ')).toMatch(/All 7 checks pass: [^\n]*\bmarginUtilization\b/);
    expect(message).toContain(`s3://${cloud.bucket}/runs/${firstRun}/report/`);
    expect(message).toContain('Published: latest/ now shows this run.');
    expect(message).toContain(`latest/ shows run ${firstRun}`);
    expect(JSON.parse(await cloud.text(`runs/${firstRun}/notice.json`))).toMatchObject({ subject: notifications[0]?.subject });
    const link = message.split('\n').find((line) => line.startsWith('http'));
    expect(message).toMatch(/Open the report \(index\.html\) until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const page = await fetch(link ?? 'no link in the message');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Portfolio Combiner report</h1>');
  });

  it('starts no second run when the events of the same upload are delivered again', async () => {
    // The quiet check of the same state of incoming/, as a re-delivered event or a second starter would make it.
    expect(await cloud.invoke('start-run', { trigger: 'quietCheck' })).toMatchObject({ started: false, reason: expect.stringContaining('already exists') });
    expect(await cloud.executionNames()).toEqual([firstRun]);
    expect(await cloud.runNewExecutions()).toEqual([]);
  });

  it('sends a failure notice naming the file, line and column of a bad CSV, and leaves latest/ as it was', async () => {
    const latestBefore = await cloud.text('latest/run.json');
    const broken = readFileSync(join(SAMPLE, 'Forex_Trend.csv'), 'utf8').replace(/\n(\d{4}-\d\d-\d\d),[^,]+,/, '\n$1,n/a,');
    expect(await uploadAndWait({ 'Forex_Trend.csv': broken })).toEqual([expect.objectContaining({ started: true })]);
    const outcomes = await cloud.runNewExecutions();
    expect(outcomes.map(({ status }) => status)).toEqual(['FAILED']);
    const notifications = await cloud.notifications();
    expect(notifications.map(({ subject }) => subject)).toEqual([`Portfolio Combiner FAILED: bad input (run ${outcomes[0]?.name ?? ''})`]);
    expect(notifications[0]?.message).toContain('Forex_Trend.csv, line 2, column Return: "n/a" is not a number');
    expect(notifications[0]?.message).toContain(`latest/ shows run ${firstRun}`);
    expect(await cloud.text('latest/run.json')).toBe(latestBefore);
    expect(await cloud.keys(`runs/${outcomes[0]?.name ?? ''}/report/`)).toEqual([]);
  });

  it('writes the rebalance log and limits.json, and folds an alert for every rule breached into the one email', async () => {
    const config = JSON.parse(readFileSync(join(SAMPLE, 'portfolio.json'), 'utf8')) as Record<string, unknown>;
    Object.assign(config, {
      allocation: { method: 'inverseVolatility', lookbackDays: 21 },
      rebalance: { frequency: 'quarterly', costBps: 5 },
      limits: { maxLeverage: 8, dailyStopLossUsd: 20_000 },
    });
    expect(await uploadAndWait({ ...sampleFiles, 'portfolio.json': JSON.stringify(config) })).toEqual([expect.objectContaining({ started: true })]);
    const [outcome] = await cloud.runNewExecutions();
    expect(outcome?.status).toBe('SUCCEEDED');
    const report = `runs/${outcome?.name ?? ''}/report/`;
    expect(await cloud.keys(report)).toEqual(expect.arrayContaining([`${report}4_rebalance_log.csv`, `${report}limits.json`]));
    expect(JSON.parse(await cloud.text(`${report}limits.json`))).toMatchObject({ date: '2025-12-31', maxExposure: 8 * 650_000 });
    const summary = JSON.parse(await cloud.text(`${report}summary.json`)) as { checks: Record<string, { status: string }>; asOf: { portfolio: { periods: { day: { pnlUsd: number; return: number } } } } };
    const breached = ['maxLeverage', 'dailyStopLoss'].filter((check) => summary.checks[check]?.status === 'fail');
    expect(breached).not.toEqual([]);
    const notifications = await cloud.notifications();
    const { day } = summary.asOf.portfolio.periods;
    expect(notifications.map(({ subject }) => subject)).toEqual([
      `Portfolio 2025-12-31: ${formatSignedUsd(day.pnlUsd)} (${formatSignedPercent(day.return)}) day, ${breached.length} rule breach${breached.length === 1 ? '' : 'es'}`,
    ]);
    expect(notifications.map(noticedRun)).toEqual([outcome?.name]);
    for (const check of breached) expect(notifications[0]?.message).toContain(`${check} failed: `);
  });

  describe('with scenarios and an optimizer section', () => {
    const config = JSON.parse(readFileSync(join(SAMPLE, 'portfolio.json'), 'utf8')) as Record<string, unknown>;
    Object.assign(config, {
      scenarios: [
        { name: 'Equal weights', overrides: { allocation: { method: 'equal' } } },
        { name: 'Quarterly inverse vol', overrides: { allocation: { method: 'inverseVolatility', lookbackDays: 21 }, rebalance: { frequency: 'quarterly', costBps: 5 } } },
      ],
      optimizer: { maxStrategies: 2, inSampleEnd: '2022-12-30' },
    });
    const files = { ...sampleFiles, 'portfolio.json': JSON.stringify(config) };
    let local = '';

    beforeAll(async () => {
      const data = scratchFolder('scenario-data');
      for (const [name, body] of Object.entries(files)) writeFileSync(join(data, name), body);
      local = scratchFolder('scenario-local');
      // The cloud compares with the run before (the sample's CSVs, SPEC 19.2): the local twin with --previous-data.
      expect((await runCli(['run', '--data', data, '--previous-data', SAMPLE, '--out', local])).exitCode).toBe(0);
      expect((await runCli(['optimize', '--data', data, '--out', local])).exitCode).toBe(0);
    }, 120_000);

    it('runs each scenario as a child of the inline Map and writes the comparison the local run writes', async () => {
      expect(await uploadAndWait(files)).toEqual([expect.objectContaining({ started: true })]);
      const [outcome] = await cloud.runNewExecutions();
      expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
      const work = `work/${outcome?.name ?? ''}/scenarios/`;
      expect(await cloud.keys(work)).toEqual([`${work}0.equity.bin`, `${work}0.json`, `${work}1.equity.bin`, `${work}1.json`, `${work}items.json`]);
      const report = `runs/${outcome?.name ?? ''}/report/`;
      expect(await cloud.text(`${report}comparison.json`)).toBe(readFileSync(join(local, 'comparison.json'), 'utf8'));
      // Each run names the previous copy as it knows it: the local twin by its folder, the cloud by the run latest/ showed.
      const { restatements } = JSON.parse(await cloud.text(`${report}summary.json`)) as { restatements: { previous: string } };
      expect(restatements.previous).toMatch(/^upload-[0-9a-f]+$/);
      const localIndex = readFileSync(join(local, 'index.html'), 'utf8');
      expect(localIndex).toContain(`previous copy ${SAMPLE}:`);
      expect(await cloud.text(`${report}index.html`)).toBe(localIndex.replace(`previous copy ${SAMPLE}:`, `previous copy ${restatements.previous}:`));
      const [summary] = await cloud.notifications();
      // One sentence a scenario (no table, it reads on a phone), each with every figure.
      const sentences = summary?.message.replace(/\n {4}/g, ' ').split('\n').filter((line) => /^ {2}(base|Equal weights|Quarterly inverse vol): /.test(line)) ?? [];
      expect(sentences).toHaveLength(3);
      expect(sentences[2]).toMatch(
        /^ {2}Quarterly inverse vol: return [-+]?\d+\.\d %, CAGR [-+]?\d+\.\d %, Sharpe -?\d+\.\d\d, max drawdown -\d+\.\d %, costs \$[\d,]+\.\d\d, \d+ checks? failed$/,
      );
    });

    it('runs the optimizer when started by hand: optimizer.json as the local command writes it, published beside the run in latest/run.json, and an email', async () => {
      expect(await cloud.invoke('start-run', { trigger: 'manual', command: 'optimize' })).toMatchObject({ started: true, runId: expect.stringMatching(/^optimize-/) });
      const [outcome] = await cloud.runNewExecutions();
      expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
      const runId = outcome?.name ?? '';
      const report = `runs/${runId}/report/`;
      expect(await cloud.keys(report)).toEqual([`${report}optimizer.html`, `${report}optimizer.json`]);
      const written = await cloud.text(`${report}optimizer.json`);
      expect(written).toBe(readFileSync(join(local, 'optimizer.json'), 'utf8'));
      const latest = JSON.parse(await cloud.text('latest/run.json')) as { runId: string; files: string[]; optimizer: { runId: string; report: string; files: string[] } };
      expect(latest).toMatchObject({ runId: expect.stringMatching(/^upload-/), optimizer: { runId, report, files: ['optimizer.html', 'optimizer.json'] } });
      expect(latest.files).toEqual(expect.arrayContaining(['comparison.json', 'summary.json']));

      const { chosen, steps } = JSON.parse(written) as { chosen: string[]; steps: unknown[] };
      const [notification, ...others] = await cloud.notifications();
      expect(others).toEqual([]);
      expect(notification?.subject).toBe(`Portfolio Combiner optimizer: ${chosen.length} of 3 chosen (${runId})`);
      expect(notification?.message).toContain(`Chosen, in order: ${chosen.join(', ')}`);
      expect(notification?.message).toMatch(new RegExp(`candidate sets evaluated in ${steps.length} step\\(s\\)`));
      expect(notification?.message).toMatch(/Open the report \(optimizer\.html\) until/);
    });

    it('keeps the optimizer result beside the run when the next upload publishes', async () => {
      const { optimizer } = JSON.parse(await cloud.text('latest/run.json')) as { optimizer: { runId: string } };
      await uploadAndWait({ 'portfolio.json': JSON.stringify(config) });
      expect((await cloud.runNewExecutions()).map(({ status }) => status)).toEqual(['SUCCEEDED']);
      expect(JSON.parse(await cloud.text('latest/run.json'))).toMatchObject({ runId: expect.stringMatching(/^upload-/), optimizer: { runId: optimizer.runId } });
      expect(await cloud.notifications()).toHaveLength(1);
    });
  });
});
