/**
 * SPEC 20 in the cloud (issue 16, item 2), end to end on moto_server through the synthesized run
 * state machine: the bootstrap's paths run as chunks of a Map (Plan Monte Carlo, a child per
 * chunk computing its paths from the seed and leaving them by key, Merge Monte Carlo), and the
 * report's montecarlo.json and fan CSV are the local run's, byte for byte.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAN_OUT_DEFAULTS } from '#infra/fanOutDefaults.ts';
import { MONTE_CARLO_CHUNK_PATHS } from '#shared/model/monteCarloChunks.ts';
import { QUIET_WINDOW_SECONDS, type RunningLocalCloud, startLocalCloud } from '#test/support/localCloud.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const sampleFiles = Object.fromEntries(readdirSync(SAMPLE_DATA).map((name) => [name, readFileSync(join(SAMPLE_DATA, name), 'utf8')]));
const PATHS = 2 * MONTE_CARLO_CHUNK_PATHS + 37; // three chunks, the last a short one
const withMonteCarlo = (monteCarlo: Record<string, number>) => ({
  ...sampleFiles,
  'portfolio.json': JSON.stringify({ ...(JSON.parse(sampleFiles['portfolio.json'] ?? '{}') as Record<string, unknown>), monteCarlo }, null, 2),
});
const files = withMonteCarlo({ paths: PATHS, horizonDays: 30, blockDays: 7, seed: 20_251_231 });
const MONTE_CARLO_FILES = ['montecarlo.json', '7_monte_carlo_fan.csv'];

describe('the bootstrap as a Map on moto_server', () => {
  let cloud: RunningLocalCloud;
  let local = '';

  beforeAll(async () => {
    cloud = await startLocalCloud();
    const data = scratchFolder('bootstrap-data');
    for (const [name, body] of Object.entries(files)) writeFileSync(join(data, name), body);
    local = scratchFolder('bootstrap-local');
    expect((await runCli(['run', '--data', data, '--out', local])).exitCode).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
  });

  it('runs each chunk of paths as a child of the Map, and writes montecarlo.json and the fan CSV exactly as the local run does', async () => {
    await cloud.upload(files);
    await cloud.deliverUploads();
    expect(await cloud.advance(QUIET_WINDOW_SECONDS)).toEqual([expect.objectContaining({ started: true })]);
    const [outcome] = await cloud.runNewExecutions();
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
    const runId = outcome?.name ?? '';
    // One object per chunk, written by its own Map child, and the plan's items.
    const work = `work/${runId}/montecarlo/`;
    expect(await cloud.keys(work)).toEqual(expect.arrayContaining([`${work}chunk-0.bin`, `${work}chunk-1.bin`, `${work}chunk-2.bin`, `${work}items.json`]));
    expect(await cloud.keys(`${work}chunk-3.bin`)).toEqual([]);
    expect(JSON.parse(await cloud.text(`${work}items.json`))).toEqual([
      { chunk: 0, firstPath: 0, paths: MONTE_CARLO_CHUNK_PATHS },
      { chunk: 1, firstPath: MONTE_CARLO_CHUNK_PATHS, paths: MONTE_CARLO_CHUNK_PATHS },
      { chunk: 2, firstPath: 2 * MONTE_CARLO_CHUNK_PATHS, paths: 37 },
    ]);
    // The Map's children carry a chunk index and the work folder, never paths or figures.
    expect(cloud.payloadSizes.get('Monte Carlo: one item')).toBeLessThan(200);
    const report = `runs/${runId}/report/`;
    for (const name of MONTE_CARLO_FILES) {
      expect(Buffer.from(await cloud.bytes(`${report}${name}`)).equals(readFileSync(join(local, name))), name).toBe(true);
    }
    expect((JSON.parse(await cloud.text(`${report}montecarlo.json`)) as { settings: { paths: number } }).settings.paths).toBe(PATHS);
    expect(JSON.parse(await cloud.text('latest/run.json'))).toMatchObject({ runId, files: expect.arrayContaining(MONTE_CARLO_FILES) });
  });

  it('runs more chunks than an inline Map holds through the Distributed Map, from the plan\'s items to its manifest, and merges them into the local run\'s files', async () => {
    // One chunk past the inline limit, the last of a single path; a short horizon keeps the 10,001 paths quick.
    const chunks = FAN_OUT_DEFAULTS.inlineMapLimit + 1;
    const manyChunks = withMonteCarlo({ paths: (chunks - 1) * MONTE_CARLO_CHUNK_PATHS + 1, horizonDays: 10, blockDays: 5, seed: 7 });
    const data = scratchFolder('bootstrap-distributed-data');
    for (const [name, body] of Object.entries(manyChunks)) writeFileSync(join(data, name), body);
    const manyLocal = scratchFolder('bootstrap-distributed-local');
    expect((await runCli(['run', '--data', data, '--out', manyLocal])).exitCode).toBe(0);

    cloud.payloadSizes.clear();
    await cloud.upload(manyChunks);
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    const [outcome] = await cloud.runNewExecutions();
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
    const runId = outcome?.name ?? '';
    // The Distributed branch ran: its children, not the inline Map's, and one manifest listing every chunk once, in order.
    expect(cloud.payloadSizes.has('Monte Carlo: one item (distributed)')).toBe(true);
    expect(cloud.payloadSizes.has('Monte Carlo: one item')).toBe(false);
    const work = `work/${runId}/montecarlo/`;
    expect(JSON.parse(await cloud.text(`${work}items.json`))).toHaveLength(chunks);
    expect((await cloud.keys(work)).filter((key) => /chunk-\d+\.bin$/.test(key))).toHaveLength(chunks);
    const manifests = (await cloud.keys('work/map-results/')).filter((key) => key.includes('MonteCarlo') && key.endsWith('/manifest.json'));
    expect(manifests).toHaveLength(1);
    const results = JSON.parse(await cloud.text(manifests[0]?.replace('manifest.json', 'SUCCEEDED_0.json') ?? '')) as { Input: string }[];
    expect(results.map(({ Input }) => (JSON.parse(Input) as { chunk: number }).chunk)).toEqual(Array.from({ length: chunks }, (_, chunk) => chunk));
    const report = `runs/${runId}/report/`;
    for (const name of MONTE_CARLO_FILES) {
      expect(Buffer.from(await cloud.bytes(`${report}${name}`)).equals(readFileSync(join(manyLocal, name))), name).toBe(true);
    }
  }, 60_000);

  it('runs no chunk and writes no bootstrap file when the config has no monteCarlo', async () => {
    await cloud.upload({ 'portfolio.json': sampleFiles['portfolio.json'] ?? '' });
    await cloud.deliverUploads();
    await cloud.advance(QUIET_WINDOW_SECONDS);
    const [outcome] = await cloud.runNewExecutions();
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', error: null });
    const runId = outcome?.name ?? '';
    expect(await cloud.keys(`work/${runId}/montecarlo/`)).toEqual([]);
    const report = (await cloud.keys(`runs/${runId}/report/`)).map((key) => key.slice(`runs/${runId}/report/`.length));
    expect(report.filter((name) => MONTE_CARLO_FILES.includes(name))).toEqual([]);
  });
});
