/**
 * The forward-risk bootstrap over a bench data set (SPEC 20, issue 16 item 3): the `run` command
 * in a child process twice on the same data, first as configured, then with `monteCarlo` 1,000
 * paths x 252 days, so that the Monte Carlo stage (seconds, paths per second, its peak RSS) sits
 * beside a whole run of the same strategies, measured on the same machine at the same time.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wholeRun, type ChildOptions, type WholeRun } from './wholeRun.ts';

export const BENCH_MONTE_CARLO = { paths: 1000, horizonDays: 252 } as const;

export interface MonteCarloFigures {
  paths: number;
  horizonDays: number;
  /** The run as configured, no bootstrap. */
  plainRun: WholeRun;
  /** The same run with the bootstrap on. */
  withBootstrap: WholeRun;
  /** The Monte Carlo stage alone. */
  stageSeconds: number;
  pathsPerSecond: number;
  /** Highest sampled RSS while the stage ran (every 50 ms, so a lower bound). */
  stagePeakRssBytes: number | null;
  /** stageSeconds / plainRun.seconds: the target is at most 1. */
  ratioToWholeRun: number;
}

export async function monteCarloRun(dataFolder: string, outFolder: string, options: ChildOptions): Promise<MonteCarloFigures> {
  const plainRun = await wholeRun(dataFolder, outFolder, options);
  await rm(outFolder, { recursive: true, force: true });
  const configFile = join(dataFolder, 'portfolio.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
  await writeFile(configFile, `${JSON.stringify({ ...config, monteCarlo: BENCH_MONTE_CARLO }, null, 2)}\n`);
  const withBootstrap = await wholeRun(dataFolder, outFolder, options);
  const stageSeconds = withBootstrap.stages['Monte Carlo'] ?? Number.NaN;
  return {
    ...BENCH_MONTE_CARLO,
    plainRun,
    withBootstrap,
    stageSeconds,
    pathsPerSecond: BENCH_MONTE_CARLO.paths / stageSeconds,
    stagePeakRssBytes: withBootstrap.stagePeakRssBytes['Monte Carlo'] ?? null,
    ratioToWholeRun: stageSeconds / plainRun.seconds,
  };
}
