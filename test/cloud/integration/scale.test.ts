/**
 * The cloud pipeline at the sizes that broke it, on moto_server through the synthesized state
 * machine with every Task run by its real handler: 41 scenarios run through the Distributed Map
 * (items read from S3, results written where ResultWriter writes them) and give the comparison
 * the local run gives; 2,000 strategies (a short history, the size the state payload depends on)
 * run end to end with every state's input and output under 64 KiB, the charts and pages fanned out
 * by chunks (`npm run test:scale`: several minutes at moto's pace, so CI runs it apart from
 * `npm test`). The memory of each stage at 2,000 strategies x 20 years is `npm run bench:stages`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticedRun, QUIET_WINDOW_SECONDS, type RunningLocalCloud, startLocalCloud } from '#test/support/localCloud.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { smallPortfolio } from '#test/support/smallPortfolio.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;
const PAYLOAD_BUDGET = 64 * 1024;

describe('the pipeline at scale', () => {
  let cloud: RunningLocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud();
  }, 60_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  const completeUpload = async (files: Record<string, string | Uint8Array>) => {
    await cloud.upload(files);
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    return cloud.runNewExecutions();
  };

  it('copies an object above the single-copy limit in parts when sealing, byte for byte (5 GB in S3; 6 MB here)', async () => {
    const { S3Storage } = await import('#functions/commons/s3Storage.ts');
    const storage = new S3Storage(cloud.s3, cloud.bucket, 6 * 1024 ** 2, 5 * 1024 ** 2);
    const big = new Uint8Array(12 * 1024 ** 2 + 123).map((_, i) => (i * 31) % 251);
    await storage.put('work/big/report/1_master_aligned_data.csv', big);
    await storage.put('work/big/report/summary.json', '{}');
    const { sealReport } = await import('#shared/pipeline/runFolders.ts');
    expect(await sealReport(storage, { stagingPrefix: 'work/big/report/', reportPrefix: 'runs/big/report/' })).toEqual({ files: 2, bytes: big.length + 2 });
    expect(Buffer.from(await cloud.bytes('runs/big/report/1_master_aligned_data.csv')).equals(Buffer.from(big))).toBe(true);
  });

  it('runs 41 scenarios through the Distributed Map, from its S3 items to its manifest, and writes the comparison the local run writes', async () => {
    const sample = Object.fromEntries(readdirSync(SAMPLE).map((name) => [name, readFileSync(join(SAMPLE, name), 'utf8')]));
    const config = JSON.parse(sample['portfolio.json'] ?? '{}') as Record<string, unknown>;
    config['scenarios'] = Array.from({ length: 41 }, (_, i) => ({
      name: `Scenario ${i + 1}`,
      overrides: { allocation: { method: ['equal', 'inverseVolatility', 'riskParity'][i % 3], lookbackDays: 21 + i }, rebalance: { frequency: 'monthly', costBps: i % 7 } },
    }));
    const files = { ...sample, 'portfolio.json': JSON.stringify(config) };
    const data = scratchFolder('distributed-data');
    for (const [name, body] of Object.entries(files)) writeFileSync(join(data, name), body);
    const local = scratchFolder('distributed-local');
    const terminal = await runCli(['run', '--data', data, '--out', local]);
    expect(terminal.exitCode).toBe(0);

    const [outcome] = await completeUpload(files);
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
    const runId = outcome?.name ?? '';
    // The Distributed branch ran: the state carried no scenario list, the Map read the items and wrote its manifest.
    expect(JSON.parse(await cloud.text(`work/${runId}/scenarios/items.json`))).toHaveLength(41);
    const manifests = (await cloud.keys('work/map-results/')).filter((key) => key.endsWith('/manifest.json'));
    expect(manifests).toHaveLength(1);
    const results = JSON.parse(await cloud.text(manifests[0]?.replace('manifest.json', 'SUCCEEDED_0.json') ?? '')) as { Input: string }[];
    expect(results.map(({ Input }) => (JSON.parse(Input) as { index: number }).index)).toEqual(Array.from({ length: 41 }, (_, i) => i));
    expect(await cloud.keys(`work/${runId}/scenarios/`)).toHaveLength(41 * 2 + 1);
    const report = `runs/${runId}/report/`;
    expect(await cloud.text(`${report}comparison.json`)).toBe(readFileSync(join(local, 'comparison.json'), 'utf8'));
    expect(await cloud.text(`${report}index.html`)).toBe(readFileSync(join(local, 'index.html'), 'utf8'));
    // The terminal says every scenario; the email, under 80 lines, the first three and where the rest are.
    expect(terminal.stdout.filter((line) => /^ {2}Scenario \d+: return /.test(line))).toHaveLength(41);
    const [notice] = await cloud.notifications();
    expect(notice?.message.split('\n').filter((line) => /^ {2}Scenario \d+: return /.test(line))).toHaveLength(3);
    expect(notice?.message).toContain('  ... and 38 more in comparison.json');
    expect(notice?.message.split('\n').length).toBeLessThan(80);
  }, 180_000);

  // About 14,000 S3 requests at moto's pace: `npm run test:scale` (and CI's .ci/run) runs it.
  it.runIf(process.env['PC_SCALE_TESTS'] === '1')('keeps every state payload under 64 KiB with 2,000 strategies, the charts and pages in 21 chunks', async () => {
    cloud.payloadSizes.clear();
    // Uploaded, then run by hand: the upload path of thousands of files is the 250-file test's.
    await cloud.upload(smallPortfolio({ strategies: 2000, days: 6, scenarios: 2 }));
    expect(await cloud.invoke('start-run', { trigger: 'manual' })).toMatchObject({ started: true });
    const [outcome] = await cloud.runNewExecutions();
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
    const sizes = [...cloud.payloadSizes.entries()].sort((a, b) => b[1] - a[1]);
    process.stdout.write(`largest state payloads at 2,000 strategies: ${sizes.slice(0, 6).map(([state, bytes]) => `${state} ${bytes} B`).join(', ')}\n`);
    expect(sizes.length).toBeGreaterThan(15);
    for (const [state, bytes] of sizes) expect(bytes, state).toBeLessThan(PAYLOAD_BUDGET);
    const runId = outcome?.name ?? '';
    expect(JSON.parse(await cloud.text(`work/${runId}/report-chunks.json`))).toHaveLength(21);
    const latest = JSON.parse(await cloud.text('latest/run.json')) as { runId: string; files: string[] };
    expect(latest.runId).toBe(runId);
    expect(latest.files.filter((file) => file.startsWith('tearsheets/'))).toHaveLength(2003);
    // An equity chart per level, the portfolio's four, a weights chart per account (scenarios put part B in use),
    // rolling figures and a returns histogram per account and the portfolio (SPEC 18).
    expect(latest.files.filter((file) => file.startsWith('charts/'))).toHaveLength(2003 + 4 + 2 + 2 * 3);
    const [notice, ...others] = await cloud.notifications();
    expect(others).toEqual([]);
    expect(notice === undefined ? null : noticedRun(notice)).toBe(runId);
    expect(notice?.message.split('\n').length).toBeLessThan(80);
  }, 1_200_000);
});
